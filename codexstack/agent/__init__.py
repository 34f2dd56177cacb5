"""The Codex agent side of codexstack: prompts, config.toml, model choice, untrusted text.

Pure parts (no cluster): :func:`check_kind`/:func:`choose_lang` validate a run's inputs,
:func:`choose_model` resolves model and effort by the documented precedence,
:func:`select_trusted` keeps trusted authors' comments cleaned and capped,
:func:`render_prompt` renders a kind's prompt with fenced comments, :func:`render_config`
builds the agent's ``config.toml`` and :class:`Scrubber` masks secrets in any text. The
``prompt run`` flow joins them with the exec transport of :mod:`codexstack.kube`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from codexstack.agent import podscript
    from codexstack.agent.codex_config import RenderedConfig, render_config
    from codexstack.agent.events import SESSION_ID, EventTally
    from codexstack.agent.kinds import KINDS, LANGS, check_kind, choose_lang, prompt_mode
    from codexstack.agent.model import ModelChoice
    from codexstack.agent.model import choose as choose_model
    from codexstack.agent.pod import AgentPod, pick_pod, wait_rollout
    from codexstack.agent.podscript import CODEX_CLI_VERSION
    from codexstack.agent.prompt import PromptInputs, RenderedPrompt, render_prompt, run_vars_spec
    from codexstack.agent.secrets import Scrubber
    from codexstack.agent.untrusted import Comment, Selection, select_trusted

_LAZY = {
    "podscript": ("podscript", ""),
    "CODEX_CLI_VERSION": ("podscript", "CODEX_CLI_VERSION"),
    "SESSION_ID": ("events", "SESSION_ID"),
    "EventTally": ("events", "EventTally"),
    "AgentPod": ("pod", "AgentPod"),
    "pick_pod": ("pod", "pick_pod"),
    "wait_rollout": ("pod", "wait_rollout"),
    "RenderedConfig": ("codex_config", "RenderedConfig"),
    "render_config": ("codex_config", "render_config"),
    "KINDS": ("kinds", "KINDS"),
    "LANGS": ("kinds", "LANGS"),
    "check_kind": ("kinds", "check_kind"),
    "choose_lang": ("kinds", "choose_lang"),
    "prompt_mode": ("kinds", "prompt_mode"),
    "ModelChoice": ("model", "ModelChoice"),
    "choose_model": ("model", "choose"),
    "PromptInputs": ("prompt", "PromptInputs"),
    "RenderedPrompt": ("prompt", "RenderedPrompt"),
    "render_prompt": ("prompt", "render_prompt"),
    "run_vars_spec": ("prompt", "run_vars_spec"),
    "Scrubber": ("secrets", "Scrubber"),
    "Comment": ("untrusted", "Comment"),
    "Selection": ("untrusted", "Selection"),
    "select_trusted": ("untrusted", "select_trusted"),
}
__all__ = [
    "CODEX_CLI_VERSION",
    "KINDS",
    "LANGS",
    "SESSION_ID",
    "AgentPod",
    "Comment",
    "EventTally",
    "ModelChoice",
    "PromptInputs",
    "RenderedConfig",
    "RenderedPrompt",
    "Scrubber",
    "Selection",
    "check_kind",
    "choose_lang",
    "choose_model",
    "pick_pod",
    "podscript",
    "prompt_mode",
    "render_config",
    "render_prompt",
    "run_vars_spec",
    "select_trusted",
    "wait_rollout",
]


def __getattr__(name: str) -> Any:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'codexstack.agent' has no attribute {name!r}")
    module, attr = target
    loaded = importlib.import_module(f"codexstack.agent.{module}")
    return getattr(loaded, attr) if attr else loaded
