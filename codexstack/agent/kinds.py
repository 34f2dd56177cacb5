"""Prompt kinds, languages and modes: the inputs of ``prompt run`` checked before any cluster call.

codexctl validates ``--kind`` only after it uploaded the config and set the pod up
(D-KIND-LATE); here every prompt input is checked first, in one pure step. Kinds are the six of
reference §8.1; a built-in prompt is ``templates/prompts/<kind>_<lang>.tmpl`` and a language
without its own file falls back to ``en`` with a warning. The language comes from ``--lang``,
then ``CODEXCTL_LANG`` (process, then the merged map), then ``codex.promptLang``, then ``en``.
The prompt mode is ``CODEXCTL_PROMPT_MODE`` (merged map), else ``short`` when resuming, else
``full``; a true (or unparsable) ``CODEXCTL_PROMPT_CONTINUATION`` forces ``full``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from codexstack import golang
from codexstack.errors import ConfigError, Location
from codexstack.templating import asset_exists

KINDS = (
    "dev_issue",
    "dev_review",
    "plan_issue",
    "plan_review",
    "ai-repair_issue",
    "ai-repair_review",
)
DEFAULT_KIND = "dev_issue"
LANGS = ("en", "ru")
DEFAULT_LANG = "en"
MODES = ("full", "short")
_LANG_RE = re.compile(r"^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})?$")


def _bad(message: str, flag: str, hint: str | None = None) -> ConfigError:
    return ConfigError(message, location=Location(key=flag), hint=hint)


def check_kind(kind: str) -> str:
    """The normalised kind (blank means ``dev_issue``); an unknown kind is an error (65)."""
    value = kind.strip().lower() or DEFAULT_KIND
    if value not in KINDS:
        raise _bad(f"unknown prompt kind {kind!r}", "--kind", f"one of: {', '.join(KINDS)}")
    return value


def choose_lang(
    flag: str, process_env: Mapping[str, str], env_map: Mapping[str, str], prompt_lang: str
) -> str:
    """The language by codexctl's order; a value that is not a language tag is an error."""
    for candidate in (
        flag,
        process_env.get("CODEXCTL_LANG", ""),
        env_map.get("CODEXCTL_LANG", ""),
        prompt_lang,
    ):
        if candidate.strip():
            value = candidate.strip().lower()
            if not _LANG_RE.match(value):
                raise _bad(f"invalid prompt language {candidate!r}", "--lang", "e.g. en or ru")
            return value
    return DEFAULT_LANG


@dataclass(frozen=True)
class BuiltinPrompt:
    """Which built-in prompt file a kind and language use, and why if it is not the asked one."""

    relpath: str
    lang: str
    warning: str | None = None


def builtin_prompt(kind: str, lang: str) -> BuiltinPrompt:
    """``prompts/<kind>_<lang>.tmpl``, or the ``en`` one with a warning when ``lang`` has none."""
    relpath = f"prompts/{kind}_{lang}.tmpl".lower()
    if asset_exists(relpath):
        return BuiltinPrompt(relpath, lang)
    fallback = f"prompts/{kind}_{DEFAULT_LANG}.tmpl"
    note = f"no built-in {kind} prompt in language {lang!r}; using {DEFAULT_LANG!r}"
    return BuiltinPrompt(fallback, DEFAULT_LANG, note)


def parse_bool(text: str) -> bool | None:
    """A codexctl boolean (Go ``strconv.ParseBool``); ``None`` when unparsable."""
    try:
        return golang.parse_bool(text.strip())
    except ValueError:
        return None


@dataclass(frozen=True)
class PromptMode:
    """``full`` or ``short``, whether a continuation forced it, and a warning if any."""

    mode: str
    continuation: bool
    warning: str | None = None


def prompt_mode(env_map: Mapping[str, str], *, resume: bool) -> PromptMode:
    """The prompt mode by §8.1 (continuation forces ``full``)."""
    raw_cont = env_map.get("CODEXCTL_PROMPT_CONTINUATION", "").strip()
    continuation = False
    warning = None
    if raw_cont:
        parsed = parse_bool(raw_cont)
        if parsed is None:
            warning = (
                f"CODEXCTL_PROMPT_CONTINUATION={raw_cont!r} is not a boolean; treating as true"
            )
        continuation = parsed is not False
    if continuation:
        return PromptMode("full", True, warning)
    mode = env_map.get("CODEXCTL_PROMPT_MODE", "").strip().lower()
    if mode not in MODES:
        if mode:
            warning = f"CODEXCTL_PROMPT_MODE={mode!r} is neither full nor short; using the default"
        mode = "short" if resume else "full"
    return PromptMode(mode, False, warning)
