"""``eq``, ``ne``, ``lt``, ``le``, ``gt``, ``ge`` with Go's rules (``text/template/funcs.go``).

Basic values compare by value with integer sign and width ignored; two *different* basic
kinds are an error; a missing value compares unequal without error; non-basic values
compare by Go equality when comparable; ordering accepts basic kinds only.
"""

from __future__ import annotations

from typing import Any

from codexstack.templating.gotmpl.indirection import indirect_interface
from codexstack.templating.gotmpl.printf import sprintf
from codexstack.templating.gotmpl.types import INT_KINDS, UINT_KINDS, Kind
from codexstack.templating.gotmpl.values import NO_VALUE, FuncError, NilPtr, kind_of, typeof


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
