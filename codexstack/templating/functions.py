"""codexctl's template functions, with codexctl's exact semantics and argument order.

The functions are written once as plain Python (usable by both dialects) and registered
for the Go dialect with codexctl's Go signatures (:func:`go_functions`), because the
signature is part of the behaviour: ``default`` takes two strings, so ``default .Slot "x"``
fails with ``wrong type for value``; a piped value is the *last* argument, so
``{{ .X | default "y" }}`` is ``default "y" .X``. Functions codexctl does not have live
under names it does not use (``shq``, ``toJson``) so a file using them is visibly
codexstack-only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from codexstack.golang import from_bytes, to_bytes
from codexstack.templating.gotmpl import types as T
from codexstack.templating.gotmpl.gotime import TIME, GoTime
from codexstack.templating.gotmpl.printer import sprint
from codexstack.templating.gotmpl.values import (
    NO_VALUE,
    FuncError,
    GoFunc,
    GoPtr,
    GoStruct,
    NilPtr,
)

CODEXCTL_NAMES = (
    "default",
    "toLower",
    "slug",
    "truncSHA",
    "envOr",
    "ternary",
    "now",
    "join",
    "indent",
    "trimPrefix",
)
"""The helpers codexctl defines; nothing else may use these names."""


def _is_go_space(ch: str) -> bool:
    return ch.isspace() and ch not in "\x1c\x1d\x1e\x1f"


def go_trim_space(s: str) -> str:
    """``strings.TrimSpace``: strip Unicode white space at both ends."""
    start, end = 0, len(s)
    while start < end and _is_go_space(s[start]):
        start += 1
    while end > start and _is_go_space(s[end - 1]):
        end -= 1
    return s[start:end]


def to_lower(s: str) -> str:
    """``toLower S``: Go's ``strings.ToLower`` (one rune in, one rune out)."""
    if s.isascii():
        return s.lower()
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch.lower()[0] for ch in s)


def default(value: str, default_value: str) -> str:
    """``default VALUE DEF``: DEF when VALUE is blank after trimming, else VALUE unchanged.

    The reverse of Sprig's order: ``{{ .X | default "y" }}`` passes ``.X`` as DEF.
    """
    return default_value if not go_trim_space(value) else value


def slug(s: str) -> str:
    """``slug S``: trim, lower-case, then every space and ``_`` becomes ``-`` (no collapsing)."""
    return to_lower(go_trim_space(s)).replace(" ", "-").replace("_", "-")


def trunc_sha(s: str) -> str:
    """``truncSHA S``: the first 12 bytes of S, or S when shorter."""
    data = to_bytes(s)
    return s if len(data) <= 12 else from_bytes(data[:12])


def env_or(env_map: Mapping[str, str], key: str, default_value: str) -> str:
    """``envOr KEY DEF``: the merged env map's value when present and non-empty, else DEF."""
    value = env_map.get(key)
    return value if value else default_value


def ternary(cond: bool, a: Any, b: Any) -> Any:
    """``ternary COND A B``: A when COND (a bool) is true, else B; both are evaluated."""
    return a if cond else b


def join(values: Sequence[str], sep: str) -> str:
    """``join LIST SEP``: ``strings.Join`` of a string list."""
    return sep.join(values)


def indent(n: int, s: str) -> str:
    """``indent N S``: "" for empty S; else drop trailing newlines and prefix every line
    (empty ones too) with N spaces. No leading newline is added."""
    if not s:
        return ""
    if n < 0:
        raise FuncError("strings: negative Repeat count")
    pad = " " * n
    return "\n".join(pad + line for line in s.rstrip("\n").split("\n"))


def trim_prefix(value: str, prefix: str) -> str:
    """``trimPrefix VALUE PREFIX``: VALUE without one leading PREFIX (reverse of Sprig)."""
    return value[len(prefix) :] if prefix and value.startswith(prefix) else value


def shq(value: Any) -> str:
    """``shq V`` (codexstack only): V as one POSIX shell word in single quotes.

    Safe inside ``sh -c`` strings: ``'it'"'"'s'``; the empty string and nil become ``''``.
    """
    text = "" if value is None else value if isinstance(value, str) else str(value)
    return "'" + text.replace("'", "'\"'\"'") + "'"


def _go_shq(value: Any) -> str:
    """``shq`` in the Go dialect: non-strings are printed as Go prints them first."""
    if value is None or isinstance(value, str):
        return shq(value)
    return shq(sprint([value]))


def to_json(value: Any) -> str:
    """``toJson V`` (codexstack only): compact JSON with sorted keys."""
    return json.dumps(plain(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def plain(value: Any) -> Any:
    """A Go-model value as plain Python data (structs become dicts, times ISO strings)."""
    if isinstance(value, GoStruct):
        return {name: plain(v) for name, v in value.items()}
    if isinstance(value, NilPtr) or value is NO_VALUE:
        return None
    if isinstance(value, GoPtr):
        return plain(value.target)
    if isinstance(value, GoTime):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _go(name: str, fn: Callable[..., Any], params: list[T.GoType], result: T.GoType) -> GoFunc:
    return GoFunc(name, fn, params, result)


_S = T.STRING
_STATIC: dict[str, GoFunc] = {
    "default": _go("default", default, [_S, _S], _S),
    "toLower": _go("toLower", to_lower, [_S], _S),
    "slug": _go("slug", slug, [_S], _S),
    "truncSHA": _go("truncSHA", trunc_sha, [_S], _S),
    "ternary": _go("ternary", ternary, [T.BOOL, T.ANY, T.ANY], T.ANY),
    "join": _go("join", join, [T.slice_of(_S), _S], _S),
    "indent": _go("indent", indent, [T.INT, _S], _S),
    "trimPrefix": _go("trimPrefix", trim_prefix, [_S, _S], _S),
    "shq": _go("shq", _go_shq, [T.ANY], _S),
    "toJson": _go("toJson", to_json, [T.ANY], _S),
}


def go_functions(env_map: Mapping[str, str], now: GoTime) -> dict[str, GoFunc]:
    """The function map of the Go dialect: codexctl's helpers plus ``shq`` and ``toJson``."""
    funcs = dict(_STATIC)
    funcs["envOr"] = _go("envOr", lambda k, d: env_or(env_map, k, d), [_S, _S], _S)
    funcs["now"] = _go("now", lambda: now, [], TIME)
    return funcs
