"""The ``codex`` block of services.yaml: agent config template, prompts, timeouts, MCP servers.

Mirrors codexctl 1.0.x's ``CodexConfig`` (§2.7). Checks that codexctl performs only when it
renders the agent's ``config.toml`` (exactly one of ``toml``/``file`` per config block, exactly
one of ``value``/``envRef``/``varRef`` per value reference, unique MCP server names, the
fields each server type needs) run here at load time, so a broken file fails before anything
is deployed. Like codexctl, "set" means non-blank after trimming.
"""

from __future__ import annotations

import re
from typing import ClassVar

from pydantic import Field, model_validator

from codexstack.config.docstrings import document_models
from codexstack.config.models_base import ConfigModel, YBool, YInt, YName, YStr
from codexstack.golang import DurationError, parse_duration

DEFAULT_EXEC_TIMEOUT = 3600.0
DEFAULT_ROLLOUT_TIMEOUT = 1200.0
DEFAULT_DEPLOY_WAIT = 600.0
MCP_TYPES = ("stdio", "http", "https", "cluster")
_SECRET_NAME = re.compile(r"[a-z0-9]([-a-z0-9.]*[a-z0-9])?")


def _timeout(text: str, default: float) -> float:
    if not text.strip():
        return default
    try:
        return parse_duration(text.strip())
    except DurationError:
        return default


class Link(ConfigModel):
    """A link shown in the environment comment (``https://<host><path>``)."""

    title: YStr = ""
    """Link label; entries with a blank title or path are skipped."""
    path: YStr = ""
    """Path on the environment host; a leading ``/`` is added when missing."""


class CodexTimeouts(ConfigModel):
    """Go duration strings bounding the agent run; blank means the built-in default."""

    exec: YStr = ""
    """Whole ``prompt run`` (default ``60m``); an invalid value warns and uses the default."""
    rollout: YStr = ""
    """``rollout status deploy/codex`` (default ``1200s``)."""
    deploy_wait: YStr = ""
    """Wait for Deployments after an apply (default ``600s``)."""

    @property
    def exec_seconds(self) -> float:
        """``exec`` in seconds, falling back to 60 minutes when blank or invalid."""
        return _timeout(self.exec, DEFAULT_EXEC_TIMEOUT)

    @property
    def rollout_seconds(self) -> float:
        """``rollout`` in seconds, falling back to 1200 s when blank or invalid."""
        return _timeout(self.rollout, DEFAULT_ROLLOUT_TIMEOUT)

    @property
    def deploy_wait_seconds(self) -> float:
        """``deployWait`` in seconds, falling back to 600 s when blank or invalid."""
        return _timeout(self.deploy_wait, DEFAULT_DEPLOY_WAIT)


class ConfigBlock(ConfigModel):
    """A TOML fragment appended to the agent's config.toml, inline or from a file."""

    name: YStr = ""
    """Optional name, written as a ``# codex.configBlocks: <name>`` comment."""
    toml: YStr = ""
    """Inline TOML (a template)."""
    file: YStr = ""
    """TOML file relative to the project root (a template)."""

    @model_validator(mode="after")
    def _exactly_one_source(self) -> ConfigBlock:
        given = [k for k in ("toml", "file") if getattr(self, k).strip()]
        if len(given) != 1:
            raise ValueError("exactly one of 'toml' or 'file' must be set")
        return self


class ValueRef(ConfigModel):
    """A value for an MCP env var or header, given literally or by reference."""

    value: YStr = ""
    """A literal value (avoid for secrets)."""
    env_ref: YStr = ""
    """Name of a variable in the merged env map (process env < envFiles < vars)."""
    var_ref: YStr = ""
    """Name of a var-file / ``--vars`` value."""
    optional: YBool = False
    """When true, an unset reference (or none at all) drops the entry instead of failing."""

    @model_validator(mode="after")
    def _exactly_one_source(self) -> ValueRef:
        given = [k for k in ("value", "env_ref", "var_ref") if getattr(self, k).strip()]
        if len(given) > 1 or (not given and not self.optional):
            raise ValueError("exactly one of 'value', 'envRef' or 'varRef' must be set")
        return self


class MCPServiceRef(ConfigModel):
    """An in-cluster Service serving MCP (server type ``cluster``)."""

    name: YStr = ""
    """Service name."""
    namespace: YStr = ""
    """Service namespace; default: the environment's namespace."""
    port: YInt = Field(default=0, ge=0, le=65535)
    """Service port; 0 means 80."""
    path: YStr = ""
    """URL path; default ``/mcp``."""
    scheme: YStr = ""
    """``http`` (default) or ``https``."""


class MCPTool(ConfigModel):
    """A tool an MCP server offers, listed in prompts."""

    name: YName
    """Tool name."""
    description: YStr = ""
    """Short description shown in prompts."""


