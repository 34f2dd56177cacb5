"""Typed JSON template data, decoded into the Go value model the same way the oracle does.

The differential oracle (``tests/oracle/gotemplate/main.go``) and this module read the same
encoding, so both sides execute templates on identical Go values:

* plain JSON: objects are ``map[string]interface {}``, arrays ``[]interface {}``, integer
  literals ``int``, other numbers ``float64``, ``null`` a nil interface;
* objects with a ``"$t"`` key are typed values: ``slice``/``map`` (with element and key
  types), ``struct`` (fields with types), ``ptr`` (to a struct), ``nil`` (typed zero value),
  ``int64``/``uint8``/``float64`` (``"NaN"``, ``"+Inf"``), ``time`` (Unix s/ns, UTC),
  ``greeter`` (a named struct with methods) and ``func`` (a function value for ``call``).

Types are strings (``string int int64 uint8 float64 bool any time greeter``) or objects
``{"slice": T}``, ``{"ptr": T}``, ``{"map": [K, V]}``, ``{"struct": [[name, T], ...]}``.
"""

from __future__ import annotations

from typing import Any

from codexstack.templating.gotmpl import types as T
from codexstack.templating.gotmpl.gotime import TIME, GoTime
from codexstack.templating.gotmpl.types import INT_KINDS, UINT_KINDS, GoType, Kind
from codexstack.templating.gotmpl.values import (
    FuncError,
    GoFunc,
    GoMap,
    GoPtr,
    GoSlice,
    GoStruct,
    int_of,
)

GREETER = T.struct_type([("Name", T.STRING)], name="main.Greeter")


def _pair(g: GoStruct) -> str:
    name = g.get("Name")
    if not name:
        raise FuncError("no name")
    return f"{name}+{name}"


GREETER.add_method(
    "Hello", GoFunc("Hello", lambda g, s: f"{s}, {g.get('Name')}", [GREETER, T.STRING], T.STRING)
)
GREETER.add_method("Pair", GoFunc("Pair", _pair, [GREETER], T.STRING, returns_error=True))
GREETER.add_method(
    "String", GoFunc("String", lambda g: f"Greeter({g.get('Name')})", [GREETER], T.STRING)
)


def _fail() -> str:
    raise FuncError("boom")


FUNC_VALUES = {
    "upper": GoFunc("upper", str.upper, [T.STRING], T.STRING),
    "concat": GoFunc(
        "concat",
        lambda a, *r: a + "".join(r),
        [T.STRING, T.slice_of(T.STRING)],
        T.STRING,
        variadic=True,
    ),
    "fail": GoFunc("fail", _fail, [], T.STRING, returns_error=True),
    "add": GoFunc("add", lambda a, b: a + b, [T.INT, T.INT], T.INT),
}

_NAMED = {
    "string": T.STRING,
    "int": T.INT,
    "int64": T.INT64,
    "uint8": T.UINT8,
    "float64": T.FLOAT64,
    "bool": T.BOOL,
    "any": T.ANY,
    "time": TIME,
    "greeter": GREETER,
}


def decode_type(spec: Any) -> GoType:
    """The Go type a JSON type description stands for."""
    if isinstance(spec, str):
        return _NAMED[spec]
    if "slice" in spec:
        return T.slice_of(decode_type(spec["slice"]))
    if "ptr" in spec:
        return T.ptr_to(decode_type(spec["ptr"]))
    if "map" in spec:
        key, elem = spec["map"]
        return T.map_of(decode_type(key), decode_type(elem))
    return T.struct_type([(name, decode_type(t)) for name, t in spec["struct"]])


def into(value: Any, t: GoType) -> Any:
    """A decoded value stored in a container of declared type ``t`` (Go's Set/Convert)."""
    if value is None:
        return T.zero(t)
    if t.kind in INT_KINDS or t.kind in UINT_KINDS:
        return int_of(t, value)
    if t.kind == Kind.FLOAT64:
        return float(value)
    if t.kind == Kind.SLICE and type(value) is list:
        assert t.elem is not None
        return GoSlice([into(v, t.elem) for v in value], gotype=t)
    if t.kind == Kind.MAP and type(value) is dict:
        assert t.elem is not None
        return GoMap({k: into(v, t.elem) for k, v in value.items()}, gotype=t)
    return value


def decode_value(j: Any) -> Any:
    """A JSON value in the typed encoding, as a Go-model value (``None``: nil interface)."""
    if isinstance(j, list):
        return [decode_value(x) for x in j]
    if isinstance(j, dict):
        if "$t" in j:
            return _decode_tagged(j["$t"], j)
        return {k: decode_value(v) for k, v in j.items()}
    return j


def _decode_tagged(tag: str, j: dict[str, Any]) -> Any:
    if tag == "slice":
        elem = decode_type(j["e"])
        return GoSlice([into(decode_value(x), elem) for x in j["v"]], elem=elem)
    if tag == "map":
        key, elem = decode_type(j["k"]), decode_type(j["e"])
        conv = int if key.kind == Kind.INT else str
        items = {conv(k): into(decode_value(v), elem) for k, v in j["v"].items()}
        return GoMap(items, key=key, elem=elem)
    if tag == "struct":
        ftypes = [(name, decode_type(t)) for name, t, _ in j["f"]]
        values = {name: into(decode_value(v), decode_type(t)) for name, t, v in j["f"]}
        return GoStruct(T.struct_type(ftypes), values)
    if tag == "ptr":
        return GoPtr(decode_value(j["v"]))
    if tag == "nil":
        return T.zero(decode_type(j["type"]))
    if tag in ("int64", "uint8"):
        return int_of(_NAMED[tag], int(j["v"]))
    if tag == "float64":
        return float(j["v"].replace("+Inf", "inf") if isinstance(j["v"], str) else j["v"])
    if tag == "time":
        return GoTime(j["v"]["s"], j["v"]["n"])
    if tag == "greeter":
        return GoStruct(GREETER, {"Name": j["v"]})
    if tag == "func":
        return FUNC_VALUES[j["v"]]
    raise ValueError(f"unknown tag {tag}")
