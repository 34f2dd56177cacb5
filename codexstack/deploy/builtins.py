"""The built-in hook steps (``use:``) of codexctl §5.4, done without secrets in argv.

``kubectl.wait``, ``sleep`` and ``preflight`` behave as in codexctl. ``github.comment`` posts
through :mod:`codexstack.github` (no ``gh``), the token never leaving the process. The two
``codex.*`` steps that touch Secrets use the Kubernetes API in-process, so no secret value
ever appears in an argument list, an error text or a log (D-SECRET-ARGV). Both only prepare
a namespace for an apply: in a destroy's stages they do nothing, since creating the namespace
there would outlive a stack that never held it and keep its slot from being freed.
``codex.check-dev-host-ports`` (≤0.8) only warns. ``codex.ensure-data-dirs`` needs the ≤0.8
``dataPaths`` block, which the Plan does not carry, and is refused with a clear message.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import time
from collections.abc import Mapping

from codexstack import github, kube, netprobe
from codexstack.deploy.hooks import Builtin, HookError, StepRun
from codexstack.deploy.kube import client_for
from codexstack.errors import CodexstackError
from codexstack.golang import DurationError, parse_duration
from codexstack.naming import MANAGED_BY, MANAGED_BY_VALUE

AGENT_SECRETS = (
    ("openai-secret", "OPENAI_API_KEY", ("OPENAI_API_KEY",)),
    ("github-secret", "CODEXCTL_GH_PAT", ("CODEXCTL_GH_PAT", "CODEX_GH_PAT")),
    ("context7-secret", "CONTEXT7_API_KEY", ("CONTEXT7_API_KEY",)),
)


def _with(run: StepRun, key: str, default: str = "") -> str:
    """A ``with`` value; codexctl ignores non-strings (the default applies)."""
    value = run.step.with_.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else default


def _seconds(text: str, what: str) -> float:
    try:
        return parse_duration(text)
    except DurationError as exc:
        raise HookError(f"invalid {what} {text!r}: {exc}") from exc


_OBJECT_WORD = re.compile(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?", re.IGNORECASE)
"""A kind (``deployment``, ``deployment.apps``) or a DNS-1123 object name."""


def kubectl_wait(run: StepRun) -> None:
    """``kubectl wait`` that also waits for the object to appear, within the same timeout.

    codexctl runs ``kubectl wait`` once, which fails at once with NotFound when the object
    is not there yet: a StatefulSet's first pod right after the StatefulSet is applied
    without ``--wait`` is the common case. Here NotFound is retried every second until the
    step's timeout; any other failure is reported as it is.
    """
    kind, name = _with(run, "kind"), _with(run, "name")
    if not kind or not name:
        raise HookError("kubectl.wait needs with.kind and with.name")
    for what, value in (("kind", kind), ("name", name)):
        if not _OBJECT_WORD.fullmatch(value):
            raise HookError(f"kubectl.wait: with.{what} {value[:80]!r} is not a resource {what}")
    timeout = _with(run, "timeout", "1200s")
    deadline = time.monotonic() + _seconds(timeout, "timeout")
    tail = []
    namespace = _with(run, "namespace")
    if namespace:
        tail += ["-n", namespace]
    if run.env.plan.cluster.context:
        tail += ["--context", run.env.plan.cluster.context]
    condition = f"--for=condition={_with(run, 'condition', 'Available')}"
    target = f"{kind}/{name}"
    announced = False
    while True:
        left = max(1, round(deadline - time.monotonic()))
        lines: list[str] = []
        try:
            run.shell(
                # Options first, then "--": no object name is ever read as an option.
                [run.env.kubectl, "wait", condition, f"--timeout={left}s", *tail, "--", target],
                sink=lines.append,
            )
        except HookError:
            missing = any("(NotFound)" in line for line in lines)
            if not missing or time.monotonic() + 1 >= deadline:
                for line in lines:
                    run.emit(line)
                raise
            if not announced:
                run.emit(f"{kind}/{name} does not exist yet; waiting for it (timeout {timeout})")
                announced = True
            time.sleep(1)
            continue
        for line in lines:
            run.emit(line)
        return


def sleep(run: StepRun) -> None:
    duration = _with(run, "duration")
    if not duration:
        raise HookError("sleep needs with.duration")
    seconds = _seconds(duration, "duration")
    if run.timeout_s is not None and run.timeout_s < seconds:
        time.sleep(run.timeout_s)
        raise HookError(f"timed out after {run.timeout_s:g}s")
    time.sleep(seconds)


def preflight(run: StepRun) -> None:
    if not (shutil.which(run.env.kubectl) or os.access(run.env.kubectl, os.X_OK)):
        raise HookError("kubectl is not on PATH")


def github_comment(run: StepRun) -> None:
    """Post ``with.body`` on ``with.pr`` or ``with.issue`` through the GitHub module (no gh).

    Token and repository follow the usual chains, looked up in the merged map first and
    then in the process environment; ``with.repo`` may name the repository.
    """
    body = _with(run, "body")
    if run.env.render and body:
        body = run.env.render(body, "hook-comment").strip()
    target = run.step.with_.get("pr") or run.step.with_.get("issue")
    if not body or not str(target or "").strip().isdigit():
        raise HookError("github.comment needs with.body and a numeric with.issue or with.pr")
    lookup = {**os.environ, **run.env.variables}
    try:
        access = github.resolve_access(_with(run, "repo") or None, lookup)
        posted = github.post_comment(github.GitHub(access, run.emit), int(str(target)), body)
    except CodexstackError as exc:
        raise HookError(f"github.comment: {exc}") from None
    run.emit(f"commented on #{str(target).strip()}: {posted.url}")


def _client(run: StepRun) -> kube.Client:
    return client_for(run.env.plan.cluster)


def _upsert_secret(api: kube.Client, namespace: str, name: str, data: Mapping[str, bytes]) -> None:
    body = {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "Opaque",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "labels": {MANAGED_BY: MANAGED_BY_VALUE},
        },
        "data": {k: base64.b64encode(v).decode() for k, v in data.items()},
    }
    secrets = ("api", "v1", "namespaces", namespace, "secrets")
    answer = api.request("PUT", kube.path_of(*secrets, name), body)
    if answer.status == 404:
        answer = api.request("POST", kube.path_of(*secrets), body)
    if not answer.ok:
        raise HookError(f"cannot update Secret {namespace}/{name}: HTTP {answer.status}")


def _ensure_namespace(api: kube.Client, namespace: str) -> None:
    """Create the namespace if missing; the stack's Slot adopts it on its first apply."""
    answer = api.request("GET", kube.path_of("api", "v1", "namespaces", namespace))
    if answer.status == 404:
        body = {"metadata": {"name": namespace, "labels": {MANAGED_BY: MANAGED_BY_VALUE}}}
        answer = api.request("POST", kube.path_of("api", "v1", "namespaces"), body)
        if answer.status == 409:  # created in between
            return
    if not answer.ok:
        raise HookError(f"cannot read namespace {namespace}: HTTP {answer.status}")


