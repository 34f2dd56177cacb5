"""The JSON Schema editors get for services.yaml."""

from __future__ import annotations

import json

from codexstack.config.schema import json_schema


def test_schema_uses_yaml_spellings_and_descriptions() -> None:
    schema = json_schema()
    assert schema["title"] == "services.yaml"
    assert schema["$schema"].endswith("2020-12/schema")
    props = schema["properties"]
    for key in ("envFiles", "baseDomain", "maxSlots", "templateDialect", "dataPaths", "slots"):
        assert key in props, key
    assert schema["additionalProperties"] is False
    defs = schema["$defs"]
    assert "from" in defs["Environment"]["properties"]
    assert "tool_timeout_sec" in defs["MCPServer"]["properties"]
    assert "reviewMCPEnabled" in defs["CodexConfig"]["properties"]
    assert defs["HostMount"]["properties"]["hostPathType"]["default"] == "Directory"
    assert all(p.get("description") for p in defs["PVCMount"]["properties"].values())
    assert sorted(defs["ManifestRef"]["required"]) == ["path"]


def test_schema_is_json_serialisable_and_stable() -> None:
    assert json.dumps(json_schema(), sort_keys=True) == json.dumps(json_schema(), sort_keys=True)
