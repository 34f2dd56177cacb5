"""The Python value model of Go template data.

Plain Python values stand for the Go values a program most often hands to a template:
``str`` is ``string``, ``bool`` is ``bool``, ``int`` is ``int``, ``float`` is ``float64``,
``dict`` is ``map[string]interface {}``, ``list``/``tuple`` is ``[]interface {}`` and ``None``
is a nil ``interface {}`` (as inside decoded JSON or YAML). Everything else that Go tells
apart has a small wrapper here: typed maps and slices (:class:`GoMap`, :class:`GoSlice`, so
``index`` of a missing key yields the element's zero value), structs with declared fields and
methods (:class:`GoStruct`), typed nil pointers (:class:`NilPtr`), pointers to structs
(:class:`GoPtr`), sized integers (:class:`Int64`, :class:`Uint8`, ...) and functions
(:class:`GoFunc`). Templates reach nothing but these declared parts: there is no attribute
access on Python objects, which is what keeps the Go dialect sandboxed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ClassVar

from codexstack.templating.gotmpl import types as T
from codexstack.templating.gotmpl.types import GoType, Kind


class _Sentinel:
    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name

    def __bool__(self) -> bool:
        return False


NO_VALUE: Any = _Sentinel("NO_VALUE")
"""The invalid ``reflect.Value``: a missing map key or nil data. Prints as ``<no value>``."""

MISSING: Any = _Sentinel("MISSING")
"""No piped-in final argument (``missingVal`` in Go)."""


class IfaceBox:
    """A non-nil ``interface {}`` holding ``value``: what Go reads from an interface-typed slot.

    Go keeps such values "boxed" until a pipeline step ends, and a few builtins (``slice``
    indexes) refuse them, while error messages name their type as ``interface {}``. The
    executor boxes values read from ``map[string]interface {}``, ``[]interface {}`` and
    interface-typed struct fields, and unboxes them where Go does.
    """

    __slots__ = ("value",)
    gotype = T.ANY

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"IfaceBox({self.value!r})"


def box(value: Any, slot: GoType | None) -> Any:
    """``value`` as read from a slot of static type ``slot`` (boxed when that is an interface)."""
    if slot is not None and slot.kind == Kind.IFACE and value is not None and value is not NO_VALUE:
        return IfaceBox(value)
    return value


def unbox(value: Any) -> Any:
    """The concrete value inside an interface (a nil interface stays ``None``)."""
    return value.value if type(value) is IfaceBox else value


class FuncError(Exception):
    """Raised by a template function to return a Go ``error`` (``error calling f: ...``)."""


class GoInt(int):
    """An integer of a sized Go type; plain ``int`` is Go's ``int``."""

    gotype: ClassVar[GoType] = T.INT
    bits: ClassVar[int] = 64
    signed: ClassVar[bool] = True

    def __new__(cls, value: int = 0) -> GoInt:
        mask = (1 << cls.bits) - 1
        value &= mask
        if cls.signed and value >> (cls.bits - 1):
            value -= 1 << cls.bits
        return super().__new__(cls, value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({int(self)})"


class Int32(GoInt):
    """Go ``int32`` (also ``rune``)."""

    gotype = T.INT32
    bits = 32


class Int64(GoInt):
    """Go ``int64``, e.g. the result of ``time.Time.Unix``."""

    gotype = T.INT64


class Uint(GoInt):
    """Go ``uint``."""

    gotype = T.UINT
    signed = False


class Uint8(GoInt):
    """Go ``uint8`` (``byte``), e.g. ``index "abc" 1``."""

    gotype = T.UINT8
    bits = 8
    signed = False


class Uint64(GoInt):
    """Go ``uint64``."""

    gotype = T.UINT64
    signed = False


_INT_CLASSES: dict[Kind, type[GoInt]] = {
    Kind.INT32: Int32,
    Kind.INT64: Int64,
    Kind.UINT: Uint,
    Kind.UINT8: Uint8,
    Kind.UINT64: Uint64,
}


def int_of(t: GoType, value: int) -> int:
    """The integer ``value`` converted to Go type ``t`` (wrapping like a Go conversion)."""
    if t.kind == Kind.INT:
        return int(GoInt(value))
    return _INT_CLASSES[t.kind](value)


class GoMap(dict[Any, Any]):
    """A Go map with a declared key and element type (default ``map[string]interface {}``)."""

    __slots__ = ("gotype",)

    def __init__(
        self,
        data: Mapping[Any, Any] | None = None,
        *,
        key: GoType = T.STRING,
        elem: GoType = T.ANY,
        gotype: GoType | None = None,
    ) -> None:
        super().__init__(data or {})
        self.gotype = gotype or T.map_of(key, elem)

    @classmethod
    def strings(cls, data: Mapping[str, str] | None = None) -> GoMap:
        """A ``map[string]string``: ``index`` of a missing key yields ``""``."""
        return cls(data, elem=T.STRING)


class GoSlice(list[Any]):
    """A Go slice with a declared element type (default ``[]interface {}``)."""

    __slots__ = ("gotype",)

    def __init__(
        self, items: Iterable[Any] = (), *, elem: GoType = T.ANY, gotype: GoType | None = None
    ) -> None:
        super().__init__(items)
        self.gotype = gotype or T.slice_of(elem)

    @classmethod
    def strings(cls, items: Iterable[str] = ()) -> GoSlice:
        """A ``[]string`` (what ``join`` accepts)."""
        return cls(items, elem=T.STRING)


class GoStruct:
    """A struct value: a struct :class:`GoType` plus one value per declared field."""

    __slots__ = ("gotype", "values")

    def __init__(self, gotype: GoType, values: Mapping[str, Any] | None = None) -> None:
        self.gotype = gotype
        given = values or {}
        unknown = set(given) - set(gotype.field_index)
        if unknown:
            raise TypeError(f"{gotype.name} has no fields {sorted(unknown)}")
        # None (or an absent field) is the field type's zero value: a nil pointer, nil map...
        self.values = [
            T.zero(ftype) if given.get(name) is None else given[name]
            for name, ftype in gotype.fields
        ]

    @classmethod
    def make(cls, name: str | None = None, /, **fields: Any) -> GoStruct:
        """A struct whose field types are inferred from the values (``None``: nil pointer)."""
        decl = [(fname, _infer_field_type(v)) for fname, v in fields.items()]
        return cls(T.struct_type(decl, name), fields)

    def get(self, name: str) -> Any:
        """The value of field ``name`` (KeyError when the struct has no such field)."""
        return self.values[self.gotype.field_index[name]]

    def items(self) -> Iterable[tuple[str, Any]]:
        """(field name, value) pairs in declaration order."""
        return zip((f for f, _ in self.gotype.fields), self.values, strict=True)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, GoStruct)
            and self.gotype.same(other.gotype)
            and self.values == other.values
        )

    def __hash__(self) -> int:
        return hash(self.gotype.name)

    def __repr__(self) -> str:
        return f"GoStruct({self.gotype.name}, {dict(self.items())!r})"


