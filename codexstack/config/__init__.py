"""services.yaml: the typed model, variables, environments, namespaces and the two-pass load.

Entry points: :func:`load_config` (read, render and validate a project for one env/slot,
returning a :class:`LoadedConfig`), :func:`resolve_project_path` (the F3 path guard for
every file a project names), :func:`resolve_namespace`/:func:`fallback_namespace` (the one
namespace rule) and :func:`json_schema` (the schema editors use). Errors are
:class:`~codexstack.errors.ConfigError` values naming file, line, column and key; a file with
several problems raises one :class:`ConfigFileError` listing them all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from codexstack.config.context import ContextValues
    from codexstack.config.environments import ResolvedEnvironment, resolve_environment
    from codexstack.config.issues import ConfigFileError, Issue
    from codexstack.config.load import LoadedConfig, load_config
    from codexstack.config.models import ServicesConfig
    from codexstack.config.namespace import fallback_namespace, resolve_namespace
    from codexstack.config.paths import read_project_file, read_text_file, resolve_project_path
    from codexstack.config.schema import json_schema
    from codexstack.config.vars import VarLayers, parse_var_file, parse_vars

# Imported on first use: the CLI's --help must not pay for pydantic and the template engine.
_LAZY = {
    "ContextValues": "context",
    "ResolvedEnvironment": "environments",
    "resolve_environment": "environments",
    "ConfigFileError": "issues",
    "Issue": "issues",
    "LoadedConfig": "load",
    "load_config": "load",
    "ServicesConfig": "models",
    "fallback_namespace": "namespace",
    "resolve_namespace": "namespace",
    "read_project_file": "paths",
    "read_text_file": "paths",
    "resolve_project_path": "paths",
    "json_schema": "schema",
    "VarLayers": "vars",
    "parse_var_file": "vars",
    "parse_vars": "vars",
}
__all__ = [
    "ConfigFileError",
    "ContextValues",
    "Issue",
    "LoadedConfig",
    "ResolvedEnvironment",
    "ServicesConfig",
    "VarLayers",
    "fallback_namespace",
    "json_schema",
    "load_config",
    "parse_var_file",
    "parse_vars",
    "read_project_file",
    "read_text_file",
    "resolve_environment",
    "resolve_namespace",
    "resolve_project_path",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'codexstack.config' has no attribute {name!r}")
    return getattr(importlib.import_module(f"codexstack.config.{module}"), name)
