"""The codexctl template context (§3.5) as values, and the one call that renders with it.

:class:`ContextValues` holds ``.Env``, ``.Namespace``, ``.Project``, ``.ProjectRoot``,
``.Slot``, ``.Now``, ``.UserVars``, ``.Vars``, ``.EnvMap``, ``.Versions``, ``.BaseDomain``,
``.Codex`` and ``.Storage`` as plain Python values (models for the last two). The load builds
two of them (pass 1, then the refreshed full context); later sites take the full one from
:class:`~codexstack.config.load.LoadedConfig`. :func:`render_text` hands a text and a context
to the templating layer in the project's dialect; ``.Codex``/``.Storage`` become Go structs
there for the Go dialect (:mod:`codexstack.config.gostructs`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from codexstack.config.gostructs import codex_value, storage_value
from codexstack.config.models import CodexConfig, Dialect, Storage
from codexstack.templating import Renderer, TemplateContext


@dataclass(frozen=True)
class ContextValues:
    """Everything a template of this project may read through ``.``."""

    env: str
    namespace: str
    project: str
    project_root: str
    slot: int
    now: datetime
    user_vars: Mapping[str, str] = field(default_factory=dict)
    vars: Mapping[str, str] = field(default_factory=dict)
    env_map: Mapping[str, str] = field(default_factory=dict)
    versions: Mapping[str, str] = field(default_factory=dict)
    base_domain: Mapping[str, str] = field(default_factory=dict)
    codex: CodexConfig | None = None
    """None in pass 1 (the zero struct in templates)."""
    storage: Storage | None = None
    """None when services.yaml has no storage block (``<nil>`` in templates)."""

    def replace(self, **changes: Any) -> ContextValues:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    @cached_property
    def template_context(self) -> TemplateContext:
        """The templating layer's context (``.Codex``/``.Storage`` as codexctl's Go values)."""
        return TemplateContext(
            env=self.env,
            namespace=self.namespace,
            project=self.project,
            project_root=self.project_root,
            slot=self.slot,
            now=self.now,
            user_vars=self.user_vars,
            vars=self.vars,
            env_map=self.env_map,
            versions=self.versions,
            base_domain=self.base_domain,
            codex=codex_value(self.codex),
            storage=storage_value(self.storage),
        )

    @cached_property
    def renderer(self) -> Renderer:
        """One renderer per context: ``envOr`` reads ``env_map``, ``now`` is ``.Now``."""
        return Renderer(self.env_map, self.now)


def render_text(
    text: str, *, name: str, values: ContextValues, dialect: Dialect, key: str | None = None
) -> str:
    """Render one template text (``name`` is the file in errors, ``key`` the config key)."""
    return values.renderer.render(dialect, name, text, values.template_context, key=key)