_EMPTY_STRUCT = T.struct_type([])


def _infer_field_type(value: Any) -> GoType:
    return T.ptr_to(_EMPTY_STRUCT) if value is None else typeof(value)


class NilPtr:
    """A typed nil pointer: prints ``<nil>``, is false, and field access on it is an error."""

    __slots__ = ("gotype",)

    def __init__(self, gotype: GoType) -> None:
        if gotype.kind != Kind.PTR:
            gotype = T.ptr_to(gotype)
        self.gotype = gotype

    def __bool__(self) -> bool:
        return False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NilPtr) and self.gotype.same(other.gotype)

    def __hash__(self) -> int:
        return hash(self.gotype.name)

    def __repr__(self) -> str:
        return f"NilPtr({self.gotype.name})"


class GoPtr:
    """A non-nil pointer to a struct value (``&T{...}``)."""

    __slots__ = ("gotype", "target")

    def __init__(self, target: Any) -> None:
        self.target = target
        self.gotype = T.ptr_to(typeof(target))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GoPtr) and self.target is other.target

    def __hash__(self) -> int:
        return id(self.target)


class GoFunc:
    """A Go function (or method, receiver first) with its signature.

    The callable gets already-converted arguments and returns one value; raising
    :class:`FuncError` is Go's ``return zero, err``.
    """

    __slots__ = ("fn", "gotype", "name")

    def __init__(
        self,
        name: str,
        fn: Callable[..., Any],
        params: Sequence[GoType],
        result: GoType,
        *,
        variadic: bool = False,
        returns_error: bool = False,
    ) -> None:
        results = (result, T.ERROR) if returns_error else (result,)
        self.name = name
        self.fn = fn
        self.gotype = T.func_type(params, results, variadic)

    def __repr__(self) -> str:
        return f"GoFunc({self.name}: {self.gotype.name})"


_NATIVE: dict[type, GoType] = {
    str: T.STRING,
    bool: T.BOOL,
    int: T.INT,
    float: T.FLOAT64,
    complex: T.COMPLEX128,
    dict: T.map_of(T.STRING, T.ANY),
    list: T.slice_of(T.ANY),
    tuple: T.slice_of(T.ANY),
}


def typeof(v: Any) -> GoType:
    """The dynamic Go type of a value of the model (``interface {}`` for ``None``)."""
    found = _NATIVE.get(type(v))
    if found is not None:
        return found
    if v is None:
        return T.ANY
    try:
        gotype: GoType = v.gotype
    except AttributeError:
        raise TypeError(f"unsupported template value of Python type {type(v).__name__}") from None
    return gotype


def kind_of(v: Any) -> Kind:
    """``reflect.Value.Kind`` (``INVALID`` for :data:`NO_VALUE`)."""
    if v is NO_VALUE:
        return Kind.INVALID
    return typeof(v).kind


def _zero_int(t: GoType) -> Any:
    return 0 if t.kind == Kind.INT else _INT_CLASSES[t.kind](0)


def _zero_struct(t: GoType) -> Any:
    hook = _struct_zero_hooks.get(t.name)
    return hook() if hook else GoStruct(t)


_struct_zero_hooks: dict[str, Callable[[], Any]] = {}


def register_struct_zero(t: GoType, factory: Callable[[], Any]) -> None:
    """Struct types implemented by a Python class (time.Time) build their own zero value."""
    _struct_zero_hooks[t.name] = factory


for _k in (*T.INT_KINDS, *T.UINT_KINDS):
    T.register_zero(_k, _zero_int)
T.register_zero(Kind.MAP, lambda t: GoMap(gotype=t))
T.register_zero(Kind.SLICE, lambda t: GoSlice(gotype=t))
T.register_zero(Kind.PTR, NilPtr)
T.register_zero(Kind.STRUCT, _zero_struct)
T.register_zero(Kind.VALUE, lambda t: NO_VALUE)
T.register_zero(Kind.FUNC, lambda t: None)