def _destroying(run: StepRun) -> bool:
    if run.operation == "destroy":
        run.emit(f"skipped: {run.step.use} prepares a namespace for an apply, not a destroy")
    return run.operation == "destroy"


def ensure_codex_secrets(run: StepRun) -> None:
    if _destroying(run):
        return
    namespace = run.env.plan.namespace
    if not namespace:
        raise HookError("codex.ensure-codex-secrets needs a namespace")
    values = {**os.environ, **run.env.variables}
    wanted = {
        secret: {key: next((values[n] for n in names if values.get(n)), "")}
        for secret, key, names in AGENT_SECRETS
    }
    wanted = {s: d for s, d in wanted.items() if all(d.values())}
    if "github-secret" not in wanted:
        run.emit("warning: CODEXCTL_GH_PAT is not set; github-secret not created")
    if not wanted:
        return
    try:
        api = _client(run)
        _ensure_namespace(api, namespace)
        for secret, data in wanted.items():
            _upsert_secret(api, namespace, secret, {k: v.encode() for k, v in data.items()})
            run.emit(f"secret {namespace}/{secret} ensured ({', '.join(data)})")
    except kube.KubeError as exc:
        raise HookError(f"codex.ensure-codex-secrets: {exc.message}") from None


def reuse_dev_tls_secret(run: StepRun) -> None:
    """Copy the dev TLS Secret from staging into the slot (all failures are warnings).

    The data are copied as bytes: a certificate bundle or key may hold any byte.
    """
    plan = run.env.plan
    if not (plan.namespace and plan.slot > 0 and plan.project) or _destroying(run):
        return
    name = _with(run, "secretName", f"{plan.project}-dev-{plan.slot}-tls")
    source = _with(run, "stagingNamespace", f"{plan.project}-ai-staging")
    try:
        api = _client(run)
        secret = api.request(
            "GET", kube.path_of("api", "v1", "namespaces", source, "secrets", name)
        ).expect()
        data = {k: base64.b64decode(v) for k, v in (secret.get("data") or {}).items()}
        _upsert_secret(api, plan.namespace, name, data)
    except (kube.KubeError, HookError, OSError) as exc:
        run.emit(
            f"warning: could not reuse TLS secret {source}/{name}: "
            f"{getattr(exc, 'status', '') or type(exc).__name__}"
        )


def check_dev_host_ports(run: StepRun) -> None:
    host = _with(run, "host")
    for port in (80, 443):
        refusal = netprobe.tcp_refusal("127.0.0.1", port)
        if refusal is not None:
            run.emit(f"warning: 127.0.0.1:{port} is not reachable ({refusal})")
    if host:
        try:
            status = netprobe.http_status("127.0.0.1", 80, host_header=host)
            run.emit(f"http://{host}/ answered {status}")
        except OSError as exc:
            run.emit(f"warning: GET http://{host}/ failed ({exc})")


def ensure_data_dirs(run: StepRun) -> None:
    raise HookError(
        "codex.ensure-data-dirs (codexctl <=0.8) is not supported by codexstack: "
        "use a PersistentVolumeClaim (storage block) instead"
    )


BUILTINS: dict[str, Builtin] = {
    "kubectl.wait": kubectl_wait,
    "sleep": sleep,
    "preflight": preflight,
    "github.comment": github_comment,
    "codex.ensure-codex-secrets": ensure_codex_secrets,
    "codex.reuse-dev-tls-secret": reuse_dev_tls_secret,
    "codex.check-dev-host-ports": check_dev_host_ports,
    "codex.ensure-data-dirs": ensure_data_dirs,
}
