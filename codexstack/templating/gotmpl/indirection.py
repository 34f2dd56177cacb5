"""Interfaces and pointers as Go's reflection walks them, and template truth.

Shared by the executor and the builtins: a nil interface is "no value", an
:class:`~.values.IfaceBox` holds a concrete value, pointers are followed to their target,
and ``if``/``and``/``or``/``not`` agree on what counts as true.
"""

from __future__ import annotations

from typing import Any

from codexstack.templating.gotmpl.types import Kind
from codexstack.templating.gotmpl.values import NO_VALUE, GoPtr, IfaceBox, NilPtr, typeof


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
