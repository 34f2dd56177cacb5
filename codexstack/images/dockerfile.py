"""Just enough of the Dockerfile grammar to check secrets and wire named build contexts.

The classic builder (the one every Docker-compatible daemon serves over the Engine API) has
neither ``--build-context`` nor ``--secret``. Named contexts are therefore given to it as small
local helper images (one per context, ``FROM scratch`` + its files, tagged by content), and
``FROM <name>`` / ``COPY --from=<name>`` are rewritten to point at them — the same files the
named context would have shown. Secret build args are checked instead of hidden: the classic
builder records the values of the args a stage declares in that stage's image history, so a
secret may only be declared in a stage that the final image does not descend from (use it in a
build stage, ``COPY --from`` the result). Parsing follows the reference: parser directives,
``\\`` (or ``# escape=``) continuations, comment lines, case-insensitive keywords.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_DIRECTIVE = re.compile(r"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")
_STAGE = re.compile(r"^(?P<image>\S+)(?:\s+[aA][sS]\s+(?P<name>\S+))?\s*$")


@dataclass(frozen=True)
class Instruction:
    """One logical instruction: keyword (upper case), arguments and its physical lines."""

    keyword: str
    args: str
    first_line: int
    """1-based line of the keyword."""
    last_line: int


@dataclass(frozen=True)
class Stage:
    """A ``FROM`` and the instructions up to the next one."""

    index: int
    image: str
    name: str
    line: int
    parent: int | None
    """Index of the earlier stage this one is built ``FROM``, if any."""
    args: tuple[tuple[str, int], ...]
    """Declared ARG names with their lines."""


class DockerfileProblem(ValueError):
    """The Dockerfile cannot be used as asked; ``line`` is 1-based (0 when not one line)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


def instructions(text: str) -> list[Instruction]:
    """The logical instructions of ``text`` in order."""
    lines = text.splitlines()
    escape = "\\"
    start = 0
    for start, raw in enumerate(lines):  # noqa: B007  (start is used after the loop)
        found = _DIRECTIVE.match(raw.strip())
        if not found:
            break
        if found.group(1).lower() == "escape":
            escape = found.group(2)[:1] or "\\"
    else:
        start = len(lines)
    out: list[Instruction] = []
    buffer: list[str] = []
    first = 0
    for number, raw in enumerate(lines[start:], start=start + 1):
        stripped = raw.strip()
        if not buffer and (not stripped or stripped.startswith("#")):
            continue
        if buffer and stripped.startswith("#"):
            continue  # comment lines inside a continuation are dropped by the builder too
        if not buffer:
            first = number
        if stripped.endswith(escape):
            buffer.append(stripped[: -len(escape)].strip())
            continue
        buffer.append(stripped)
        joined = " ".join(part for part in buffer if part)
        keyword, _, args = joined.partition(" ")
        out.append(Instruction(keyword.upper(), args.strip(), first, number))
        buffer = []
    if buffer:
        joined = " ".join(part for part in buffer if part)
        keyword, _, args = joined.partition(" ")
        out.append(Instruction(keyword.upper(), args.strip(), first, len(lines)))
    return out


def _from_parts(args: str) -> tuple[str, str]:
    words = [w for w in args.split() if not w.startswith("--")]
    found = _STAGE.match(" ".join(words))
    if not found:
        return args.strip(), ""
    return found.group("image"), (found.group("name") or "").lower()


def _arg_names(args: str) -> list[str]:
    return [word.split("=", 1)[0] for word in args.split() if word and not word.startswith("#")]


def stages(text: str) -> list[Stage]:
    """Every build stage of ``text`` (raises :class:`DockerfileProblem` when there is none)."""
    out: list[Stage] = []
    current: dict[str, object] | None = None
    declared: list[tuple[str, int]] = []

    def close() -> None:
        if current is not None:
            out.append(Stage(**current, args=tuple(declared)))  # type: ignore[arg-type]

    for ins in instructions(text):
        if ins.keyword == "FROM":
            close()
            image, name = _from_parts(ins.args)
            names = {s.name: s.index for s in out if s.name}
            parent = names.get(image.lower())
            current = {"index": len(out), "image": image, "name": name, "line": ins.first_line}
            current["parent"] = parent
            declared = []
        elif ins.keyword == "ARG" and current is not None:
            declared.extend((n, ins.first_line) for n in _arg_names(ins.args))
    close()
    if not out:
        raise DockerfileProblem("the Dockerfile has no FROM instruction")
    return out


def check_secrets(text: str, secret_names: list[str]) -> None:
    """Refuse secrets the final image's history would record (see the module docstring)."""
    if not secret_names:
        return
    all_stages = stages(text)
    index: int | None = len(all_stages) - 1
    wanted = set(secret_names)
    while index is not None:
        stage = all_stages[index]
        for name, line in stage.args:
            if name in wanted:
                where = (
                    "the final stage"
                    if index == len(all_stages) - 1
                    else (f"stage '{stage.name or index}', which the final image is built FROM")
                )
                raise DockerfileProblem(
                    f"secret build arg {name} is declared (ARG) in {where}: the builder would "
                    "record its value in the image history; declare and use it in an earlier "
                    "build stage and COPY --from that stage only the result",
                    line,
                )
        index = stage.parent


def wire_contexts(text: str, helpers: Mapping[str, str]) -> str:
    """``text`` with ``FROM <ctx>`` and ``COPY --from=<ctx>`` pointing at helper images.

    ``helpers`` maps a named context to the local helper image holding its files. A stage of
    the Dockerfile with the same name as a context is ambiguous and refused.
    """
    if not helpers:
        return text
    lines = text.splitlines()
    stage_names: set[str] = set()
    replacements: dict[int, tuple[int, str]] = {}
    for ins in instructions(text):
        rewritten = ""
        if ins.keyword == "FROM":
            image, name = _from_parts(ins.args)
            if name in helpers:
                raise DockerfileProblem(
                    f"stage '{name}' has the name of a build context", ins.first_line
                )
            if image in helpers and image.lower() not in stage_names:
                rewritten = "FROM " + ins.args.replace(image, helpers[image], 1)
            stage_names.add(name)
        elif ins.keyword == "COPY":
            words = ins.args.split(" ")
            for i, word in enumerate(words):
                source = word[len("--from=") :] if word.startswith("--from=") else ""
                if source in helpers and source.lower() not in stage_names:
                    words[i] = f"--from={helpers[source]}"
                    rewritten = "COPY " + " ".join(words)
        if rewritten:
            replacements[ins.first_line] = (ins.last_line, rewritten)
    out: list[str] = []
    number = 1
    while number <= len(lines):
        if number in replacements:
            last, new = replacements[number]
            out.append(new)
            # keep the line count so builder messages still match the user's line numbers
            out.extend("" for _ in range(last - number))
            number = last + 1
        else:
            out.append(lines[number - 1])
            number += 1
    return "\n".join(out) + "\n"
