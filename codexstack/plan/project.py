"""Project-level entry points: the plan for a path and options, and ``validate`` of every env.

:func:`load_plan` is what ``render`` calls: load services.yaml for one env/slot, then build the
plan. :func:`validate_project` is ``validate``: it loads and renders the file once per
environment it declares (``ai`` with a sample slot, since slots change namespaces and
templates), in strict mode, and collects every error instead of stopping at the first.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codexstack.config import LoadedConfig, load_config, parse_yaml, read_text_file
from codexstack.errors import CodexstackError, ConfigError, Location
from codexstack.naming import SLOT_ENV
from codexstack.plan.build import build_plan
from codexstack.plan.model import Plan
from codexstack.render import Filters

SAMPLE_SLOT = 1
"""The slot ``validate`` renders env ``ai`` with."""


@dataclass(frozen=True)
class PlanRequest:
    """What to load: the file, env/slot/namespace, variables and filters."""

    config: str | os.PathLike[str]
    env: str
    slot: int = 0
    namespace: str | None = None
    vars: str | None = None
    var_file: str | None = None
    filters: Filters = field(default_factory=Filters)
    include_unselected: bool = True
    strict: bool = True
    process_env: Mapping[str, str] | None = None
    cwd: str | os.PathLike[str] | None = None


def load_request(request: PlanRequest) -> LoadedConfig:
    """Load services.yaml as ``request`` says (the config a plan is built from)."""
    return load_config(
        request.config,
        env=request.env,
        slot=request.slot,
        namespace=request.namespace,
        vars=request.vars,
        var_file=request.var_file,
        process_env=request.process_env,
        cwd=request.cwd,
        strict=request.strict,
    )


def load_plan(request: PlanRequest, *, warnings: list[str] | None = None) -> Plan:
    """Load services.yaml as ``request`` says and build its plan."""
    loaded = load_request(request)
    if warnings is not None:
        warnings.extend(str(w) for w in loaded.warnings)
    return build_plan(
        loaded,
        filters=request.filters,
        include_unselected=request.include_unselected,
        warnings=warnings,
    )


def _problem(exc: CodexstackError) -> dict[str, Any]:
    loc = exc.location or Location()
    issues = getattr(exc, "issues", None)
    if issues and len(issues) > 1:
        return {"message": exc.message, "problems": [_issue(i) for i in issues]}
    return {
        "message": exc.message,
        "file": loc.file,
        "line": loc.line,
        "column": loc.column,
        "key": loc.key,
        "hint": exc.hint,
        "text": str(exc),
    }


def _issue(issue: Any) -> dict[str, Any]:
    loc: Location = issue.location
    return {
        "message": issue.message,
        "file": loc.file,
        "line": loc.line,
        "column": loc.column,
        "key": loc.key,
        "hint": issue.hint,
        "text": str(issue),
    }


@dataclass
class EnvReport:
    """The outcome for one environment."""

    env: str
    slot: int
    namespace: str = ""
    documents: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "env": self.env,
            "slot": self.slot,
            "ok": self.ok,
            "namespace": self.namespace,
            "documents": self.documents,
            "errors": self.errors,
            "warnings": self.warnings,
        }


@dataclass
class ValidationReport:
    """``validate``'s result: one entry per environment."""

    config: str
    environments: list[EnvReport] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    """Problems found before any environment could be tried (unreadable or invalid YAML)."""

    @property
    def ok(self) -> bool:
        return not self.errors and all(e.ok for e in self.environments)

    def as_dict(self) -> dict[str, Any]:
        return {
            "config": self.config,
            "ok": self.ok,
            "errors": self.errors,
            "environments": [e.as_dict() for e in self.environments],
        }


def declared_environments(path: str | os.PathLike[str], cwd: Path | None = None) -> list[str]:
    """Env names declared in services.yaml (``environments`` and ``namespace.patterns``).

    Read from the untemplated file, which must be valid YAML anyway (§3.2); ``dev`` when the
    file declares none.
    """
    display = os.fspath(path)
    full = (cwd or Path.cwd()) / display
    data = parse_yaml(read_text_file(full, "services.yaml"), display).data
    names: list[str] = []
    if isinstance(data, Mapping):
        envs = data.get("environments")
        ns = data.get("namespace")
        patterns = ns.get("patterns") if isinstance(ns, Mapping) else None
        for block in (envs, patterns):
            if isinstance(block, Mapping):
                names.extend(str(k) for k in block if str(k) not in names)
    return names or ["dev"]


def validate_project(
    config: str | os.PathLike[str],
    *,
    vars: str | None = None,
    var_file: str | None = None,
    process_env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
) -> ValidationReport:
    """Load and render every declared environment strictly; collect all errors."""
    report = ValidationReport(config=os.fspath(config))
    try:
        envs = declared_environments(config, Path(cwd) if cwd is not None else None)
    except ConfigError as exc:
        report.errors.append(_problem(exc))
        return report
    for env in envs:
        slot = SAMPLE_SLOT if env == SLOT_ENV else 0
        entry = EnvReport(env=env, slot=slot)
        request = PlanRequest(
            config, env, slot=slot, vars=vars, var_file=var_file, process_env=process_env, cwd=cwd
        )
        try:
            plan = load_plan(request, warnings=entry.warnings)
        except CodexstackError as exc:
            entry.errors.append(_problem(exc))
        else:
            entry.namespace = plan.namespace
            entry.documents = len(plan.documents(selected_only=False))
        report.environments.append(entry)
    return report
