"""Template data sets of the differential corpus, in the typed JSON encoding of codec.py."""

from __future__ import annotations

from typing import Any


def typed(tag: str, **fields: Any) -> dict[str, Any]:
    """A typed value: ``{"$t": tag, ...}``."""
    return {"$t": tag, **fields}


def smap(items: dict[str, str]) -> dict[str, Any]:
    """A ``map[string]string``."""
    return typed("map", k="string", e="string", v=items)


def sslice(items: list[str]) -> dict[str, Any]:
    """A ``[]string``."""
    return typed("slice", e="string", v=items)


def struct(*fields: tuple[str, Any, Any]) -> dict[str, Any]:
    """An anonymous struct value from (name, type, value) triples."""
    return typed("struct", f=[list(f) for f in fields])


TIME = typed("time", v={"s": 1_700_000_000, "n": 123_456_789})
VOLUME_T = {
    "struct": [["Size", "string"], ["StorageClass", "string"], ["AccessModes", {"slice": "string"}]]
}
STORAGE_T = {
    "struct": [
        ["Workspace", {"ptr": VOLUME_T}],
        ["Data", {"ptr": VOLUME_T}],
        ["Registry", {"ptr": VOLUME_T}],
    ]
}
LINK_T = {"struct": [["Title", "string"], ["Path", "string"]]}
CODEX_T = {
    "struct": [
        ["Model", "string"],
        ["PromptLang", "string"],
        ["ExtraTools", {"slice": "string"}],
        ["Links", {"slice": LINK_T}],
        ["ProjectContext", "string"],
    ]
}


def _volume(size: str, cls: str, modes: list[str]) -> dict[str, Any]:
    return typed(
        "ptr",
        v=struct(
            ("Size", "string", size),
            ("StorageClass", "string", cls),
            ("AccessModes", {"slice": "string"}, modes),
        ),
    )


def _codex(model: str, tools: list[str]) -> dict[str, Any]:
    links = [
        struct(("Title", "string", "Swagger"), ("Path", "string", "/docs")),
        struct(("Title", "string", "Admin"), ("Path", "string", "/admin")),
    ]
    return struct(
        ("Model", "string", model),
        ("PromptLang", "string", "en"),
        ("ExtraTools", {"slice": "string"}, tools),
        ("Links", {"slice": LINK_T}, links),
        ("ProjectContext", "string", "line one\nline two\n\n"),
    )


def context(storage: bool, slot: int = 3) -> dict[str, Any]:
    """A codexctl-shaped template context (struct), with or without a storage block."""
    storage_value: Any = typed("nil", type={"ptr": STORAGE_T})
    if storage:
        storage_value = typed(
            "ptr",
            v=struct(
                ("Workspace", {"ptr": VOLUME_T}, _volume("10Gi", "standard", ["ReadWriteOnce"])),
                ("Data", {"ptr": VOLUME_T}, typed("nil", type={"ptr": VOLUME_T})),
                (
                    "Registry",
                    {"ptr": VOLUME_T},
                    _volume("5Gi", "", ["ReadWriteOnce", "ReadOnlyMany"]),
                ),
            ),
        )
    return struct(
        ("Env", "string", "ai"),
        ("Namespace", "string", f"demo-ai-{slot}"),
        ("Project", "string", "demo"),
        ("ProjectRoot", "string", "/srv/demo"),
        ("Slot", "int", slot),
        ("Now", "time", TIME),
        ("UserVars", {"map": ["string", "string"]}, smap({"TAG": "v1.2.3"})),
        ("Vars", {"map": ["string", "string"]}, smap({"TAG": "v1.2.3", "FILEVAR": "f"})),
        (
            "EnvMap",
            {"map": ["string", "string"]},
            smap({"HOME": "/root", "EMPTY": "", "TAG": "v1.2.3"}),
        ),
        ("Versions", {"map": ["string", "string"]}, smap({"postgres": "16.2", "redis": "7"})),
        (
            "BaseDomain",
            {"map": ["string", "string"]},
            smap({"dev": "dev.example.com", "ai": "ai.example.com"}),
        ),
        ("Codex", CODEX_T, _codex("gpt-5", ["psql", "redis-cli"])),
        ("Storage", {"ptr": STORAGE_T}, storage_value),
    )


BASIC: dict[str, Any] = {
    "S": "hello",
    "E": "",
    "Spaces": "  padded  ",
    "N": 42,
    "Z": 0,
    "Neg": -7,
    "F": 3.5,
    "FI": 2.0,
    "Big": 1e21,
    "Small": 1e-7,
    "B": True,
    "BF": False,
    "L": ["a", "b", "c"],
    "LM": [1, "two", 3.5, True, None, {"k": "v"}, ["x"]],
    "M": {"b": 2, "a": 1, "c": None, "s": "str"},
    "Nil": None,
    "SS": sslice(["x", "y", "z"]),
    "MS": smap({"k1": "v1", "k2": "", "K3": "v3"}),
    "MI": typed("map", k="int", e="string", v={"3": "three", "1": "one", "20": "twenty"}),
    "MSI": typed("map", k="string", e="int", v={"one": 1, "two": 2}),
    "I64": typed("int64", v=-9000000000),
    "U8": typed("uint8", v=200),
    "Uni": "héllo wörld ☃",
    "Quote": 'it\'s "q"\tand\\back',
    "HTML": "<a href='x'>&amp;</a>",
    "Nested": {"A": {"B": {"C": "deep"}}},
    "Empty": [],
    "EmptyM": {},
    "EmptySS": sslice([]),
    "Time": TIME,
    "G": typed("greeter", v="Ann"),
    "GE": typed("greeter", v=""),
    "Fn": typed("func", v="upper"),
    "FnFail": typed("func", v="fail"),
    "Add": typed("func", v="add"),
    "Concat": typed("func", v="concat"),
    "Struct": struct(
        ("A", "string", "alpha"),
        ("B", "int", 7),
        ("C", {"slice": "string"}, ["c1", "c2"]),
        (
            "D",
            {"ptr": {"struct": [["X", "string"]]}},
            typed("nil", type={"ptr": {"struct": [["X", "string"]]}}),
        ),
        ("E", {"map": ["string", "string"]}, smap({"e": "E"})),
        ("F", "any", None),
        ("G", "float64", 1.25),
    ),
    "PtrS": typed("ptr", v=struct(("X", "string", "px"), ("Y", "int", 2))),
    "NilPtr": typed("nil", type={"ptr": {"struct": [["X", "string"]]}}),
    "NaN": typed("float64", v="NaN"),
    "Inf": typed("float64", v="+Inf"),
    "Slot": 3,
    "Path": "/srv/repo",
    "Multi": "line1\nline2\n\n",
    "SHA": "0123456789abcdef0123",
    "Ver": "v1.2.3",
    "Mixed": "Hello World_Foo Bar",
}

DATASETS: dict[str, Any] = {
    "basic": BASIC,
    "ctx": context(storage=False),
    "ctx_storage": context(storage=True, slot=7),
    "nil": None,
    "str": "just a string",
    "list": ["p", "q"],
    "int": 5,
}

ENV = {"REGISTRY_HOST": "registry.local:5000", "EMPTY": "", "SPACE": " ", "TAG": "v9"}
