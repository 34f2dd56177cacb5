"""The agent's ``config.toml``, built with a TOML library and parsed back before upload.

Reference §8.5, with D-TOML and D-SECRET-FILE fixed. The document is the built-in default
(model, reasoning effort, ``approval_policy``, ``sandbox_mode``, ``model_verbosity``,
``web_search_request``) or the rendered ``codex.configTemplate``; then each rendered
``codex.configBlocks`` entry (blank ones skipped) is merged in under a
``# codex.configBlocks: <name>`` comment; then one ``[mcp_servers.<name>]`` table per
``codex.mcp.servers`` entry, keys sorted. Nothing is assembled as text: templates produce TOML
fragments that are parsed (an invalid one is an error naming its file and line), and the result
is written by ``tomlkit``, which quotes keys and strings correctly. Secrets never appear as
values: a stdio server's ``envRef`` becomes ``env_vars`` (or, under another name, a ``sh``
wrapper that copies one variable into the other), an http header's ``envRef`` becomes
``env_http_headers``, and ``bearer_token_env_var`` is kept for every HTTP-like server.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import tomlkit
from tomlkit.container import Container
from tomlkit.exceptions import ParseError
from tomlkit.items import Table

from codexstack.agent.model import DEFAULT_EFFORT, DEFAULT_MODEL, ModelChoice
from codexstack.agent.prompt import with_choice
from codexstack.config import ContextValues, LoadedConfig, MCPServer, ValueRef, read_text_file
from codexstack.errors import ConfigError, Location

MCP_COMMENT = "MCP servers (from services.yaml)"


@dataclass(frozen=True)
class RenderedConfig:
    """The config.toml text, its parsed form, and the variable names its servers read."""

    text: str
    data: dict[str, Any]
    env_names: tuple[str, ...] = ()
    secret_values: tuple[str, ...] = ()
    """Values of referenced variables: never written, but scrubbed from every output."""


def default_document(choice: ModelChoice | None) -> tomlkit.TOMLDocument:
    """The built-in config (§8.5) for the run's model and effort."""
    doc = tomlkit.document()
    doc["model"] = choice.model.value if choice else DEFAULT_MODEL
    doc["model_reasoning_effort"] = choice.effort.value if choice else DEFAULT_EFFORT
    doc["approval_policy"] = "never"
    doc["sandbox_mode"] = "danger-full-access"
    doc["model_verbosity"] = "low"
    doc["web_search_request"] = True
    return doc


def parse_fragment(text: str, name: str) -> tomlkit.TOMLDocument:
    """Parse a rendered TOML fragment; errors name the template and the line."""
    try:
        return tomlkit.parse(text)
    except ParseError as exc:
        where = Location(file=name, line=exc.line, column=exc.col)
        raise ConfigError(f"rendered TOML is invalid: {exc}", location=where) from None


def _merge(target: Container | Table, source: Container | Table, where: str, path: str) -> None:
    for key, value in source.items():
        dotted = f"{path}.{key}" if path else str(key)
        if key not in target:
            target.add(key, value)
            continue
        current = target[key]
        if isinstance(current, Table) and isinstance(value, Table):
            _merge(current, value, where, dotted)
            continue
        raise ConfigError(f"{where} sets {dotted!r} again", location=Location(key=where))


