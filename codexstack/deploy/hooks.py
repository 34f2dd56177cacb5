"""Hook steps around an apply or destroy: the stages, the built-ins and shell steps.

Stages run in codexctl's order (§5.2): ``beforeAll``, every infrastructure block's
``beforeApply`` (file order), every service's ``beforeApply``, the engine run, the
``afterApply`` hooks the same way, ``afterAll``; destroy likewise with ``beforeDestroy`` and
``afterDestroy``. Unlike codexctl, only *selected* units' hooks run (D-HOOK-FILTER): the Plan
holds enabled units only, and ``--only``/``--skip`` filters mark the rest unselected.

A step's ``when`` decides whether it runs (blank: runs; ``false``/``0``/``no``: skipped). Shell
steps run ``bash -lc`` with the project's values as environment variables, never pasted into
the script (S5); their output streams to the progress reporter (stderr), not stdout. A failing
step stops the run with its output, unless ``continueOnError`` turns it into a warning;
``timeout`` (a Go duration) bounds it. The built-ins (:mod:`codexstack.deploy.builtins`) are
passed in, so tests can run the runner with their own.
"""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from codexstack.deploy.interrupt import CHILDREN
from codexstack.deploy.progress import Progress, Reporter
from codexstack.errors import ConfigError, DeployError, Location
from codexstack.golang import DurationError, parse_duration
from codexstack.naming import check_namespace
from codexstack.plan import Plan, Unit
from codexstack.redact import redact
from codexstack.render import WhenSite, evaluate_when

OUTPUT_TAIL = 40
APPLY_STAGES = ("beforeApply", "afterApply")
DESTROY_STAGES = ("beforeDestroy", "afterDestroy")


class HookStepLike(Protocol):
    """The fields of a config ``HookStep`` the runner reads."""

    name: str
    run: str
    use: str
    with_: dict[str, Any]
    when: str
    continue_on_error: bool
    timeout: str


class HookError(DeployError):
    """A hook step failed; the message carries the end of its output."""


@dataclass(frozen=True)
class HookEnv:
    """What steps run with: values (as env vars), cluster access, template rendering."""

    plan: Plan
    variables: Mapping[str, str] = field(default_factory=dict)
    """Extra environment for shell steps (merged env map, vars), on top of the process env."""
    render: Callable[[str, str], str] | None = None
    """Render fields again before use (codexctl's double render); None: use them as loaded."""
    kubectl: str = "kubectl"
    cwd: Path | None = None

    def step_env(self, stage: str, owner: str) -> dict[str, str]:
        plan = self.plan
        values = {
            "ENV": plan.env,
            "NAMESPACE": plan.namespace,
            "SLOT": str(plan.slot),
            "PROJECT": plan.project,
            "STACK": plan.stack,
            "HOOK_STAGE": stage,
            "HOOK_UNIT": owner,
        }
        env = {**os.environ, **self.variables}
        for key, value in values.items():
            env[f"CODEXCTL_{key}"] = env[f"CODEXSTACK_{key}"] = value
        if plan.cluster.kubeconfig:
            env["KUBECONFIG"] = os.path.expanduser(plan.cluster.kubeconfig)
        return env


@dataclass
class HookResult:
    """What one step did: ``ran``, ``skipped``, ``failed`` (then ``warned`` if tolerated)."""

    stage: str
    owner: str
    name: str
    status: str
    duration_s: float = 0.0
    output: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "unit": self.owner,
            "name": self.name,
            "status": self.status,
            "duration_s": round(self.duration_s, 3),
        }


Builtin = Callable[["StepRun"], None]


@dataclass
class StepRun:
    """One step being executed: its inputs, deadline and output sink."""

    env: HookEnv
    step: HookStepLike
    stage: str
    owner: str
    timeout_s: float | None
    emit: Callable[[str], None]
    operation: str = "apply"
    """``apply`` or ``destroy``: what the stage's engine run does (``beforeAll`` serves both)."""

    def shell(
        self,
        argv: Sequence[str],
        *,
        stdin: str | None = None,
        extra_env: Mapping[str, str] | None = None,
        sink: Callable[[str], None] | None = None,
    ) -> None:
        """Run ``argv`` as a tracked child, streaming output; HookError on failure/timeout.

        Output lines go to ``sink`` when given (a step that inspects them), else to ``emit``.
        """
        env = {**self.env.step_env(self.stage, self.owner), **(extra_env or {})}
        proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE if stdin is not None else None,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=self.env.cwd,
            text=True,
            errors="replace",
            start_new_session=True,
        )
        CHILDREN.add(proc)
        expired = threading.Event()
        timer = (
            threading.Timer(self.timeout_s, _kill, args=(proc, expired)) if self.timeout_s else None
        )
        try:
            if timer:
                timer.start()
            if stdin is not None and proc.stdin is not None:
                proc.stdin.write(stdin)
                proc.stdin.close()
            assert proc.stdout is not None
            for line in proc.stdout:
                (sink or self.emit)(line.rstrip("\n"))
            code = proc.wait()
        finally:
            if timer:
                timer.cancel()
            CHILDREN.discard(proc)
        if expired.is_set():
            raise HookError(f"timed out after {self.timeout_s:g}s")
        if code != 0:
            raise HookError(f"exited with status {code}")


