"""The base class and scalar types every services.yaml model is built from.

codexctl decodes services.yaml with yaml.v3 into Go structs, and these types reproduce what
that accepts: a string field takes any scalar (``port: 80`` into a string is ``"80"``), an int
field takes only integers (``"5"`` is an error), a bool field takes YAML booleans plus yaml.v3's
1.1 compatibility words (``yes``/``on``/``n``…). Models are frozen, reject unknown keys when
built directly (the loader reports unknown keys itself, with positions and a "did you mean"),
and use codexctl's camelCase YAML spellings as aliases of snake_case attributes.
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Strict
from pydantic.alias_generators import to_camel

_YAML11_TRUE = frozenset({"y", "Y", "yes", "Yes", "YES", "on", "On", "ON"})
_YAML11_FALSE = frozenset({"n", "N", "no", "No", "NO", "off", "Off", "OFF"})


def go_float_text(value: float) -> str:
    """A float as yaml.v3 would have kept its text when the source is not at hand."""
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    if math.isnan(value):
        return ".nan"
    return repr(value)


def scalar_text(value: Any) -> Any:
    """Turn a decoded YAML scalar into the string yaml.v3 puts in a Go ``string`` field.

    Non-scalars pass through unchanged so that the strict ``str`` check rejects them.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_float_text(value)
    if isinstance(value, _dt.datetime | _dt.date):
        return value.isoformat()
    return value


def yaml_bool(value: Any) -> Any:
    """Accept yaml.v3's YAML 1.1 boolean words in a bool field; leave the rest to the check."""
    if isinstance(value, str):
        if value in _YAML11_TRUE:
            return True
        if value in _YAML11_FALSE:
            return False
    return value


def non_blank(value: str) -> str:
    """Require a value that is not empty after trimming (names, paths)."""
    if not value.strip():
        raise ValueError("must not be empty")
    return value


YStr = Annotated[str, BeforeValidator(scalar_text), Strict()]
"""A Go ``string`` field: any scalar, never a mapping or a list."""
YName = Annotated[YStr, AfterValidator(non_blank)]
"""A required string that must not be blank (names, paths)."""
YInt = Annotated[int, Strict()]
"""A Go ``int`` field: an integer, never a string or a boolean."""
YBool = Annotated[bool, BeforeValidator(yaml_bool), Strict()]
"""A Go ``bool`` field: ``true``/``false`` or yaml.v3's 1.1 words (``yes``, ``off``…)."""


class ConfigModel(BaseModel):
    """Base of all services.yaml models: frozen, camelCase aliases, unknown keys forbidden."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=True,
        serialize_by_alias=True,
        defer_build=True,
        hide_input_in_errors=True,
    )
