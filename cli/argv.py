"""Global flags anywhere on the command line, as cobra's persistent flags are.

codexctl (cobra) takes ``-c/--config``, ``--env``, ``--namespace``, ``--slot``, ``--vars``,
``--var-file``, ``--log-level`` and ``-o/--output`` before or after any subcommand. Click only
takes an option on the command that declares it, so :func:`hoist` moves every global flag
(with its value) in front of the first subcommand, keeping their order: the root callback
reads them once, and a flag given later still wins (``-o json status -o text`` prints text).
Tokens that are values of a subcommand's own options, and everything after ``--``, stay put.
pflag's spellings are accepted too: ``-o=json`` (a shorthand with ``=``) and ``--flag=false``
for a boolean flag (``--flag`` for a true value, ``--no-flag`` or nothing for a false one).
"""

from __future__ import annotations

from typer._click.core import Command
from typer.core import TyperGroup, TyperOption

from codexstack import flows


def _arity(command: Command) -> dict[str, bool]:
    """Option name -> whether it takes a value, for one command's own options."""
    table: dict[str, bool] = {}
    for param in command.params:
        if isinstance(param, TyperOption):
            takes = not param.is_flag and not param.count
            for name in (*param.opts, *param.secondary_opts):
                table[name] = takes
    return table


def _negations(command: Command) -> dict[str, str | None]:
    """Boolean flag name -> its ``--no-`` form (None when it has none)."""
    table: dict[str, str | None] = {}
    for param in command.params:
        if isinstance(param, TyperOption) and param.is_flag:
            negation = param.secondary_opts[0] if param.secondary_opts else None
            for name in param.opts:
                table[name] = negation
    return table


def _pflag(word: str, command: Command) -> list[str]:
    """``word`` as click spells it: ``-o=json`` -> ``-ojson``; ``--wait=false`` -> ``--no-wait``."""
    if word.startswith("--") and "=" in word:
        name, value = word.split("=", 1)
        negations = _negations(command)
        if name in negations:
            try:
                true = flows.values.go_bool(value)
            except ValueError:
                return [word]  # click says the flag takes no value
            negation = negations[name]
            return [name] if true else ([negation] if negation else [])
    elif len(word) > 3 and word[0] == "-" and word[1] != "-" and word[2] == "=":
        return [word[:2] + word[3:]]
    return [word]


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
        spelled = _pflag(word, root) if word.startswith("-") else [word]
        if spelled == [word] and word.startswith("-"):
            spelled = _pflag(word, command)
        if spelled != [word]:
            args = [*args[:i], *spelled, *args[i + 1 :]]
            if not spelled:
                continue
            word = args[i]
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
