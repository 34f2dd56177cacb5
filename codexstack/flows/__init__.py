"""The flows layer: one module per user-level operation, between the CLI and the libraries.

``deploy``, ``slots``, ``cluster`` (and ``github``, ``agent``, ``images``) are siblings that
may not import each other; a flow is where they are joined. The CLI and the shipped workflows
call flows only (an import-linter contract keeps ``cli`` to ``codexstack.flows`` and
``codexstack.errors``).

How to add a flow (``codexstack/flows/<op>.py``, e.g. ``ensure_slot``):

1. A frozen ``Request`` dataclass: a :class:`Target` (services.yaml, env, namespace, slot,
   variables, strictness) when the operation reads services.yaml, its own typed fields
   (seconds as ``float``, counts as ``int``: the CLI has already parsed Go durations and
   booleans with :mod:`codexstack.flows.values`), and ``ci: CiOutputs`` when it writes
   ``$GITHUB_OUTPUT`` / ``$GITHUB_STEP_SUMMARY``.
2. A frozen ``Result`` satisfying :class:`Result`: ``data(fmt)`` for ``--output
   json|yaml|kv``, ``text()`` for people, ``exit_code`` (subclass :class:`Lines` for codexctl's
   ``key: value`` results).
3. ``run(request, progress: Reporter = SILENT) -> Result``. Progress and warnings go to the
   reporter (never print); failures are :mod:`codexstack.errors` types carrying their exit
   codes (65 bad input, 75 temporary, 1 failure). No ``typer``, no ``sys.exit``.
4. Shared glue stays in underscore modules (``_target``: load services.yaml with warnings
   reported; ``_registry``: the slot registry and cluster of a target). Import the lower
   layers through their package ``__init__`` (``from codexstack import slots``), never their
   submodules, so a package's internals can move without touching flows.
5. Add the module name to ``_FLOWS`` below (lazy: the CLI's ``--help`` imports nothing
   heavy), a test in ``tests/flows/test_<op>.py`` that calls ``run`` directly, and a CLI
   adapter in ``cli/commands/`` that only parses, builds the request, calls ``run``, emits
   (``cli.output.finish``) and returns the exit code; register it with one line in
   ``cli.app.COMMANDS``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from codexstack.flows import (
        apply,
        ci_apply,
        cleanup,
        cleanup_issue,
        cleanup_pr,
        close_linked_issue,
        cluster_down,
        cluster_map_workspace,
        cluster_status,
        cluster_up,
        comment,
        comment_pr,
        delete_branch,
        destroy,
        doctor,
        ensure_ready,
        ensure_slot,
        gc,
        image_host,
        images,
        init_workflows,
        issue_comment,
        orphans,
        plan_root,
        pr_detect,
        pr_open,
        preview,
        prompt_run,
        refresh,
        render,
        renew,
        review_apply,
        schema,
        slot_set,
        slots_list,
        status,
        sync_sources,
        validate,
        values,
    )
    from codexstack.flows._registry import Registry
    from codexstack.flows._stack import Cluster
    from codexstack.flows.ci import CiOutputs
    from codexstack.flows.progress import SILENT, Recorder, Reporter, StderrReporter
    from codexstack.flows.result import Lines, Result
    from codexstack.flows.secrets import protect_output
    from codexstack.flows.target import Target

_EXPORTS = {
    "Cluster": "_stack",
    "Registry": "_registry",
    "CiOutputs": "ci",
    "SILENT": "progress",
    "Recorder": "progress",
    "Reporter": "progress",
    "StderrReporter": "progress",
    "Lines": "result",
    "Result": "result",
    "Target": "target",
    "protect_output": "secrets",
}
_FLOWS = frozenset(
    {
        "apply",
        "ci_apply",
        "cleanup",
        "cleanup_issue",
        "cleanup_pr",
        "close_linked_issue",
        "cluster_down",
        "cluster_map_workspace",
        "cluster_status",
        "cluster_up",
        "comment",
        "comment_pr",
        "delete_branch",
        "destroy",
        "doctor",
        "ensure_ready",
        "ensure_slot",
        "gc",
        "image_host",
        "images",
        "init_workflows",
        "issue_comment",
        "orphans",
        "plan_root",
        "pr_detect",
        "pr_open",
        "prompt_run",
        "preview",
        "refresh",
        "render",
        "renew",
        "review_apply",
        "schema",
        "slot_set",
        "slots_list",
        "status",
        "sync_sources",
        "validate",
        "values",
    }
)
"""Flow modules, imported when first used (``flows.ensure_slot.run(...)``)."""

__all__ = [
    "SILENT",
    "CiOutputs",
    "Cluster",
    "Lines",
    "Recorder",
    "Registry",
    "Reporter",
    "Result",
    "StderrReporter",
    "Target",
    "apply",
    "ci_apply",
    "cleanup",
    "cleanup_issue",
    "cleanup_pr",
    "close_linked_issue",
    "cluster_down",
    "cluster_map_workspace",
    "cluster_status",
    "cluster_up",
    "comment",
    "comment_pr",
    "delete_branch",
    "destroy",
    "doctor",
    "ensure_ready",
    "ensure_slot",
    "gc",
    "image_host",
    "images",
    "init_workflows",
    "issue_comment",
    "orphans",
    "plan_root",
    "pr_detect",
    "pr_open",
    "preview",
    "prompt_run",
    "protect_output",
    "refresh",
    "render",
    "renew",
    "review_apply",
    "schema",
    "slot_set",
    "slots_list",
    "status",
    "sync_sources",
    "validate",
    "values",
]


def __getattr__(name: str) -> Any:
    if name in _FLOWS:
        return importlib.import_module(f"codexstack.flows.{name}")
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'codexstack.flows' has no attribute {name!r}")
    return getattr(importlib.import_module(f"codexstack.flows.{module}"), name)
