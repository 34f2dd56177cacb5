"""The raw header: what codexctl reads from services.yaml *before* templating (§3.2, step 1).

``project``, ``envFiles``, ``versions``, ``baseDomain`` and ``namespace.patterns`` are decoded
from the untemplated YAML, so template text in them stays literal: ``.Project`` comes from
here, ``.Versions``/``.BaseDomain`` are these raw strings during the whole-file render, and
``envFiles`` are never templated. codexstack adds its own pre-render switches,
``templateDialect``, ``doubleRender`` and ``strict``, which must be known before anything is
rendered or validated.
Every other key is ignored here; a wrongly typed header key is an error, as in codexctl
("parse top-level config fields").
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from codexstack.config.docstrings import document_models
from codexstack.config.issues import Issue, Locator
from codexstack.config.models import Dialect
from codexstack.config.models_base import ConfigModel, YBool, YStr
from codexstack.config.validate import validate_model


class RawNamespace(ConfigModel):
    """``namespace`` as the header sees it."""

    patterns: dict[YStr, YStr] = Field(default_factory=dict)
    """Env name -> namespace template, unrendered."""


class RawHeader(ConfigModel):
    """Header keys of services.yaml, exactly as written (template text left literal)."""

    project: YStr = ""
    """``.Project`` for every template; the namespace fallbacks use it too."""
    env_files: tuple[YStr, ...] = ()
    """dotenv files, relative to the project root."""
    versions: dict[YStr, YStr] = Field(default_factory=dict)
    """``.Versions`` while the file itself is rendered."""
    base_domain: dict[YStr, YStr] = Field(default_factory=dict)
    """``.BaseDomain`` while the file itself is rendered."""
    namespace: RawNamespace | None = None
    """Namespace patterns (rendered in the namespace pre-pass)."""
    template_dialect: Dialect = "go"
    """codexstack: dialect of the whole file."""
    double_render: YBool = False
    """codexstack: codexctl's second rendering of already-rendered strings."""
    strict: YBool = False
    """codexstack: unknown keys are errors on every command (read before validation)."""

    @property
    def patterns(self) -> dict[str, str]:
        """``namespace.patterns`` (empty when absent)."""
        return dict(self.namespace.patterns) if self.namespace else {}


def read_header(data: Any, locator: Locator) -> tuple[RawHeader | None, list[Issue]]:
    """Decode the header from the untemplated document (None plus issues when invalid)."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [locator.issue((), "services.yaml must be a mapping at the top level")]
    return validate_model(RawHeader, data, locator, unknown="ignore")


document_models(__name__)