def _refs(
    server: MCPServer, refs: Mapping[str, ValueRef], values: ContextValues, what: str
) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Split references into literals and env names; the third list holds resolved secrets."""
    literals: dict[str, str] = {}
    names: dict[str, str] = {}
    secrets: list[str] = []
    for key in sorted(refs):
        ref = refs[key]
        where = f"codex.mcp.servers[{server.name}].{what}.{key}"
        if ref.env_ref.strip():
            name = ref.env_ref.strip()
            current = values.env_map.get(name, "")
            if not current and not ref.optional:
                raise ConfigError(
                    f"{where}: variable {name} is empty", location=Location(key=where)
                )
            if current:
                names[key] = name
                secrets.append(current)
        elif ref.var_ref.strip():
            value = values.vars.get(ref.var_ref.strip(), "")
            if not value and not ref.optional:
                msg = f"{where}: var {ref.var_ref.strip()} is not set"
                raise ConfigError(msg, location=Location(key=where))
            if value:
                literals[key] = value
        elif ref.value.strip() or not ref.optional:
            literals[key] = ref.value
    return literals, names, secrets


def _url(server: MCPServer, namespace: str) -> str:
    if server.kind == "cluster":
        assert server.service is not None
        svc = server.service
        scheme = svc.scheme.strip() or "http"
        path = svc.path.strip() or "/mcp"
        ns = svc.namespace.strip() or namespace
        host = f"{svc.name.strip()}.{ns}.svc.cluster.local"
        return f"{scheme}://{host}:{svc.port or 80}{path if path.startswith('/') else '/' + path}"
    endpoint = server.endpoint.strip()
    if "://" in endpoint:
        return endpoint
    return f"{server.kind}://{endpoint}"


def _inline(mapping: Mapping[str, str]) -> Any:
    table = tomlkit.inline_table()
    for key in sorted(mapping):
        table[key] = mapping[key]
    return table


def server_table(
    server: MCPServer, values: ContextValues
) -> tuple[dict[str, Any], list[str], list[str]]:
    """One server's keys (unsorted dict), the variable names it reads, and resolved secrets."""
    out: dict[str, Any] = {}
    names: list[str] = []
    secrets: list[str] = []
    if server.tool_timeout_sec > 0:
        out["tool_timeout_sec"] = server.tool_timeout_sec
    if server.kind == "stdio":
        literals, refs, secrets = _refs(server, server.env, values, "env")
        command, args = server.command.strip(), list(server.args)
        renamed = {k: v for k, v in refs.items() if k != v}
        if renamed:
            exports = "; ".join(f'export {k}="${{{v}}}"' for k, v in sorted(renamed.items()))
            args = ["-c", f'{exports}; exec "$@"', "sh", command, *args]
            command = "sh"
        out["command"] = command
        if args:
            out["args"] = args
        if server.startup_timeout_sec > 0:
            out["startup_timeout_sec"] = server.startup_timeout_sec
        if literals:
            out["env"] = _inline(literals)
        if refs:
            out["env_vars"] = sorted(set(refs.values()))
            names.extend(refs.values())
        return out, names, secrets
    out["url"] = _url(server, values.namespace)
    if server.bearer_token_env_var.strip():
        out["bearer_token_env_var"] = server.bearer_token_env_var.strip()
        names.append(server.bearer_token_env_var.strip())
    literals, refs, secrets = _refs(server, server.headers, values, "headers")
    if literals:
        out["http_headers"] = _inline(literals)
    if refs:
        out["env_http_headers"] = _inline(refs)
        names.extend(refs.values())
    return out, names, secrets


def _render_fragment(loaded: LoadedConfig, values: ContextValues, text: str, name: str) -> str:
    return values.renderer.render(loaded.dialect, name, text, values.template_context)


def render_config(loaded: LoadedConfig, choice: ModelChoice | None) -> RenderedConfig:
    """The whole config.toml for this load and model choice, checked by parsing it back."""
    codex = loaded.model.codex
    values = with_choice(loaded.context, choice) if choice else loaded.context
    if codex.config_template.strip():
        path = loaded.resolve_path(codex.config_template.strip(), "codex.configTemplate")
        text = _render_fragment(loaded, values, read_text_file(path, "config template"), path.name)
        doc = parse_fragment(text, path.name)
    else:
        doc = default_document(choice)
    for index, block in enumerate(codex.config_blocks):
        label = block.name.strip() or f"#{index + 1}"
        if block.file.strip():
            path = loaded.resolve_path(block.file.strip(), f"codex.configBlocks[{index}].file")
            source, name = read_text_file(path, "config block"), path.name
        else:
            source, name = block.toml, block.name.strip() or f"configBlocks[{index}]"
        rendered = _render_fragment(loaded, values, source, name)
        if not rendered.strip():
            continue
        fragment = parse_fragment(rendered, name)
        doc.add(tomlkit.nl())
        doc.add(tomlkit.comment(f"codex.configBlocks: {label}"))
        _merge(doc, fragment, f"codex.configBlocks[{label}]", "")
    names: list[str] = []
    secrets: list[str] = []
    if codex.mcp.servers:
        servers = tomlkit.table(is_super_table=True)
        for server in codex.mcp.servers:
            keys, used, resolved = server_table(server, values)
            table = tomlkit.table()
            for key in sorted(keys):
                table.add(key, keys[key])
            servers.add(server.name.strip(), table)
            names.extend(used)
            secrets.extend(resolved)
        doc.add(tomlkit.nl())
        doc.add(tomlkit.comment(MCP_COMMENT))
        section = tomlkit.document()
        section.add("mcp_servers", servers)
        _merge(doc, section, "codex.mcp.servers", "")
    text = tomlkit.dumps(doc)
    if not text.endswith("\n"):
        text += "\n"
    data = parse_back(text, doc.unwrap())
    return RenderedConfig(text, data, tuple(dict.fromkeys(names)), tuple(secrets))


def parse_back(text: str, expected: dict[str, Any]) -> dict[str, Any]:
    """Parse the written text with the standard library and insist it means what we built."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config.toml does not parse: {exc}") from None
    if data != expected:
        raise ConfigError("config.toml does not read back as written (a TOML writer bug)")
    return data
