"""``apply --render-to DIR``: the provider's render mode, with no cluster and no real state.

A throwaway file backend keeps the real stack's state untouched; the provider writes every
object (the render stack is new each time, so every object is a create) under
``DIR/1-manifest`` (CRDs under ``DIR/0-crd``). The summary lists the files written.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path

from pulumi.automation import errors as auto_errors

from codexstack.deploy.interrupt import interruptible
from codexstack.deploy.progress import EventTranslator
from codexstack.deploy.session import ERROR_LINES, Request, tail
from codexstack.deploy.state import ProjectState
from codexstack.deploy.summary import Summary
from codexstack.deploy.workspace import open_stack
from codexstack.errors import DeployError
from codexstack.program import describe, make_program


def render(request: Request) -> Summary:
    """Write the stack's manifests to ``request.options.render_to`` (see the module)."""
    assert request.options.render_to is not None
    target = request.options.render_to.resolve()
    target.mkdir(parents=True, exist_ok=True)
    options = replace(request.options, render_to=target)
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="codexstack-render-") as tmp, interruptible():
        scratch = ProjectState(Path(tmp))
        handle = open_stack(
            request.plan,
            scratch,
            request.engine,
            make_program(request.plan, options),
            backend=Path(tmp).as_uri(),
            secrets={"PULUMI_CONFIG_PASSPHRASE": ""},
        )
        events = EventTranslator(request.reporter)
        try:
            handle.stack.up(on_event=events, parallel=request.parallel)
        except auto_errors.CommandError as exc:
            raise DeployError(
                "render failed:\n  " + "\n  ".join((events.errors or tail(str(exc)))[-ERROR_LINES:])
            ) from None
    summary = Summary(
        request.plan.stack,
        "render",
        changes=events.counts(),
        duration_s=time.monotonic() - began,
        notes=list(describe(request.plan, options).warnings),
        outputs={
            "directory": str(target),
            "files": sorted(str(p.relative_to(target)) for p in target.rglob("*.yaml")),
        },
    )
    return summary
