"""Static check of workflow files against codexstack's CLI: commands, variables, outputs.

For every step whose ``run:`` calls ``codexctl``/``codexstack``: the command must exist
(``<cmd> --help`` exits 0); every ``CODEXCTL_*`` variable set on that step must be read by
it (listed among its ``--help`` environment variables, or read by name in the ``codexstack``
package: the token, repository and model chains are read there, not through options); every
``CODEXCTL_*`` set at workflow or job level must be read by some command the scope calls; and
every ``steps.<id>.outputs.<key>`` that names such a step must be a key that command writes
(reference §9.6) or that the step's own script writes.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
CLI = str(Path(sys.executable).with_name("codexstack"))
GROUPS = {"ci", "manage-env", "prompt", "plan", "pr", "images", "init", "slots", "cluster"}
# A call in command position: line start, after ; & | or inside $( ... ).
INVOCATION = re.compile(
    r"(?:^\s*|[;&|]\s*|\$\(\s*)(?:codexctl|codexstack)\s+([a-z-]+)(?:[ \t]+([a-z-]+))?", re.M
)
STEP_OUTPUT = re.compile(r"steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)")
WRITTEN_KEY = re.compile(r"""echo\s+"?([A-Za-z0-9_-]+)(?:=|<<)[^\n]*GITHUB_OUTPUT""")

# Reference §9.6: the $GITHUB_OUTPUT keys each command writes.
OUTPUT_KEYS: Mapping[str, frozenset[str]] = {
    "ci ensure-slot": frozenset({"env", "namespace", "slot"}),
    "ci ensure-ready": frozenset(
        {
            "codexctl_env_ready",
            "codexctl_new_env",
            "codexctl_run_args",
            "created",
            "env",
            "infra_ready",
            "infra_unhealthy",
            "namespace",
            "recreated",
            "slot",
        }
    ),
    "plan resolve-root": frozenset({"focus", "root"}),
    "pr detect": frozenset({"codexctl_pr_number"}),
    "pr open": frozenset({"codexctl_pr_number"}),
}
# Workflow-only conventions (reference §10): the gate and repository settings of the workflows.
WORKFLOW_ONLY = frozenset({"CODEXCTL_ALLOWED_USERS", "CODEXCTL_REPAIR_ONLY_INFRA"})
# Accepted and knowingly without effect, with the reason (docs/compat.md says so too).
NO_EFFECT = {
    "CODEXCTL_KANIKO_SKIP_TLS_VERIFY_PULL": "codexstack pulls through its dockerd, whose "
    "registry TLS settings apply (kaniko's pull-side toggle has no counterpart)",
}


@dataclass(frozen=True)
class Problem:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@cache
def help_text(command: str) -> str | None:
    """``codexstack <command> --help`` with whitespace folded, or None when it does not exist."""
    done = subprocess.run(
        [CLI, *command.split(), "--help"], capture_output=True, text=True, check=False
    )
    return " ".join(done.stdout.split()) if done.returncode == 0 else None


@cache
def env_vars_of(command: str) -> frozenset[str]:
    """The environment variables ``--help`` lists for a command (all ``[env var: …]``),
    with the global options' (``codexstack --help``), which every command honours."""
    text = (help_text(command) or "") + " " + (help_text("") or "")
    names: set[str] = set()
    for group in re.findall(r"\[env var: ([^\];]+)", text):
        names.update(n.strip() for n in group.split(","))
    return frozenset(names)


@cache
def read_by_package(name: str) -> bool:
    """Whether codexstack reads ``name`` by name: the full name, or (for the CLI's
    ``CODEXCTL_``-prefixed fallbacks) the quoted rest of it, anywhere in ``codexstack`` or
    ``cli``."""
    short = '"' + name.removeprefix("CODEXCTL_") + '"'
    sources = [*(REPO / "codexstack").rglob("*.py"), *(REPO / "cli").rglob("*.py")]
    return any(name in t or short in t for t in (p.read_text(encoding="utf-8") for p in sources))


def commands_in(script: str) -> list[str]:
    """``group sub`` (or ``cmd``) of every codexstack call in a shell script."""
    found = []
    for first, second in INVOCATION.findall(script):
        found.append(f"{first} {second}" if first in GROUPS and second else first)
    return found


def _codexctl_vars(env: Any) -> set[str]:
    return {k for k in (env or {}) if isinstance(k, str) and k.startswith("CODEXCTL_")}


def _steps(doc: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any], Mapping[str, Any]]]:
    for job_id, job in (doc.get("jobs") or {}).items():
        for step in job.get("steps") or []:
            yield job_id, job, step


def check(path: Path) -> list[Problem]:
    """Every problem of one workflow file."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems: list[Problem] = []
    rel = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    top_vars = _codexctl_vars(doc.get("env"))
    used_anywhere: set[str] = set()
    for job_id, job in (doc.get("jobs") or {}).items():
        job_vars = _codexctl_vars(job.get("env"))
        used_in_job: set[str] = set()
        step_commands: dict[str, list[str]] = {}
        step_written: dict[str, set[str]] = {}
        for step in job.get("steps") or []:
            script = str(step.get("run") or "")
            commands = commands_in(script)
            where = f"{rel} job {job_id} step {step.get('name') or step.get('id') or script[:30]!r}"
            if step.get("id"):
                step_commands[str(step["id"])] = commands
                step_written[str(step["id"])] = set(WRITTEN_KEY.findall(script))
            for command in commands:
                if help_text(command) is None:
                    problems.append(Problem(where, f"`codexstack {command}` does not exist"))
                    continue
                readable = env_vars_of(command)
                used_in_job.update(v for v in top_vars | job_vars if v in readable)
                for var in sorted(_codexctl_vars(step.get("env")) - NO_EFFECT.keys()):
                    if var not in readable and not read_by_package(var):
                        problems.append(Problem(where, f"{var} is not read by `{command}`"))
        for var in sorted(job_vars - used_in_job - WORKFLOW_ONLY):
            if not read_by_package(var):
                problems.append(Problem(f"{rel} job {job_id}", f"{var} is read by no command"))
        used_anywhere |= used_in_job
        problems += _check_outputs(rel, job_id, job, step_commands, step_written)
    for var in sorted(top_vars - used_anywhere - WORKFLOW_ONLY):
        if not read_by_package(var):
            problems.append(Problem(f"{rel} env", f"{var} is read by no command"))
    return problems


def _check_outputs(
    rel: Path,
    job_id: str,
    job: Mapping[str, Any],
    step_commands: Mapping[str, list[str]],
    step_written: Mapping[str, set[str]],
) -> list[Problem]:
    problems = []
    text = yaml.safe_dump(job)
    for step_id, key in sorted(set(STEP_OUTPUT.findall(text))):
        commands = step_commands.get(step_id)
        if not commands:
            continue
        allowed = set(step_written.get(step_id, set()))
        for command in commands:
            allowed |= OUTPUT_KEYS.get(command, frozenset())
        if key not in allowed:
            problems.append(
                Problem(
                    f"{rel} job {job_id}",
                    f"steps.{step_id}.outputs.{key}: `{' / '.join(commands)}` writes no {key!r}",
                )
            )
    return problems
