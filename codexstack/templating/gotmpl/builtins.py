"""The predeclared functions of Go templates (``text/template/funcs.go``).

``and``/``or`` short-circuit in the executor; everything else is here with Go's signature
(it decides argument conversion and the ``wrong number of args`` messages) and Go's error
texts: comparison of different basic kinds is an error, a missing value compares unequal,
``index`` of a missing map key is the element's zero value, out-of-range indexes fail.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

from codexstack.templating.gotmpl import types as T
from codexstack.templating.gotmpl.gostrconv import from_bytes, is_print, to_bytes
from codexstack.templating.gotmpl.printer import sprint, sprintf, sprintln
from codexstack.templating.gotmpl.types import INT_KINDS, UINT_KINDS, GoType, Kind
from codexstack.templating.gotmpl.values import (
    NO_VALUE,
    FuncError,
    GoFunc,
    GoPtr,
    GoSlice,
    IfaceBox,
    NilPtr,
    Uint8,
    int_of,
    kind_of,
    typeof,
)


def indirect_interface(v: Any) -> Any:
    """The concrete value of an interface; a nil interface is no value at all."""
    if type(v) is IfaceBox:
        return v.value
    return NO_VALUE if v is None else v


def indirect(v: Any) -> tuple[Any, bool]:
    """Follow interfaces and pointers; (value, True) at a nil pointer or nil interface."""
    while True:
        if type(v) is IfaceBox:
            v = v.value
        elif isinstance(v, GoPtr):
            v = v.target
        else:
            return v, v is None or isinstance(v, NilPtr)


def truth(v: Any) -> bool:
    """Go's template truth: non-zero, non-empty, non-nil; structs are always true."""
    if type(v) is IfaceBox:
        v = v.value
    if v is NO_VALUE or v is None:
        return False
    cls = type(v)
    if cls is str or cls is bool or cls is int or cls is float:
        return bool(v)
    if isinstance(v, int | float | complex | str | dict | list | tuple):
        return bool(v)
    return not isinstance(v, NilPtr)


def printable(v: Any) -> tuple[Any, bool]:
    """``printableValue``: what ``fmt`` should print for a template value."""
    if v is NO_VALUE or v is None:
        return "<no value>", True
    while isinstance(v, GoPtr):
        v = v.target
    gotype = typeof(v)
    if gotype.kind == Kind.FUNC and "String" not in gotype.methods:
        return None, False
    return v, True


def _basic_kind(v: Any) -> str:
    kind = kind_of(v)
    if kind in INT_KINDS:
        return "int"
    if kind in UINT_KINDS:
        return "uint"
    return {
        Kind.BOOL: "bool",
        Kind.FLOAT64: "float",
        Kind.COMPLEX128: "complex",
        Kind.STRING: "string",
    }.get(kind, "invalid")


def _is_nil(v: Any) -> bool:
    return v is NO_VALUE or v is None or isinstance(v, NilPtr)


def eq(arg1: Any, *arg2: Any) -> bool:
    """``eq a b c...``: a equals any later argument."""
    arg1 = indirect_interface(arg1)
    if not arg2:
        raise FuncError("missing argument for comparison")
    k1 = _basic_kind(arg1)
    for raw in arg2:
        arg = indirect_interface(raw)
        k2 = _basic_kind(arg)
        result = False
        if k1 != k2:
            if {k1, k2} == {"int", "uint"}:
                result = arg1 >= 0 and arg >= 0 and int(arg1) == int(arg)
            elif arg1 is not NO_VALUE and arg is not NO_VALUE:
                raise FuncError(
                    f"incompatible types for comparison: {typeof(arg1)} and {typeof(arg)}"
                )
        elif k1 != "invalid":
            result = arg1 == arg
        else:
            result = _eq_other(arg1, arg)
        if result:
            return True
    return False


def _eq_other(a: Any, b: Any) -> bool:
    ka, kb = kind_of(a), kind_of(b)
    if ka != kb and Kind.INVALID not in (ka, kb):
        raise FuncError(
            sprintf("non-comparable types %s: %v, %s: %v", [a, typeof(a).name, typeof(b).name, b])
        )
    if _is_nil(a) or _is_nil(b):
        return _is_nil(a) == _is_nil(b)
    if not typeof(b).comparable():
        raise FuncError(sprintf("non-comparable type %s: %v", [b, typeof(b).name]))
    return typeof(a).same(typeof(b)) and bool(a == b)


