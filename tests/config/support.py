"""Shared helpers for config tests: validate YAML text the way the loader does after templating."""

from __future__ import annotations

import textwrap

import pytest

from codexstack.config.checks import check_model
from codexstack.config.issues import ConfigFileError, Issue, Locator, raise_if_any
from codexstack.config.models import ServicesConfig
from codexstack.config.validate import validate_data
from codexstack.yamlio import load_config_text

# Words that would show a user an internal error instead of a config message.
INTERNAL_WORDS = ("Traceback", "pydantic", "ValidationError", "errors.pydantic.dev", "input_value")


def validate_yaml(text: str, *, strict: bool = True) -> tuple[ServicesConfig, tuple[Issue, ...]]:
    """Decode, validate and check ``text`` as ``services.yaml``; return model and warnings."""
    source = load_config_text(textwrap.dedent(text), "services.yaml")
    locator = Locator("services.yaml", source.positions)
    model, issues = validate_data(source.data, locator, strict=strict, scalars=source.positions)
    if model is not None:
        issues.extend(check_model(model, locator))
    warnings = raise_if_any(issues)
    assert model is not None
    return model, warnings


def config_error(text: str, *, strict: bool = True) -> ConfigFileError:
    """The error ``text`` raises (fails the test when it validates)."""
    with pytest.raises(ConfigFileError) as caught:
        validate_yaml(text, strict=strict)
    message = str(caught.value)
    for word in INTERNAL_WORDS:
        assert word not in message, message
    return caught.value
