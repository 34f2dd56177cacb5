"""Global flags anywhere on the command line, as cobra's persistent flags are.

codexctl (cobra) takes ``-c/--config``, ``--env``, ``--namespace``, ``--slot``, ``--vars``,
``--var-file``, ``--log-level`` and ``-o/--output`` before or after any subcommand. Click only
takes an option on the command that declares it, so :func:`hoist` moves every global flag
(with its value) in front of the first subcommand, keeping their order: the root callback
reads them once, and a flag given later still wins (``-o json status -o text`` prints text).
Tokens that are values of a subcommand's own options, and everything after ``--``, stay put.
"""

from __future__ import annotations

from typer._click.core import Command
from typer.core import TyperGroup, TyperOption


def _arity(command: Command) -> dict[str, bool]:
    """Option name -> whether it takes a value, for one command's own options."""
    table: dict[str, bool] = {}
    for param in command.params:
        if isinstance(param, TyperOption):
            takes = not param.is_flag and not param.count
            for name in (*param.opts, *param.secondary_opts):
                table[name] = takes
    return table


def _split(word: str, table: dict[str, bool]) -> tuple[str | None, bool]:
    """The option ``word`` names in ``table`` and whether its value is in the word itself."""
    if word.startswith("--"):
        name = word.split("=", 1)[0]
        return (name, "=" in word) if name in table else (None, False)
    if word in table:
        return word, False
    short = word[:2]
    if len(word) > 2 and table.get(short):
        return short, True  # -ojson, -cservices.yaml
    return None, False


def hoist(root: Command, args: list[str]) -> list[str]:
    """``args`` with the root's options moved in front of the first subcommand."""
    globals_ = _arity(root)
    front: list[str] = []
    rest: list[str] = []
    command: Command = root
    own = globals_
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--":
            rest.extend(args[i:])
            break
        name, inline = _split(word, globals_)
        if name is not None:
            width = 1 if inline or not globals_[name] else 2
            front.extend(args[i : i + width])
            i += width
            continue
        if word.startswith("-") and len(word) > 1:
            name, inline = _split(word, own)
            width = 2 if name is not None and own[name] and not inline else 1
            rest.extend(args[i : i + width])
            i += width
            continue
        if isinstance(command, TyperGroup) and word in command.commands:
            command = command.commands[word]
            own = _arity(command)
        rest.append(word)
        i += 1
    return front + rest
