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


# Types are interned by their parts (by identity), not by spelling alone: two modules may
# each declare a ``config.X`` with different fields, and composites of them must not mix.
_interned: dict[tuple[Any, ...], GoType] = {}
_by_name: dict[str, GoType] = {}


def _intern(key: tuple[Any, ...], build: Callable[[], GoType]) -> GoType:
    found = _interned.get(key)
    if found is None:
        found = _interned[key] = build()
        _by_name.setdefault(found.name, found)
    return found


def lookup(name: str) -> GoType | None:
    """The first type built with the Go spelling ``name`` (e.g. ``config.CodexConfig``)."""
    return _by_name.get(name)


def basic(kind: Kind, name: str) -> GoType:
    """The predeclared type ``name``."""
    return _intern(("basic", name), lambda: GoType(kind, name))


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
    return _intern(("slice", id(elem)), lambda: GoType(Kind.SLICE, f"[]{elem.name}", elem=elem))


def map_of(key: GoType, elem: GoType) -> GoType:
    """``map[key]elem``."""
    return _intern(
        ("map", id(key), id(elem)),
        lambda: GoType(Kind.MAP, f"map[{key.name}]{elem.name}", key=key, elem=elem),
    )


def ptr_to(elem: GoType) -> GoType:
    """``*elem``; methods of ``elem`` are reachable through the pointer."""

    def build() -> GoType:
        t = GoType(Kind.PTR, f"*{elem.name}", elem=elem)
        t.methods = elem.methods
        return t

    return _intern(("ptr", id(elem)), build)


def struct_type(fields: Sequence[tuple[str, GoType]], name: str | None = None) -> GoType:
    """A struct type; anonymous ones are spelled like ``reflect.StructOf`` spells them."""
    inner = "; ".join(f"{fname} {ftype.name}" for fname, ftype in fields)
    spelling = name or (f"struct {{ {inner} }}" if fields else "struct {}")
    key = ("struct", name, tuple((fname, id(ftype)) for fname, ftype in fields))
    return _intern(key, lambda: GoType(Kind.STRUCT, spelling, fields=fields))


def func_type(params: Sequence[GoType], results: Sequence[GoType], variadic: bool) -> GoType:
    """A function type such as ``func(string, ...interface {}) string``."""
    shown = [p.name for p in params]
    if variadic and shown:
        elem = params[-1].elem
        shown[-1] = "..." + (elem.name if elem else "interface {}")
    res = [r.name for r in results]
    out = "" if not res else " " + (res[0] if len(res) == 1 else "(" + ", ".join(res) + ")")
    name = f"func({', '.join(shown)}){out}"
    key = ("func", tuple(map(id, params)), tuple(map(id, results)), variadic)
    return _intern(
        key, lambda: GoType(Kind.FUNC, name, params=params, results=results, variadic=variadic)
    )


def named(underlying: GoType, name: str) -> GoType:
    """A defined type ``name`` with the underlying type ``underlying`` (e.g. ``env.Vars``)."""
    return _intern(
        ("named", name, id(underlying)),
        lambda: GoType(
            underlying.kind,
            name,
            elem=underlying.elem,
            key=underlying.key,
            fields=underlying.fields,
            params=underlying.params,
            results=underlying.results,
            variadic=underlying.variadic,
        ),
    )


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
