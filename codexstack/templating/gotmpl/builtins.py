"""The predeclared functions of Go templates (``text/template/funcs.go``).

``and``/``or`` short-circuit in the executor; everything else is here with Go's signature
(it decides argument conversion and the ``wrong number of args`` messages) and Go's error
texts: ``index`` of a missing map key is the element's zero value, out-of-range indexes
fail, ``slice`` works on bytes of strings. Comparisons are in :mod:`.compare`, the
escapers in :mod:`.escapes`.
"""

from __future__ import annotations

from typing import Any

from codexstack.golang import from_bytes, to_bytes
from codexstack.templating.gotmpl import types as T
from codexstack.templating.gotmpl.compare import eq, ge, gt, le, lt, ne
from codexstack.templating.gotmpl.escapes import html_escape, js_escape, urlquery_escape
from codexstack.templating.gotmpl.indirection import indirect, indirect_interface, truth
from codexstack.templating.gotmpl.printer import sprint, sprintln
from codexstack.templating.gotmpl.printf import sprintf
from codexstack.templating.gotmpl.types import INT_KINDS, UINT_KINDS, GoType, Kind
from codexstack.templating.gotmpl.values import (
    NO_VALUE,
    FuncError,
    GoFunc,
    GoSlice,
    Uint8,
    int_of,
    kind_of,
    typeof,
)


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
