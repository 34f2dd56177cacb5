"""JSON Schema of services.yaml, generated from the models (``codexstack schema``).

Editors use it for completion and checks. It describes the strict reading: unknown keys are
not allowed (``additionalProperties: false``), every key carries the attribute docstring of
its model field as ``description``, YAML keys are codexctl's spellings. String fields are
typed ``string`` although, like yaml.v3, codexstack also accepts a number or boolean there;
an editor flagging ``version: 1.10`` is a feature (it would read as ``1.1`` elsewhere).
"""

from __future__ import annotations

from typing import Any

from codexstack.config.models import ServicesConfig

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema() -> dict[str, Any]:
    """The schema as a JSON-compatible dict."""
    schema = ServicesConfig.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "services.yaml",
        **{k: v for k, v in schema.items() if k != "title"},
    }
