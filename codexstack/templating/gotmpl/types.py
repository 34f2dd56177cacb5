"""Go's static types, as far as templates can observe them.

Go templates run on reflection, so the type of a value shows through in printed output
(``%T``, ``%!d(string=x)``, ``%#v``), in which operations work (``index`` of a
``map[string]string`` with a missing key yields ``""``, of a ``map[string]interface {}`` yields
nil) and in error messages. A :class:`GoType` carries exactly that: the kind, Go's spelling of
the type (``reflect.Type.String()``), element/key/field types and the methods templates may
call. Types are interned by spelling, so identity checks stay cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from enum import IntEnum
from typing import Any


class Kind(IntEnum):
    """The subset of ``reflect.Kind`` the template engine distinguishes."""

    INVALID = 0
    BOOL = 1
    INT = 2
    INT8 = 3
    INT16 = 4
    INT32 = 5
    INT64 = 6
    UINT = 7
    UINT8 = 8
    UINT16 = 9
    UINT32 = 10
    UINT64 = 11
    FLOAT32 = 13
    FLOAT64 = 14
    COMPLEX128 = 16
    FUNC = 19
    IFACE = 20
    MAP = 21
    PTR = 22
    SLICE = 23
    STRING = 24
    STRUCT = 25
    VALUE = 99  # a reflect.Value parameter: receives any value, even an invalid one


INT_KINDS = frozenset({Kind.INT, Kind.INT8, Kind.INT16, Kind.INT32, Kind.INT64})
UINT_KINDS = frozenset({Kind.UINT, Kind.UINT8, Kind.UINT16, Kind.UINT32, Kind.UINT64})
NILLABLE_KINDS = frozenset({Kind.FUNC, Kind.IFACE, Kind.MAP, Kind.PTR, Kind.SLICE, Kind.VALUE})


class GoType:
    """One Go type: kind, canonical name and the parts reflection would expose."""

    __slots__ = (
        "elem",
        "field_index",
        "fields",
        "key",
        "kind",
        "methods",
        "name",
        "params",
        "results",
        "variadic",
    )

    def __init__(
        self,
        kind: Kind,
        name: str,
        *,
        elem: GoType | None = None,
        key: GoType | None = None,
        fields: Sequence[tuple[str, GoType]] = (),
        params: Sequence[GoType] = (),
        results: Sequence[GoType] = (),
        variadic: bool = False,
    ) -> None:
        self.kind = kind
        self.name = name
        self.elem = elem
        self.key = key
        self.fields = tuple(fields)
        self.field_index = {fname: i for i, (fname, _) in enumerate(self.fields)}
        self.params = tuple(params)
        self.results = tuple(results)
        self.variadic = variadic
        self.methods: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"GoType({self.name})"

    def __str__(self) -> str:
        return self.name

    def same(self, other: GoType) -> bool:
        """Go type identity (``reflect.Type`` equality), compared by spelling."""
        return self is other or self.name == other.name

    def assignable_to(self, target: GoType) -> bool:
        """``reflect.Type.AssignableTo`` for the types templates meet."""
        if self.same(target):
            return True
        return target.kind == Kind.IFACE and not target.methods

    def comparable(self) -> bool:
        """Whether ``==`` is defined for values of this type."""
        if self.kind in (Kind.MAP, Kind.SLICE, Kind.FUNC):
            return False
        if self.kind == Kind.STRUCT:
            return all(ftype.comparable() for _, ftype in self.fields)
        return True

    def add_method(self, name: str, fn: Any) -> None:
        """Expose ``fn`` (a :class:`~.values.GoFunc` taking the receiver first) as a method."""
        self.methods[name] = fn


_interned: dict[str, GoType] = {}


def _intern(t: GoType) -> GoType:
    return _interned.setdefault(t.name, t)


def basic(kind: Kind, name: str) -> GoType:
    """The predeclared type ``name``."""
    return _intern(GoType(kind, name))


BOOL = basic(Kind.BOOL, "bool")
INT = basic(Kind.INT, "int")
INT32 = basic(Kind.INT32, "int32")
INT64 = basic(Kind.INT64, "int64")
UINT = basic(Kind.UINT, "uint")
UINT8 = basic(Kind.UINT8, "uint8")
UINT64 = basic(Kind.UINT64, "uint64")
FLOAT64 = basic(Kind.FLOAT64, "float64")
COMPLEX128 = basic(Kind.COMPLEX128, "complex128")
STRING = basic(Kind.STRING, "string")
ANY = basic(Kind.IFACE, "interface {}")
VALUE = basic(Kind.VALUE, "reflect.Value")
ERROR = basic(Kind.IFACE, "error")


def slice_of(elem: GoType) -> GoType:
    """``[]elem``."""
    name = f"[]{elem.name}"
    return _interned.get(name) or _intern(GoType(Kind.SLICE, name, elem=elem))


def map_of(key: GoType, elem: GoType) -> GoType:
    """``map[key]elem``."""
    name = f"map[{key.name}]{elem.name}"
    return _interned.get(name) or _intern(GoType(Kind.MAP, name, key=key, elem=elem))


def ptr_to(elem: GoType) -> GoType:
    """``*elem``; methods of ``elem`` are reachable through the pointer."""
    name = f"*{elem.name}"
    found = _interned.get(name)
    if found is None:
        found = _intern(GoType(Kind.PTR, name, elem=elem))
        found.methods = elem.methods
    return found


def struct_type(fields: Sequence[tuple[str, GoType]], name: str | None = None) -> GoType:
    """A struct type; anonymous ones are spelled like ``reflect.StructOf`` spells them."""
    if name is None:
        inner = "; ".join(f"{fname} {ftype.name}" for fname, ftype in fields)
        name = f"struct {{ {inner} }}" if fields else "struct {}"
        found = _interned.get(name)
        if found is not None:
            return found
    return _intern(GoType(Kind.STRUCT, name, fields=fields))


def func_type(params: Sequence[GoType], results: Sequence[GoType], variadic: bool) -> GoType:
    """A function type such as ``func(string, ...interface {}) string``."""
    shown = [p.name for p in params]
    if variadic and shown:
        elem = params[-1].elem
        shown[-1] = "..." + (elem.name if elem else "interface {}")
    res = [r.name for r in results]
    out = "" if not res else " " + (res[0] if len(res) == 1 else "(" + ", ".join(res) + ")")
    name = f"func({', '.join(shown)}){out}"
    return _interned.get(name) or _intern(
        GoType(Kind.FUNC, name, params=params, results=results, variadic=variadic)
    )


def named(kind_of: GoType, name: str) -> GoType:
    """A defined type ``name`` with the underlying type of ``kind_of`` (e.g. ``main.Count``)."""
    return _intern(
        GoType(
            kind_of.kind,
            name,
            elem=kind_of.elem,
            key=kind_of.key,
            fields=kind_of.fields,
            params=kind_of.params,
            results=kind_of.results,
            variadic=kind_of.variadic,
        )
    )


def lookup(name: str) -> GoType | None:
    """An already-built type by its Go spelling."""
    return _interned.get(name)


ZeroFactory = Callable[[GoType], Any]
_zero_hooks: dict[Kind, ZeroFactory] = {}


def register_zero(kind: Kind, factory: ZeroFactory) -> None:
    """Let the value module say how composite zero values are built (avoids an import cycle)."""
    _zero_hooks[kind] = factory


_BASIC_ZERO: Mapping[Kind, Any] = {
    Kind.BOOL: False,
    Kind.FLOAT32: 0.0,
    Kind.FLOAT64: 0.0,
    Kind.COMPLEX128: 0j,
    Kind.STRING: "",
    Kind.IFACE: None,
}


def zero(t: GoType) -> Any:
    """``reflect.Zero(t)`` in the Python value model."""
    if t.kind in _BASIC_ZERO:
        return _BASIC_ZERO[t.kind]
    hook = _zero_hooks.get(t.kind)
    if hook is None:
        hook = _zero_hooks[Kind.INT]
    return hook(t)
