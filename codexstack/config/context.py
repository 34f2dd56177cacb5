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
from typing import Any

from codexstack.config.gostructs import codex_value, storage_value
from codexstack.config.models import CodexConfig, Dialect, Storage
from codexstack.errors import Location, TemplateError
from codexstack.templating.functions import go_functions
from codexstack.templating.gotmpl.gotime import GoTime
from codexstack.templating.gotmpl.template import GoTemplateError
from codexstack.templating.gotmpl.template import render as go_render
from codexstack.templating.gotmpl.values import GoMap, GoStruct


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

    def go_fields(self) -> dict[str, Any]:
        """The context as Go field name -> typed template value (``map[string]string`` maps)."""
        return {
            "Env": self.env,
            "Namespace": self.namespace,
            "Project": self.project,
            "ProjectRoot": self.project_root,
            "Slot": self.slot,
            "Now": self.now,
            "UserVars": GoMap.strings(self.user_vars),
            "Vars": GoMap.strings(self.vars),
            "EnvMap": GoMap.strings(self.env_map),
            "Versions": GoMap.strings(self.versions),
            "BaseDomain": GoMap.strings(self.base_domain),
            "Codex": codex_value(self.codex),
            "Storage": storage_value(self.storage),
        }


def render_text(text: str, *, name: str, values: ContextValues, dialect: Dialect) -> str:
    """Render one template text (named ``name`` in errors) with ``values``."""
    if dialect != "go":
        raise TemplateError("the jinja dialect is not available yet", location=Location(file=name))
    now = GoTime.from_datetime(values.now)
    fields = {**values.go_fields(), "Now": now}
    data = GoStruct.make("config.TemplateContext", **fields)
    try:
        return go_render(name, text, data, go_functions(values.env_map, now))
    except GoTemplateError as exc:
        where = Location(file=exc.name or name, line=exc.line, column=exc.column)
        raise TemplateError(exc.message, location=where) from None