def ne(arg1: Any, arg2: Any) -> bool:
    """``ne a b``."""
    return not eq(arg1, arg2)


def lt(arg1: Any, arg2: Any) -> bool:
    """``lt a b`` for basic kinds."""
    arg1, arg2 = indirect_interface(arg1), indirect_interface(arg2)
    k1, k2 = _basic_kind(arg1), _basic_kind(arg2)
    if "invalid" in (k1, k2):
        raise FuncError("invalid type for comparison")
    if k1 != k2:
        if {k1, k2} == {"int", "uint"}:
            return bool(int(arg1) < int(arg2))
        raise FuncError(f"incompatible types for comparison: {typeof(arg1)} and {typeof(arg2)}")
    if k1 in ("bool", "complex"):
        raise FuncError("invalid type for comparison")
    return bool(arg1 < arg2)


def le(arg1: Any, arg2: Any) -> bool:
    """``le a b``."""
    return lt(arg1, arg2) or eq(arg1, arg2)


def gt(arg1: Any, arg2: Any) -> bool:
    """``gt a b``."""
    return not le(arg1, arg2)


def ge(arg1: Any, arg2: Any) -> bool:
    """``ge a b``."""
    return not lt(arg1, arg2)


def not_(arg: Any) -> bool:
    """``not x``."""
    return not truth(arg)


def index_arg(index: Any, cap: int) -> int:
    """An index value as an int, bounds-checked against ``cap``."""
    kind = kind_of(index)
    if kind in INT_KINDS or kind in UINT_KINDS:
        x = int(index)
    elif kind == Kind.INVALID:
        raise FuncError("cannot index slice/array with nil")
    else:
        raise FuncError(f"cannot index slice/array with type {typeof(index)}")
    if x < 0 or x > cap:
        raise FuncError(f"index out of range: {x}")
    return x


def prepare_arg(value: Any, arg_type: GoType) -> Any:
    """Convert ``value`` for a parameter of ``arg_type`` (as ``call`` and map keys need)."""
    if value is NO_VALUE:
        if arg_type.kind not in T.NILLABLE_KINDS:
            raise FuncError(f"value is nil; should be of type {arg_type}")
        return T.zero(arg_type)
    vtype = typeof(value)
    if vtype.assignable_to(arg_type):
        return value
    int_like = INT_KINDS | UINT_KINDS
    if vtype.kind in int_like and arg_type.kind in int_like:
        return int_of(arg_type, int(value))
    raise FuncError(f"value has type {vtype}; should be {arg_type}")


def index(item: Any, *indexes: Any) -> Any:
    """``index x 1 2`` is ``x[1][2]``; a missing map key yields the element's zero value."""
    item = indirect_interface(item)
    if item is NO_VALUE:
        raise FuncError("index of untyped nil")
    for raw in indexes:
        idx = indirect_interface(raw)
        item, is_nil = indirect(item)
        if is_nil:
            raise FuncError("index of nil pointer")
        gotype = typeof(item)
        if gotype.kind == Kind.STRING:
            data = to_bytes(item)
            x = index_arg(idx, len(data))
            if x == len(data):
                raise FuncError("reflect: string index out of range")
            item = Uint8(data[x])
        elif gotype.kind == Kind.SLICE:
            x = index_arg(idx, len(item))
            if x == len(item):
                raise FuncError("reflect: slice index out of range")
            item = item[x]
        elif gotype.kind == Kind.MAP:
            assert gotype.key is not None
            assert gotype.elem is not None
            key = prepare_arg(idx, gotype.key)
            item = item[key] if key in item else T.zero(gotype.elem)
        else:
            raise FuncError(f"can't index item of type {gotype}")
    return item


def slice_(item: Any, *indexes: Any) -> Any:
    """``slice x 1 2`` is ``x[1:2]`` (strings by bytes)."""
    item = indirect_interface(item)
    if item is NO_VALUE:
        raise FuncError("slice of untyped nil")
    item, is_nil = indirect(item)
    if is_nil:
        raise FuncError("slice of nil pointer")
    if len(indexes) > 3:
        raise FuncError(f"too many slice indexes: {len(indexes)}")
    gotype = typeof(item)
    if gotype.kind == Kind.STRING:
        if len(indexes) == 3:
            raise FuncError("cannot 3-index slice a string")
        data = to_bytes(item)
    elif gotype.kind == Kind.SLICE:
        data = item
    else:
        raise FuncError(f"can't slice item of type {gotype}")
    idx = [0, len(data), 0]
    for i, x in enumerate(indexes):
        idx[i] = index_arg(x, len(data))
    if idx[0] > idx[1]:
        raise FuncError(f"invalid slice index: {idx[0]} > {idx[1]}")
    if len(indexes) == 3 and idx[1] > idx[2]:
        raise FuncError(f"invalid slice index: {idx[1]} > {idx[2]}")
    part = data[idx[0] : idx[1]]
    if gotype.kind == Kind.STRING:
        return from_bytes(bytes(part))
    return GoSlice(part, gotype=gotype) if isinstance(item, GoSlice) else list(part)


