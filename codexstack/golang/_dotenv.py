"""The dotenv format of ``envFiles``, parsed exactly as codexctl's parser (godotenv 1.5.1).

Rules (§3.6): an ``export`` prefix is allowed; ``#`` starts a comment line, and inside an
unquoted value only after whitespace; ``KEY: value`` works as ``KEY=value``; single quotes are
literal; double quotes understand ``\\n``/``\\r`` and drop other backslashes, may span lines;
``$VAR``/``${VAR}`` (upper-case names) expand in unquoted and double-quoted values from keys
defined earlier in the same file, unknown names becoming empty, ``\\$`` staying literal. A
malformed line is an error naming the file and line. One deliberate difference: an empty key
(``=value``) is an error here, where godotenv stores it under ``""``. The differential test
against godotenv itself lives in ``tests/config/test_dotenv_oracle.py``.
"""

from __future__ import annotations

import re

from codexstack.errors import ConfigError, Location

_SPACE = "\t\v\f\r \x85\xa0"  # godotenv's isSpace: whitespace except the line feed
_ESCAPE = re.compile(r"\\.")
_UNESCAPE = re.compile(r"\\([^$])")
_EXPAND = re.compile(r"(\\)?(\$)(\()?\{?([A-Z0-9_]+)?\}?")


def parse_dotenv(text: str, file: str) -> dict[str, str]:
    """Parse dotenv ``text`` (from ``file``, for messages) into an ordered mapping."""
    src = text.replace("\r\n", "\n")
    out: dict[str, str] = {}
    pos = 0
    while True:
        pos = _statement_start(src, pos)
        if pos < 0:
            return out
        key, pos = _key(src, pos, file)
        value, pos = _value(src, pos, out, file)
        out[key] = value


def _line_of(src: str, pos: int) -> int:
    return src.count("\n", 0, pos) + 1


def _error(src: str, pos: int, file: str, message: str) -> ConfigError:
    return ConfigError(message, location=Location(file=file, line=_line_of(src, pos)))


def _go_space(char: str) -> bool:
    """Go's ``unicode.IsSpace`` (Python also counts the separators U+001C–U+001F)."""
    return char.isspace() and char not in "\x1c\x1d\x1e\x1f"


def _latin1_ok(byte: int) -> bool:
    char = chr(byte)
    return char in _SPACE or char.isalpha() or char.isnumeric()


def _name_char(char: str) -> bool:
    """A character godotenv accepts in a name: letters, digits, ``_`` and ``.``.

    godotenv tests each UTF-8 *byte* as a Latin-1 rune, so ``é`` (C3 A9) is refused because
    A9 is ``©``; the rule is reproduced byte by byte for non-ASCII characters.
    """
    if char in "_.":
        return True
    if char.isascii():
        return char.isalnum()
    return all(_latin1_ok(b) for b in char.encode())


def _statement_start(src: str, pos: int) -> int:
    """Index of the next statement, skipping whitespace and comment lines; -1 at the end."""
    while True:
        while pos < len(src) and _go_space(src[pos]):
            pos += 1
        if pos >= len(src):
            return -1
        if src[pos] != "#":
            return pos
        newline = src.find("\n", pos)
        if newline < 0:
            return -1
        pos = newline


def _key(src: str, pos: int, file: str) -> tuple[str, int]:
    start = pos
    while pos < len(src) and src[pos] in _SPACE:
        pos += 1
    if src.startswith("export", pos) and pos + 6 < len(src) and src[pos + 6] in _SPACE:
        pos += 6
        while pos < len(src) and src[pos] in _SPACE:
            pos += 1
    key_start = pos
    for i in range(pos, len(src)):
        char = src[i]
        if char in _SPACE:
            continue
        if char in "=:":
            key = src[key_start:i].rstrip()
            if not key:
                raise _error(src, start, file, "empty variable name")
            rest = i + 1
            while rest < len(src) and src[rest] in _SPACE:
                rest += 1
            return key, rest
        if _name_char(char):
            continue
        near = src[key_start:].split("\n", 1)[0]
        shown = "a line break" if char == "\n" else repr(char)
        raise _error(src, i, file, f"unexpected {shown} in variable name near {near!r}")
    raise _error(src, start, file, "variable name without a value")


def _value(src: str, pos: int, known: dict[str, str], file: str) -> tuple[str, int]:
    quote = src[pos] if pos < len(src) and src[pos] in "'\"" else ""
    if not quote:
        end = len(src)
        for i in range(pos, len(src)):
            if src[i] in "\n\r":
                end = i
                break
        line = src[pos:end]
        cut = len(line)
        for i in range(len(line) - 1, 0, -1):  # an inline comment needs a space before '#'
            if line[i] == "#" and line[i - 1] in _SPACE:
                cut = i
                break
        return _expand(line[:cut].strip(_SPACE), known), end
    for i in range(pos + 1, len(src)):
        if src[i] != quote or src[i - 1] == "\\":
            continue
        value = src[pos:i].strip(quote)
        if quote == '"':
            value = _expand(_unescape(value), known)
        return value, i + 1
    raise _error(src, pos, file, "unterminated quoted value")


def _unescape(value: str) -> str:
    def one(match: re.Match[str]) -> str:
        return {"n": "\n", "r": "\r"}.get(match.group(0)[1], match.group(0))

    return _UNESCAPE.sub(r"\1", _ESCAPE.sub(one, value))


def _expand(value: str, known: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        if match.group(1) == "\\" or match.group(2) == "(":
            return match.group(0)[1:]
        if match.group(4):
            return known.get(match.group(4), "")
        return match.group(0)

    return _EXPAND.sub(one, value)
