"""The Go value model as other layers build it: typed maps, slices, structs, pointers, time."""

from __future__ import annotations

import datetime as dt

import pytest

from codexstack.templating.functions import go_functions
from codexstack.templating.gotmpl import types as T
from codexstack.templating.gotmpl.gotime import GoTime, format_time
from codexstack.templating.gotmpl.template import GoTemplateError, render
from codexstack.templating.gotmpl.values import GoMap, GoPtr, GoSlice, GoStruct, NilPtr, typeof

FUNCS = go_functions({}, GoTime(0))


def go(text: str, data: object) -> str:
    return render("t", text, data, FUNCS)


def test_plain_python_values_have_their_natural_go_types() -> None:
    names = [typeof(v).name for v in ("s", 1, 1.5, True, {"a": 1}, [1], None)]
    assert names == [
        "string",
        "int",
        "float64",
        "bool",
        "map[string]interface {}",
        "[]interface {}",
        "interface {}",
    ]


def test_typed_maps_give_zero_values_for_missing_keys() -> None:
    data = {"S": GoMap.strings({"a": "1"}), "A": {"a": "1"}}
    assert go('{{ index .S "x" }}|{{ index .A "x" }}|{{ .S.x }}', data) == "|<no value>|<no value>"
    assert typeof(data["S"]).name == "map[string]string"


def test_struct_make_infers_field_types_and_none_is_a_nil_pointer() -> None:
    s = GoStruct.make("config.Thing", Name="n", Tags=GoSlice.strings(["a"]), Ref=None)
    assert [f"{n} {t}" for n, t in typeof(s).fields] == [
        "Name string",
        "Tags []string",
        "Ref *struct {}",
    ]
    assert go('{{ .Name }} {{ .Tags }} {{ .Ref }} {{ printf "%T" . }}', s) == (
        "n [a] <nil> config.Thing"
    )
    with pytest.raises(GoTemplateError, match=r"can't evaluate field Nope in type config\.Thing"):
        go("{{ .Nope }}", s)


def test_structs_refuse_unknown_fields() -> None:
    with pytest.raises(TypeError, match="has no fields"):
        GoStruct(T.struct_type([("A", T.STRING)]), {"B": 1})


def test_same_named_structs_with_different_fields_stay_apart() -> None:
    one = T.struct_type([("A", T.STRING)], name="pkg.Same")
    two = T.struct_type([("B", T.INT)], name="pkg.Same")
    assert one is not two
    assert T.ptr_to(one).elem is one
    assert T.ptr_to(two).elem is two
    assert T.struct_type([("A", T.STRING)], name="pkg.Same") is one


def test_pointers_print_their_target_at_top_level_and_nil_as_nil() -> None:
    inner = GoStruct.make(None, X="x")
    data = {"P": GoPtr(inner), "N": NilPtr(typeof(inner))}
    assert go("{{ .P }} {{ .P.X }} {{ .N }}", data) == "{x} x <nil>"
    assert go('{{ printf "%v %+v" .P .P }}', data) == "&{x} &{X:x}"


def test_time_from_aware_datetimes_keeps_the_zone() -> None:
    cest = dt.timezone(dt.timedelta(hours=2), "CEST")
    when = GoTime.from_datetime(dt.datetime(2024, 6, 1, 12, 30, tzinfo=cest))
    assert str(when) == "2024-06-01 12:30:00 +0200 CEST"
    assert str(when.utc()) == "2024-06-01 10:30:00 +0000 UTC"
    assert format_time(when, "Z07:00 -07 MST") == "+02:00 +02 CEST"
    naive = GoTime.from_datetime(dt.datetime(2024, 6, 1))
    assert str(naive) == "2024-06-01 00:00:00 +0000 UTC"


def test_time_layouts_cover_the_reference_chunks() -> None:
    t = GoTime(1_700_000_000, 120_000_000)
    assert format_time(t, "Monday, 02-Jan-06 15:04:05.000 MST") == (
        "Tuesday, 14-Nov-23 22:13:20.120 UTC"
    )
    assert format_time(t, "3:4:5 pm, day __2, .999999999") == "10:13:20 pm, day 318, .12"
    assert format_time(GoTime(-62135596800), "2006-01-02") == "0001-01-01"
