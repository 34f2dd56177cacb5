"""The codexctl template context (§3.5) in the shape each dialect reads.

:class:`TemplateContext` holds ``.Env``, ``.Namespace``, ``.Project``, ``.ProjectRoot``,
``.Slot``, ``.Now``, ``.UserVars``, ``.Vars``, ``.EnvMap``, ``.Versions``, ``.BaseDomain``,
``.Codex``, ``.Storage`` and, for prompts, ``.IssueComments``/``.ReviewComments``. For the
Go dialect :meth:`~TemplateContext.go_data` is a ``config.TemplateContext`` struct with
codexctl's field order and types (``env.Vars`` maps, ``time.Time``, a typed nil
``*config.StorageConfig`` when there is no storage block); for Jinja
:meth:`~TemplateContext.jinja_data` is a plain mapping with the same names plus snake_case
aliases. ``.Codex`` and ``.Storage`` arrive already converted by the config layer (a Go
struct, pointer or ``None``); templating never imports config.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from codexstack.templating.functions import plain
from codexstack.templating.gotmpl import types as T
from codexstack.templating.gotmpl.gotime import GoTime
from codexstack.templating.gotmpl.values import GoMap, GoSlice, GoStruct, NilPtr, typeof

ENV_VARS = T.named(T.map_of(T.STRING, T.STRING), "env.Vars")
# Stand-ins for when the caller passes no converted value: anonymous types, so they never
# clash with the config layer's named ``config.*`` types.
_VOLUME = T.struct_type(
    [("Size", T.STRING), ("StorageClass", T.STRING), ("AccessModes", T.slice_of(T.STRING))]
)
NO_STORAGE = NilPtr(
    T.ptr_to(T.struct_type([(n, T.ptr_to(_VOLUME)) for n in ("Workspace", "Data", "Registry")]))
)
"""``.Storage`` when the caller gives none: a typed nil (``<nil>``; fields are nil errors)."""
NO_CODEX = GoStruct(T.struct_type([]))
"""``.Codex`` when the caller gives none (pass 1 should pass the config layer's zero struct)."""
ISSUE_COMMENT = T.struct_type(
    [
        (n, T.INT if n in ("IssueNumber", "ID") else T.STRING)
        for n in ("IssueNumber", "ID", "Author", "URL", "Body", "CreatedAt")
    ],
    name="promptctx.IssueComment",
)
REVIEW_COMMENT = T.struct_type(
    [
        (n, T.INT if n in ("PRNumber", "ID") else T.STRING)
        for n in ("PRNumber", "ID", "Author", "URL", "Body", "ThreadID", "CreatedAt")
    ],
    name="promptctx.ReviewComment",
)

_GO_NAMES = (
    ("Env", "env"),
    ("Namespace", "namespace"),
    ("Project", "project"),
    ("ProjectRoot", "project_root"),
    ("Slot", "slot"),
    ("Now", "now"),
    ("UserVars", "user_vars"),
    ("Vars", "vars"),
    ("EnvMap", "env_map"),
    ("Versions", "versions"),
    ("BaseDomain", "base_domain"),
    ("Codex", "codex"),
    ("Storage", "storage"),
    ("IssueComments", "issue_comments"),
    ("ReviewComments", "review_comments"),
)


def go_now(now: _dt.datetime | GoTime) -> GoTime:
    """A load timestamp as Go's ``time.Time`` (UTC)."""
    return now if isinstance(now, GoTime) else GoTime.from_datetime(now).utc()


def _comments(items: Sequence[Mapping[str, Any]], gotype: T.GoType) -> GoSlice:
    names = set(gotype.field_index)
    return GoSlice(
        [GoStruct(gotype, {k: v for k, v in item.items() if k in names}) for item in items],
        elem=gotype,
    )


@dataclass(frozen=True)
class TemplateContext:
    """Everything a codexctl template may read through ``.``."""

    env: str
    namespace: str
    project: str
    project_root: str
    slot: int
    now: _dt.datetime
    user_vars: Mapping[str, str] = field(default_factory=dict)
    vars: Mapping[str, str] = field(default_factory=dict)
    env_map: Mapping[str, str] = field(default_factory=dict)
    versions: Mapping[str, str] = field(default_factory=dict)
    base_domain: Mapping[str, str] = field(default_factory=dict)
    codex: Any = None
    """``config.CodexConfig`` as a Go struct from the config layer (its zero value in pass 1)."""
    storage: Any = None
    """``*config.StorageConfig`` from the config layer (GoPtr, or its typed NilPtr)."""
    issue_comments: Sequence[Mapping[str, Any]] = ()
    review_comments: Sequence[Mapping[str, Any]] = ()

    def go_values(self) -> dict[str, Any]:
        """Go field name -> typed template value."""
        return {
            "Env": self.env,
            "Namespace": self.namespace,
            "Project": self.project,
            "ProjectRoot": self.project_root,
            "Slot": self.slot,
            "Now": go_now(self.now),
            "UserVars": GoMap(self.user_vars, gotype=ENV_VARS),
            "Vars": GoMap(self.vars, gotype=ENV_VARS),
            "EnvMap": GoMap(self.env_map, gotype=ENV_VARS),
            "Versions": GoMap.strings(self.versions),
            "BaseDomain": GoMap.strings(self.base_domain),
            "Codex": NO_CODEX if self.codex is None else self.codex,
            "Storage": NO_STORAGE if self.storage is None else self.storage,
            "IssueComments": _comments(self.issue_comments, ISSUE_COMMENT),
            "ReviewComments": _comments(self.review_comments, REVIEW_COMMENT),
        }

    def go_data(self) -> GoStruct:
        """The context as the ``config.TemplateContext`` struct the Go dialect executes on."""
        values = self.go_values()
        fields = [(name, typeof(values[name])) for name, _ in _GO_NAMES]
        return GoStruct(T.struct_type(fields, name="config.TemplateContext"), values)

    def jinja_data(self) -> dict[str, Any]:
        """The context for Jinja: codexctl names and snake_case aliases, plain values."""
        values = {name: plain(v) for name, v in self.go_values().items()}
        values["Now"] = self.now if isinstance(self.now, _dt.datetime) else values["Now"]
        data = dict(values)
        data.update({alias: values[name] for name, alias in _GO_NAMES})
        return data