def length(item: Any) -> int:
    """``len x`` of a string (bytes), slice or map."""
    item, is_nil = indirect(item)
    if is_nil:
        raise FuncError("len of nil pointer")
    if item is NO_VALUE:
        raise FuncError("reflect: call of reflect.Value.Type on zero Value")
    gotype = typeof(item)
    if gotype.kind == Kind.STRING:
        return len(to_bytes(item))
    if gotype.kind in (Kind.SLICE, Kind.MAP):
        return len(item)
    raise FuncError(f"len of type {gotype}")


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


def _fn(
    name: str, fn: Any, params: list[GoType], result: GoType, *, variadic: bool, err: bool
) -> GoFunc:
    return GoFunc(name, fn, params, result, variadic=variadic, returns_error=err)


_V = T.VALUE
_VV = T.slice_of(T.VALUE)
_AA = T.slice_of(T.ANY)

BUILTINS: dict[str, GoFunc] = {
    "and": _fn("and", None, [_V, _VV], _V, variadic=True, err=False),
    "or": _fn("or", None, [_V, _VV], _V, variadic=True, err=False),
    "call": _fn("call", None, [_V, _VV], _V, variadic=True, err=True),
    "html": _fn("html", html_escape, [_AA], T.STRING, variadic=True, err=False),
    "index": _fn("index", index, [_V, _VV], _V, variadic=True, err=True),
    "slice": _fn("slice", slice_, [_V, _VV], _V, variadic=True, err=True),
    "js": _fn("js", js_escape, [_AA], T.STRING, variadic=True, err=False),
    "len": _fn("len", length, [_V], T.INT, variadic=False, err=True),
    "not": _fn("not", not_, [_V], T.BOOL, variadic=False, err=False),
    "print": _fn("print", lambda *a: sprint(a), [_AA], T.STRING, variadic=True, err=False),
    "printf": _fn(
        "printf", lambda f, *a: sprintf(f, a), [T.STRING, _AA], T.STRING, variadic=True, err=False
    ),
    "println": _fn("println", lambda *a: sprintln(a), [_AA], T.STRING, variadic=True, err=False),
    "urlquery": _fn("urlquery", urlquery_escape, [_AA], T.STRING, variadic=True, err=False),
    "eq": _fn("eq", eq, [_V, _VV], T.BOOL, variadic=True, err=True),
    "ge": _fn("ge", ge, [_V, _V], T.BOOL, variadic=False, err=True),
    "gt": _fn("gt", gt, [_V, _V], T.BOOL, variadic=False, err=True),
    "le": _fn("le", le, [_V, _V], T.BOOL, variadic=False, err=True),
    "lt": _fn("lt", lt, [_V, _V], T.BOOL, variadic=False, err=True),
    "ne": _fn("ne", ne, [_V, _V], T.BOOL, variadic=False, err=True),
}


def call(name: str, fn: Any, *args: Any) -> Any:
    """``call f a b``: invoke a function value with converted arguments."""
    fn = indirect_interface(fn)
    if fn is NO_VALUE:
        raise FuncError("call of nil")
    if not isinstance(fn, GoFunc):
        raise FuncError(f"non-function {name} of type {typeof(fn)}")
    params, variadic = fn.gotype.params, fn.gotype.variadic
    if variadic and len(args) < len(params) - 1:
        raise FuncError(
            f"wrong number of args for {name}: got {len(args)} want at least {len(params) - 1}"
        )
    if not variadic and len(args) != len(params):
        raise FuncError(f"wrong number of args for {name}: got {len(args)} want {len(params)}")
    argv = []
    for i, arg in enumerate(args):
        arg_type = params[i] if not variadic or i < len(params) - 1 else params[-1].elem
        assert arg_type is not None
        try:
            argv.append(prepare_arg(indirect_interface(arg), arg_type))
        except FuncError as exc:
            raise FuncError(f"arg {i}: {exc}") from None
    return fn.fn(*argv)