class MCPServer(ConfigModel):
    """One MCP server written to ``[mcp_servers.<name>]`` in the agent's config.toml."""

    name: YName
    """Unique (case-insensitive) server key."""
    type: YStr
    """``stdio``, ``http``, ``https`` or ``cluster`` (case-insensitive)."""
    description: YStr = ""
    """Summary for prompts (not written to config.toml)."""
    tool_timeout_sec: YInt = Field(default=0, ge=0, alias="tool_timeout_sec")
    """Per-tool timeout in seconds (written when > 0)."""
    startup_timeout_sec: YInt = Field(default=0, ge=0, alias="startup_timeout_sec")
    """Startup timeout in seconds, stdio only (written when > 0)."""
    command: YStr = ""
    """stdio: the command to start."""
    args: tuple[YStr, ...] = ()
    """stdio: command arguments."""
    env: dict[YStr, ValueRef] = Field(default_factory=dict)
    """stdio: environment variables for the server process."""
    endpoint: YStr = ""
    """http/https: URL (``http://``/``https://`` added when no scheme)."""
    headers: dict[YStr, ValueRef] = Field(default_factory=dict)
    """http/https/cluster: HTTP headers."""
    bearer_token_env_var: YStr = Field(default="", alias="bearer_token_env_var")
    """http/https: name of the variable holding a bearer token."""
    service: MCPServiceRef | None = None
    """cluster: the Service to reach."""
    tools: tuple[MCPTool, ...] = ()
    """Tools listed in prompts."""

    @property
    def kind(self) -> str:
        """The normalised server type."""
        return self.type.strip().lower()

    @model_validator(mode="after")
    def _fields_for_type(self) -> MCPServer:
        kind = self.kind
        if kind not in MCP_TYPES:
            raise ValueError(f"type must be one of {', '.join(MCP_TYPES)}")
        if kind == "stdio" and not self.command.strip():
            raise ValueError("a stdio server needs 'command'")
        if kind in ("http", "https") and not self.endpoint.strip():
            raise ValueError(f"an {kind} server needs 'endpoint'")
        if kind == "cluster" and (self.service is None or not self.service.name.strip()):
            raise ValueError("a cluster server needs 'service.name'")
        return self


class MCPConfig(ConfigModel):
    """MCP servers exposed to the agent."""

    servers: tuple[MCPServer, ...] = ()
    """Server definitions, in config.toml order."""

    @model_validator(mode="after")
    def _unique_names(self) -> MCPConfig:
        seen: set[str] = set()
        for server in self.servers:
            key = server.name.strip().lower()
            if key in seen:
                raise ValueError(f"MCP server {server.name!r} is defined more than once")
            seen.add(key)
        return self


class AgentAccess(ConfigModel):
    """codexstack: what the agent's service account may do beyond debugging its namespace.

    By default it reads what it needs (never Secrets), reads logs, deletes pods (a restart)
    and scales; it never execs into pods and never writes anything that runs a pod.
    """

    pod_exec: YBool = False
    """Exec into and port-forward to the namespace's pods; every deploy warns, because exec
    reads every Secret mounted in those pods."""
    redeploy: YBool = False
    """Re-deploy its own services from inside its pod (``codexstack apply --only-services X``):
    write access to Deployments, Services and ConfigMaps, with an admission policy on the
    namespace that refuses pod specs which escalate (another service account, a Secret off the
    ``secrets`` list, hostPath, privileged, host namespaces)."""
    secrets: tuple[YName, ...] = ()
    """Secrets that pod specs written by the agent may mount or read (``redeploy`` only)."""

    @model_validator(mode="after")
    def _secret_names(self) -> AgentAccess:
        bad = [s for s in self.secrets if not _SECRET_NAME.fullmatch(s.strip())]
        if bad:
            raise ValueError(f"not a Secret name (a DNS subdomain): {', '.join(map(repr, bad))}")
        return self


class CodexConfig(ConfigModel):
    """Everything about the Codex agent: config template, prompt inputs, timeouts, MCP."""

    GO_HIDDEN: ClassVar[frozenset[str]] = frozenset(
        {
            "allowed_models",
            "allowed_reasoning_efforts",
            "cli_version",
            "agent_service",
            "agent_access",
        }
    )

    config_template: YStr = ""
    """Path (relative to the project root) of a config.toml template replacing the built-in."""
    prompt_lang: YStr = ""
    """Default prompt language (``en``, ``ru``)."""
    model: YStr = ""
    """Default model."""
    model_reasoning_effort: YStr = ""
    """Default reasoning effort (``low``, ``medium``, ``high``, ``xhigh``)."""
    links: tuple[Link, ...] = ()
    """Links listed in the environment comment."""
    extra_tools: tuple[YStr, ...] = ()
    """Extra CLI tools in the agent image, listed in prompts."""
    project_context: YStr = ""
    """Free text inserted into prompts."""
    services_overview: YStr = ""
    """Free text about services and endpoints, inserted into prompts."""
    timeouts: CodexTimeouts = CodexTimeouts.model_construct()
    """Agent timeouts (Go durations)."""
    config_blocks: tuple[ConfigBlock, ...] = ()
    """TOML fragments appended to config.toml."""
    review_mcp_enabled: YBool = Field(default=False, alias="reviewMCPEnabled")
    """Prompts use MCP review tools instead of ``gh``."""
    mcp: MCPConfig = MCPConfig.model_construct()
    """MCP servers."""
    allowed_models: tuple[YStr, ...] = ()
    """codexstack: models a run may pick without a warning (empty: the built-in list)."""
    allowed_reasoning_efforts: tuple[YStr, ...] = ()
    """codexstack: reasoning efforts a run may pick without a warning (empty: built-in list)."""
    cli_version: YStr = ""
    """codexstack: the pinned ``@openai/codex`` version ``prompt run`` uses (empty: built-in)."""
    agent_service: YStr = ""
    """codexstack: the Deployment ``prompt run`` execs into (empty: ``codex``)."""
    agent_access: AgentAccess = AgentAccess.model_construct()
    """codexstack: the agent's extra permissions (all off by default)."""


document_models(__name__)
