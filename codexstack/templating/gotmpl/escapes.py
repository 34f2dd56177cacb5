"""The ``html``, ``js`` and ``urlquery`` builtins (Go's template escapers).

Each prints its arguments the way template output prints values (``evalArgs``) and then
escapes: HTML entities for ``<>&'"`` and NUL, JavaScript string escapes with ``\\uXXXX``
for control and non-printable runes, and ``url.QueryEscape``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

from codexstack.golang import is_print, to_bytes
from codexstack.templating.gotmpl.indirection import printable
from codexstack.templating.gotmpl.printer import sprint


def eval_args(args: tuple[Any, ...]) -> str:
    """``fmt.Sprint`` of the arguments, each made printable as template output is."""
    if len(args) == 1 and type(args[0]) is str:
        return str(args[0])
    shown = []
    for arg in args:
        value, ok = printable(arg)
        shown.append(value if ok else arg)
    return sprint(shown)


def html_escape(*args: Any) -> str:
    """``html``: escape ``< > & ' "`` and NUL."""
    s = eval_args(args)
    for old, new in (("&", "&amp;"), ("\0", "\ufffd"), ('"', "&#34;"), ("'", "&#39;")):
        s = s.replace(old, new)
    return s.replace("<", "&lt;").replace(">", "&gt;")


_JS_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    '"': '\\"',
    "<": "\\u003C",
    ">": "\\u003E",
    "&": "\\u0026",
    "=": "\\u003D",
}


def js_escape(*args: Any) -> str:
    """``js``: JavaScript string escaping as ``template.JSEscapeString``."""
    out = []
    for ch in eval_args(args):
        r = ord(ch)
        if ch in _JS_ESCAPES:
            out.append(_JS_ESCAPES[ch])
        elif r < 0x20:
            out.append(f"\\u00{r:02X}")
        elif r < 0x80 or is_print(r) or 0xDC80 <= r <= 0xDCFF:
            out.append(ch)
        else:
            out.append(f"\\u{r:04X}")
    return "".join(out)


def urlquery_escape(*args: Any) -> str:
    """``urlquery``: ``url.QueryEscape``."""
    return quote_plus(to_bytes(eval_args(args)), safe="-_.~")