def _kill(proc: subprocess.Popen[str], expired: threading.Event) -> None:
    if proc.poll() is None:
        expired.set()
        os.killpg(proc.pid, signal.SIGKILL)


def _shell_step(run: StepRun) -> None:
    script = (
        run.env.render(run.step.run, f"hook:{run.step.name}") if run.env.render else run.step.run
    )
    if script.strip():
        run.shell(["bash", "-lc", script.strip()])


def stage_steps(plan: Plan, stage: str) -> list[tuple[str, Sequence[Any]]]:
    """(owner, steps) of one stage in run order: top level, then infra, then services."""
    if stage in ("beforeAll", "afterAll"):
        return [("", plan.hooks.get(stage, ()))]
    units: Iterable[Unit] = (u for u in plan.units() if u.selected)
    return [(f"{u.kind} {u.name}", u.hooks.get(stage, ())) for u in units if u.hooks.get(stage)]


class HookRunner:
    """Runs stages of a Plan's hooks; records results; raises on an unhandled failure."""

    def __init__(
        self, env: HookEnv, builtins: Mapping[str, Builtin], reporter: Reporter | None = None
    ) -> None:
        self.env = env
        self.reporter = reporter
        self.builtins = dict(builtins)
        self.results: list[HookResult] = []

    def stage(self, stage: str, operation: str = "apply") -> None:
        check_namespace(self.env.plan.namespace)  # it reaches steps as $CODEXCTL_NAMESPACE
        for owner, steps in stage_steps(self.env.plan, stage):
            for index, step in enumerate(steps):
                self._step(stage, owner, index, step, operation)

    def _say(self, message: str, severity: str = "info", name: str = "") -> None:
        if self.reporter is not None:
            self.reporter(Progress("message", name=name, message=message, severity=severity))

    def _step(self, stage: str, owner: str, index: int, step: HookStepLike, operation: str) -> None:
        name = step.name or step.use or f"step {index + 1}"
        result = HookResult(stage, owner, name, "skipped")
        self.results.append(result)
        label = f"{stage}{f' [{owner}]' if owner else ''} {name}"
        began = time.monotonic()
        tail: collections.deque[str] = collections.deque(maxlen=OUTPUT_TAIL)
        try:
            action = self._action(step, owner)
            if action is None or not self._enabled(step):
                return
            self._say(f"hook {label}")

            def emit(line: str) -> None:
                line = redact(line)  # a step that prints a secret shows it masked (S4)
                tail.append(line)
                self._say(line, name=f"hook {name}")

            run = StepRun(self.env, step, stage, owner, _timeout(step), emit, operation)
            action(run)
            result.status = "ran"
        except (HookError, ConfigError, OSError) as exc:
            result.status = "warned" if step.continue_on_error else "failed"
            result.output = list(tail)
            if not step.continue_on_error:
                if isinstance(exc, ConfigError):
                    raise
                output = "\n".join(tail)
                raise HookError(
                    f"hook {label} failed: {exc}" + (f"\n{output}" if output else ""),
                    location=Location(key=f"hooks.{stage}"),
                ) from exc
            self._say(f"hook {label} failed (continueOnError): {exc}", "warning")
        finally:
            result.duration_s = time.monotonic() - began

    def _action(self, step: HookStepLike, owner: str) -> Builtin | None:
        if step.run:
            return _shell_step
        if not step.use:
            return None
        if step.use not in self.builtins:
            raise ConfigError(
                f"unknown built-in hook '{step.use}'",
                location=Location(key=f"{owner or 'hooks'}.use"),
                hint="known: " + ", ".join(sorted(self.builtins)),
            )
        return self.builtins[step.use]

    def _enabled(self, step: HookStepLike) -> bool:
        rendered = (
            self.env.render(step.when, "hook-when") if self.env.render and step.when else step.when
        )
        return evaluate_when(step.when, rendered, WhenSite.hook).enabled


def _timeout(step: HookStepLike) -> float | None:
    if not step.timeout:
        return None
    try:
        return parse_duration(step.timeout)
    except DurationError as exc:
        raise ConfigError(
            f"invalid hook timeout {step.timeout!r}: {exc}", location=Location(key="timeout")
        ) from exc
