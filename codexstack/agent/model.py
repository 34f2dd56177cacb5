"""Which model and reasoning effort a run uses, by one documented precedence (D-MODEL).

Order, first non-blank wins: the ``--model``/``--reasoning-effort`` flag, then an issue or PR
label (``ai-model-<model>``, ``ai-reasoning-<effort>``, and the ≤0.8 effort labels
``ai-<effort>``), then the environment (``CODEXCTL_MODEL``/``CODEXCTL_MODEL_REASONING_EFFORT``
in the merged map, which holds the process env), then ``services.yaml`` (``codex.model``,
``codex.modelReasoningEffort``), then the default (``gpt-5.3-codex``, ``medium``). codexctl
lets the process env beat labels and hard-fails unknown values; here a label beats the
environment, the whitelist is ``codex.allowedModels``/``codex.allowedReasoningEfforts`` (the
built-in lists when empty), and a value outside it is a warning. A value that could not be a
model name at all (spaces, quotes, control characters) is still an error, before any cluster call.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from codexstack.errors import ConfigError, Location

MODELS = ("gpt-5.3-codex", "gpt-5.2", "gpt-5.1-codex-max", "gpt-5.1-codex-mini")
EFFORTS = ("low", "medium", "high", "xhigh")
DEFAULT_MODEL = MODELS[0]
DEFAULT_EFFORT = "medium"
_MODEL_RE = re.compile(r"^[a-z0-9][a-z0-9._:/-]{0,99}$")
# Effort labels by priority (codexctl's order): the newer ``ai-reasoning-*`` before ``ai-*``.
_EFFORT_LABELS = (
    ("ai-reasoning-extra-high", "xhigh"),
    ("ai-reasoning-xhigh", "xhigh"),
    ("ai-reasoning-high", "high"),
    ("ai-reasoning-medium", "medium"),
    ("ai-reasoning-low", "low"),
    ("ai-xhigh", "xhigh"),
    ("ai-high", "high"),
    ("ai-medium", "medium"),
    ("ai-low", "low"),
)


def normalise(value: str) -> str:
    """Lower-case, ``_`` and spaces to ``-``, ``extra-high`` to ``xhigh`` (codexctl's rule)."""
    text = re.sub(r"[_ ]", "-", value.strip().lower())
    return "xhigh" if text == "extra-high" else text


def _label_names(labels: Sequence[str]) -> list[str]:
    return [label.strip().lower().strip("[]").strip() for label in labels]


def model_from_labels(labels: Sequence[str], allowed: Sequence[str]) -> str:
    """The model an ``ai-model-*`` label asks for; whitelisted ones first, in list order."""
    asked = [n.removeprefix("ai-model-") for n in _label_names(labels) if n.startswith("ai-model-")]
    for model in allowed:
        if model in asked:
            return model
    return normalise(asked[0]) if asked else ""


def effort_from_labels(labels: Sequence[str]) -> str:
    """The effort an ``ai-reasoning-*`` (or ≤0.8 ``ai-<effort>``) label asks for."""
    names = set(_label_names(labels))
    return next((effort for label, effort in _EFFORT_LABELS if label in names), "")


@dataclass(frozen=True)
class Choice:
    """One resolved setting: its value, where it came from, and a warning if unlisted."""

    value: str
    source: str
    warning: str | None = None


@dataclass(frozen=True)
class ModelChoice:
    """The model and the reasoning effort of a run."""

    model: Choice
    effort: Choice

    @property
    def warnings(self) -> tuple[str, ...]:
        """Warnings to show (unlisted values)."""
        return tuple(w for w in (self.model.warning, self.effort.warning) if w)


def _pick(
    what: str, flag_name: str, candidates: Sequence[tuple[str, str]], allowed: Sequence[str]
) -> Choice:
    for source, raw in candidates:
        if not raw.strip():
            continue
        value = normalise(raw)
        if not _MODEL_RE.match(value):
            where = Location(key=flag_name if source == "flag" else source)
            raise ConfigError(f"invalid {what} {raw!r} (from {source})", location=where)
        warning = None
        if value not in allowed:
            listed = ", ".join(allowed)
            warning = f"{what} {value!r} (from {source}) is not in the allowed list ({listed})"
        return Choice(value, source, warning)
    raise AssertionError("the default candidate is never blank")


def choose(
    *,
    flag_model: str,
    flag_effort: str,
    labels: Sequence[str],
    env_map: Mapping[str, str],
    file_model: str,
    file_effort: str,
    allowed_models: Sequence[str] = (),
    allowed_efforts: Sequence[str] = (),
) -> ModelChoice:
    """Resolve model and effort: flag > label > env > services.yaml > default."""
    models = tuple(normalise(m) for m in allowed_models) or MODELS
    efforts = tuple(normalise(e) for e in allowed_efforts) or EFFORTS
    model = _pick(
        "model",
        "--model",
        [
            ("flag", flag_model),
            ("label", model_from_labels(labels, models)),
            ("CODEXCTL_MODEL", env_map.get("CODEXCTL_MODEL", "")),
            ("codex.model", file_model),
            ("default", DEFAULT_MODEL),
        ],
        models,
    )
    effort = _pick(
        "reasoning effort",
        "--reasoning-effort",
        [
            ("flag", flag_effort),
            ("label", effort_from_labels(labels)),
            ("CODEXCTL_MODEL_REASONING_EFFORT", env_map.get("CODEXCTL_MODEL_REASONING_EFFORT", "")),
            ("codex.modelReasoningEffort", file_effort),
            ("default", DEFAULT_EFFORT),
        ],
        efforts,
    )
    return ModelChoice(model, effort)
