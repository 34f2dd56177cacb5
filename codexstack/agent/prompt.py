"""Render the prompt of a ``prompt run``: the kind's template, the documented context, the comments.

The built-in prompts (``templates/prompts/<kind>_<lang>.tmpl``) are Go ``text/template`` texts
over codexctl's context (§3.5) and render with the Go dialect whatever the project's dialect;
a ``--template`` file (relative to the project root, path-guarded) renders in the project's
dialect. ``prompt run``'s variables (§3.6) are injected into the ``--vars`` layer before the
load (:func:`run_vars_spec`) and completed after it (``CODEXCTL_LANG``, ``CODEXCTL_PROMPT_MODE``
and the ≤0.8 names). Comments arrive already selected and cleaned
(:mod:`codexstack.agent.untrusted`) and are fenced here. The finished text is scrubbed of every
known secret; what the log may show of it is its length and digest, never the text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from pathlib import Path

from codexstack.agent.kinds import PromptMode, builtin_prompt, prompt_mode
from codexstack.agent.model import ModelChoice
from codexstack.agent.secrets import Scrubber
from codexstack.agent.untrusted import Comment, fenced, issue_fields, review_fields
from codexstack.config import ContextValues, LoadedConfig, parse_vars, read_text_file
from codexstack.templating import asset_text

PROMPT_LIMIT = 8 * 1024 * 1024


def run_vars_spec(
    user_spec: str | None,
    *,
    slot: int,
    issue: int,
    pr: int,
    infra_unhealthy: bool,
    process_env: Mapping[str, str],
) -> str:
    """``--vars`` plus prompt run's injected variables, both generations of names (§3.6)."""
    user = parse_vars(user_spec or "")
    injected: dict[str, str] = {"CODEXCTL_ISSUE_NUMBER": str(issue), "CODEXCTL_SLOT": str(slot)}
    if pr > 0:
        injected["CODEXCTL_PR_NUMBER"] = str(pr)
    if infra_unhealthy:
        injected["CODEXCTL_INFRA_UNHEALTHY"] = "true"
        injected["INFRA_UNHEALTHY"] = "1"
    focus = process_env.get("CODEXCTL_FOCUS_ISSUE_NUMBER", "").strip()
    if focus and "CODEXCTL_FOCUS_ISSUE_NUMBER" not in user:
        injected["CODEXCTL_FOCUS_ISSUE_NUMBER"] = focus
        injected["FOCUS_ISSUE_NUMBER"] = focus
    for name in ("ISSUE_NUMBER", "PR_NUMBER", "SLOT"):
        if f"CODEXCTL_{name}" in injected:
            injected[name] = injected[f"CODEXCTL_{name}"]
    parts = [user_spec.strip()] if user_spec and user_spec.strip() else []
    parts.extend(f"{k}={v}" for k, v in injected.items())
    return ",".join(parts)


@dataclass(frozen=True)
class PromptInputs:
    """What a prompt is rendered from, after validation."""

    kind: str
    lang: str
    template: str = ""
    """``--template`` path relative to the project root ("" for the built-in)."""
    resume: bool = False
    issue_comments: Sequence[Comment] = ()
    review_comments: Sequence[Comment] = ()


@dataclass(frozen=True)
class RenderedPrompt:
    """A finished prompt and what the log may say about it."""

    text: str
    source: str
    lang: str
    mode: PromptMode
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def digest(self) -> str:
        """SHA-256 of the text (logged instead of the text)."""
        return hashlib.sha256(self.text.encode()).hexdigest()

    @property
    def size(self) -> int:
        """Length in bytes (UTF-8)."""
        return len(self.text.encode())


def with_choice(values: ContextValues, choice: ModelChoice) -> ContextValues:
    """The context whose ``.Codex.Model``/``.ModelReasoningEffort`` reflect the run's choice."""
    codex = values.codex
    if codex is None:
        return values
    updated = codex.model_copy(
        update={"model": choice.model.value, "model_reasoning_effort": choice.effort.value}
    )
    return values.replace(codex=updated)


def prompt_context(
    loaded: LoadedConfig, choice: ModelChoice, *, lang: str, mode: PromptMode
) -> ContextValues:
    """The full context plus the variables codexctl sets after the load (§3.6, §8.1)."""
    values = with_choice(loaded.context, choice)
    late = {"CODEXCTL_PROMPT_MODE": mode.mode, "PROMPT_MODE": mode.mode}
    if not values.env_map.get("CODEXCTL_LANG", "").strip():
        late.update({"CODEXCTL_LANG": lang, "PROMPT_LANG": lang, "CODEX_PROMPT_LANG": lang})
    if mode.continuation:
        late.update({"CODEXCTL_PROMPT_CONTINUATION": "true", "PROMPT_CONTINUATION": "true"})
    return values.replace(
        env_map={**values.env_map, **late},
        vars={**values.vars, **late},
        user_vars={**values.user_vars, **late},
    )


def render_prompt(
    loaded: LoadedConfig, inputs: PromptInputs, choice: ModelChoice, scrub: Scrubber
) -> RenderedPrompt:
    """Render the prompt (built-in or ``--template``), fence comments, scrub secrets."""
    warnings: list[str] = []
    mode = prompt_mode(loaded.context.env_map, resume=inputs.resume)
    if mode.warning:
        warnings.append(mode.warning)
    lang = inputs.lang
    if inputs.template.strip():
        path = loaded.resolve_path(inputs.template.strip(), "--template")
        text = read_text_file(path, "prompt template")
        source, dialect = str(path), loaded.dialect
    else:
        builtin = builtin_prompt(inputs.kind, inputs.lang)
        if builtin.warning:
            warnings.append(builtin.warning)
        lang = builtin.lang
        text, source, dialect = asset_text(builtin.relpath), builtin.relpath, "go"
    values = prompt_context(loaded, choice, lang=inputs.lang, mode=mode)
    data = dc_replace(
        values.template_context,
        issue_comments=[issue_fields(c) for c in fenced(inputs.issue_comments)],
        review_comments=[review_fields(c) for c in fenced(inputs.review_comments)],
    )
    rendered = values.renderer.render(dialect, Path(source).name, text, data)
    return RenderedPrompt(scrub(rendered), source, lang, mode, tuple(warnings))
