"""``.Codex`` and ``.Storage`` as Go structs with codexctl's field names and types."""

from __future__ import annotations

from codexstack.config.gostructs import codex_value, go_field_name, storage_value
from codexstack.config.models import CodexConfig, Storage
from codexstack.templating.gotmpl.values import GoMap, GoPtr, GoSlice, GoStruct, NilPtr


def test_go_field_names() -> None:
    assert go_field_name("config_template") == "ConfigTemplate"
    assert go_field_name("review_mcp_enabled") == "ReviewMCPEnabled"
    assert go_field_name("mcp") == "MCP"
    assert go_field_name("toml") == "TOML"
    assert go_field_name("bearer_token_env_var") == "BearerTokenEnvVar"


def test_zero_codex_in_pass_one() -> None:
    value = codex_value(None)
    assert value.gotype.name == "config.CodexConfig"
    assert [name for name, _ in value.items()] == [
        "ConfigTemplate",
        "PromptLang",
        "Model",
        "ModelReasoningEffort",
        "Links",
        "ExtraTools",
        "ProjectContext",
        "ServicesOverview",
        "Timeouts",
        "ConfigBlocks",
        "ReviewMCPEnabled",
        "MCP",
    ]
    assert value.get("Model") == ""
    assert value.get("Timeouts").get("DeployWait") == ""


def test_codex_values_and_types() -> None:
    codex = CodexConfig.model_validate(
        {
            "extraTools": ["psql"],
            "links": [{"title": "Docs", "path": "/docs"}],
            "configBlocks": [{"toml": "a = 1"}],
            "mcp": {
                "servers": [
                    {
                        "name": "s",
                        "type": "cluster",
                        "service": {"name": "mcp"},
                        "headers": {"X": {"envRef": "TOKEN"}},
                    }
                ]
            },
        }
    )
    value = codex_value(codex)
    tools = value.get("ExtraTools")
    assert isinstance(tools, GoSlice)
    assert tools.gotype.name == "[]string"
    assert tools == ["psql"]
    links = value.get("Links")
    assert links.gotype.name == "[]config.Link"
    assert links[0].get("Path") == "/docs"
    assert value.get("ConfigBlocks")[0].get("TOML") == "a = 1"
    server = value.get("MCP").get("Servers")[0]
    assert server.gotype.name == "config.MCPServer"
    headers = server.get("Headers")
    assert isinstance(headers, GoMap)
    assert headers.gotype.name == "map[string]config.ValueRef"
    assert headers["X"].get("EnvRef") == "TOKEN"
    service = server.get("Service")
    assert isinstance(service, GoPtr)
    assert service.gotype.name == "*config.MCPServiceRef"
    assert service.target.get("Port") == 0


def test_storage_nil_and_present() -> None:
    nil = storage_value(None)
    assert isinstance(nil, NilPtr)
    assert nil.gotype.name == "*config.StorageConfig"
    present = storage_value(
        Storage.model_validate({"data": {"size": "1Gi", "accessModes": ["ReadWriteOnce"]}})
    )
    assert isinstance(present, GoPtr)
    struct = present.target
    assert isinstance(struct, GoStruct)
    assert isinstance(struct.get("Workspace"), NilPtr)
    data = struct.get("Data").target
    assert data.get("StorageClass") == ""
    assert data.get("AccessModes").gotype.name == "[]string"
