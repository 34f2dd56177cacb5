"""services.yaml: the typed model, variables, environments, namespaces and the two-pass load.

Entry points: :func:`load_config` (read, render and validate a project for one env/slot,
returning a :class:`LoadedConfig`), :func:`resolve_project_path` (the F3 path guard for
every file a project names), :func:`resolve_namespace`/:func:`fallback_namespace` (the one
namespace rule) and :func:`json_schema` (the schema editors use). Errors are
:class:`~codexstack.errors.ConfigError` values naming file, line, column and key; a file with
several problems raises one :class:`ConfigFileError` listing them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codexstack.lazy import exports

if TYPE_CHECKING:
    from codexstack.config.context import ContextValues
    from codexstack.config.environments import ResolvedEnvironment, resolve_environment
    from codexstack.config.issues import ConfigFileError, Issue, PathPart
    from codexstack.config.load import LoadedConfig, load_config
    from codexstack.config.models import ServicesConfig
    from codexstack.config.models_codex import MCPServer, ValueRef
    from codexstack.config.models_workloads import (
        HookSet,
        HookStep,
        ImageSpec,
        InfraItem,
        ResourceHooks,
        Service,
    )
    from codexstack.config.namespace import fallback_namespace, resolve_namespace
    from codexstack.config.paths import read_project_file, read_text_file, resolve_project_path
    from codexstack.config.schema import json_schema
    from codexstack.config.vars import VarLayers, parse_var_file, parse_vars
    from codexstack.config.yamlsource import parse_yaml

_EXPORTS = {
    "ContextValues": "context",
    "ResolvedEnvironment": "environments",
    "resolve_environment": "environments",
    "ConfigFileError": "issues",
    "Issue": "issues",
    "PathPart": "issues",
    "LoadedConfig": "load",
    "load_config": "load",
    "ServicesConfig": "models",
    "MCPServer": "models_codex",
    "ValueRef": "models_codex",
    "HookSet": "models_workloads",
    "HookStep": "models_workloads",
    "ImageSpec": "models_workloads",
    "InfraItem": "models_workloads",
    "ResourceHooks": "models_workloads",
    "Service": "models_workloads",
    "fallback_namespace": "namespace",
    "resolve_namespace": "namespace",
    "read_project_file": "paths",
    "read_text_file": "paths",
    "resolve_project_path": "paths",
    "json_schema": "schema",
    "VarLayers": "vars",
    "parse_var_file": "vars",
    "parse_vars": "vars",
    "parse_yaml": "yamlsource",
}
__all__ = [
    "ConfigFileError",
    "ContextValues",
    "HookSet",
    "HookStep",
    "ImageSpec",
    "InfraItem",
    "Issue",
    "LoadedConfig",
    "MCPServer",
    "PathPart",
    "ResolvedEnvironment",
    "ResourceHooks",
    "Service",
    "ServicesConfig",
    "ValueRef",
    "VarLayers",
    "fallback_namespace",
    "json_schema",
    "load_config",
    "parse_var_file",
    "parse_vars",
    "parse_yaml",
    "read_project_file",
    "read_text_file",
    "resolve_environment",
    "resolve_namespace",
    "resolve_project_path",
]
__getattr__, __dir__ = exports(__name__, _EXPORTS)
