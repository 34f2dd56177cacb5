"""Turn decoded services.yaml data into a :class:`ServicesConfig`, reporting every problem.

Two steps. First a walk over the data guided by the model classes finds keys no model
declares: in strict mode (the default of codexstack ``validate``/``render``) they are errors
with a "did you mean", in compatibility mode warnings (codexctl ignores them silently,
D-STRICT); either way they are removed, and ``null`` values of non-nullable keys are dropped
as yaml.v3 leaves Go fields at their zero value. Then pydantic validates the rest, and each
of its errors becomes an :class:`Issue` at the YAML position of its key path. Input values are
never echoed in messages: after templating they may hold secrets.
"""

from __future__ import annotations

import difflib
import os
import types
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from codexstack.config.issues import Issue, KeyPath, Locator, format_path
from codexstack.config.models import ServicesConfig

UnknownKeys = Literal["error", "warning", "ignore"]
M = TypeVar("M", bound=BaseModel)

# Keys people write by analogy that codexctl does not have, with the key they meant.
_KNOWN_SLIPS: dict[tuple[str, str], str] = {
    ("ServiceImage", "tag"): "tagTemplate",
    ("ServiceImage", "tagtemplate"): "tagTemplate",
}


def unknown_key_hint(model: type[BaseModel], key: str) -> str | None:
    """A "did you mean" for an unknown ``key`` of ``model``, or None."""
    aliases = _aliases(model)
    slip = _KNOWN_SLIPS.get((model.__name__, key))
    if slip:
        return f"did you mean '{slip}'?"
    norm = _normalise(key)
    for alias in aliases:
        if _normalise(alias) == norm:
            return f"did you mean '{alias}'?"
    close = difflib.get_close_matches(key, list(aliases), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"known keys: {', '.join(sorted(aliases))}"


def validate_data(
    data: Any,
    locator: Locator,
    *,
    strict: bool = True,
    scalars: Mapping[Any, Any] | None = None,
) -> tuple[ServicesConfig | None, list[Issue]]:
    """Validate decoded data; return the model (None if invalid) and all issues found."""
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        return None, [locator.issue((), f"the document must be a mapping, not {_kind(data)}")]
    return validate_model(
        ServicesConfig, data, locator, unknown="error" if strict else "warning", scalars=scalars
    )


def validate_model(
    model: type[M],
    data: Mapping[str, Any],
    locator: Locator,
    *,
    unknown: UnknownKeys,
    scalars: Mapping[Any, Any] | None = None,
) -> tuple[M | None, list[Issue]]:
    """Validate ``data`` against any config model; unknown keys per ``unknown``.

    ``scalars`` (yamlio positions of ``data``, with each scalar's source text) lets a string
    field keep what was written (``1.10``, not ``1.1``), as yaml.v3 does.
    """
    walk = _Walk(locator, unknown, scalars or {})
    cleaned = walk.model(data, model, ())
    issues = walk.issues
    try:
        with _no_pydantic_plugins():
            return model.model_validate(cleaned), issues
    except ValidationError as exc:
        issues.extend(issue_from_error(err, locator) for err in exc.errors())
        return None, issues


@contextmanager
def _no_pydantic_plugins() -> Iterator[None]:
    """Build the (``defer_build``) config models without pydantic's plugin discovery.

    The first validation builds the validators, and pydantic's first build scans every
    installed distribution's entry points for plugins: 4-7 ms of each ``render`` on a quiet
    machine (up to ~25 ms on a loaded one), for models internal to codexstack that no plugin
    is meant to see. In a CLI run this is the only build that would scan (typer's parameter
    adapters do not reach the plugin loader).
    """
    previous = os.environ.get("PYDANTIC_DISABLE_PLUGINS")
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = "1"
    try:
        yield
    finally:
        if previous is None:
            del os.environ["PYDANTIC_DISABLE_PLUGINS"]
        else:
            os.environ["PYDANTIC_DISABLE_PLUGINS"] = previous


def _aliases(model: type[BaseModel]) -> dict[str, str]:
    """YAML key -> attribute name of every field of ``model``."""
    return {(info.alias or name): name for name, info in model.model_fields.items()}


@lru_cache(maxsize=256)
def _fields(model: type[BaseModel]) -> dict[str, tuple[Any, bool, bool]]:
    """YAML key -> (annotation, required, nullable) of every field of ``model``.

    Fixed per model class, and the walk asks once per mapping it visits (thousands of times
    for a large project), where pydantic's ``model_fields`` is a property that costs each time.
    """
    return {
        (info.alias or name): (info.annotation, info.is_required(), _nullable(info.annotation))
        for name, info in model.model_fields.items()
    }


_MODEL, _LIST, _MAP, _STR, _OTHER = range(5)


def _plan(annotation: Any) -> tuple[int, Any]:
    """What :meth:`_Walk.shape` does with a value of ``annotation``, and the type it needs.

    ``Annotated`` and ``Optional`` are looked through; the result is (kind, model class or
    ``get_args`` of the annotation).
    """
    origin = get_origin(annotation)
    if origin is Annotated:
        return _plan(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        return _plan(inner[0]) if inner else (_OTHER, None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _MODEL, annotation
    if origin is tuple:
        return _LIST, get_args(annotation)
    if origin is dict:
        return _MAP, get_args(annotation)
    return (_STR, None) if annotation is str else (_OTHER, None)


_plan_cached = lru_cache(maxsize=1024)(_plan)


def _normalise(key: str) -> str:
    return key.replace("_", "").replace("-", "").lower()


class _Walk:
    """One walk over decoded data, guided by the model classes (see the module docstring)."""

    def __init__(self, locator: Locator, unknown: UnknownKeys, scalars: Mapping[Any, Any]):
        self.locator = locator
        self.unknown = unknown
        self.scalars = scalars
        self.issues: list[Issue] = []

    def model(self, data: Any, model: type[BaseModel], path: KeyPath) -> Any:
        if not isinstance(data, Mapping):
            return data  # wrong type: pydantic reports it
        fields = _fields(model)
        out: dict[Any, Any] = {}
        for key, value in data.items():
            here = (*path, key)
            field = fields.get(key) if isinstance(key, str) else None
            if field is None:
                if self.unknown != "ignore":
                    self.issues.append(_unknown(model, str(key), here, self.locator, self.unknown))
                continue
            annotation, required, nullable = field
            if value is None and not nullable:
                if required:
                    out[key] = value  # let pydantic name the missing value
                continue
            out[key] = self.shape(value, annotation, here)
        return out

    def shape(self, value: Any, annotation: Any, path: KeyPath) -> Any:
        try:
            kind, arg = _plan_cached(annotation)
        except TypeError:  # an unhashable annotation
            kind, arg = _plan(annotation)
        if kind == _MODEL:
            return self.model(value, arg, path)
        if kind == _LIST and isinstance(value, list | tuple):
            return [self.shape(v, arg[0], (*path, i)) for i, v in enumerate(value)]
        if kind == _MAP and isinstance(value, Mapping):
            return {k: self.shape(v, arg[1], (*path, k)) for k, v in value.items()}
        if kind == _STR and value is not None and not isinstance(value, str | Mapping | list):
            raw = getattr(self.scalars.get(path), "raw", None)
            return raw if isinstance(raw, str) else value
        return value


def _nullable(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType) and type(None) in get_args(annotation)


def _unknown(
    model: type[BaseModel], key: str, path: KeyPath, locator: Locator, unknown: UnknownKeys
) -> Issue:
    hint = unknown_key_hint(model, key)
    if unknown == "error":
        return locator.issue(path, f"unknown key '{key}'", hint=hint)
    return locator.issue(path, f"unknown key '{key}' is ignored", hint=hint, severity="warning")


_EXPECTED = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "tuple_type": "a list",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}


def issue_from_error(err: ErrorDetails, locator: Locator) -> Issue:
    """One pydantic error as an :class:`Issue` at the YAML position of its key path."""
    path = tuple(p for p in err["loc"] if p != "[key]")
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return locator.issue(path, f"required key '{path[-1]}' is missing" if path else "missing")
    if kind in _EXPECTED:
        got = _kind(err.get("input"))
        return locator.issue(path, f"expected {_EXPECTED[kind]}, got {got}")
    if kind == "literal_error":
        return locator.issue(path, f"expected {ctx.get('expected', 'one of the allowed values')}")
    if kind == "value_error":
        return locator.issue(path, str(ctx.get("error", err["msg"])))
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = ctx.get("ge", ctx.get("le"))
        relation = "at least" if kind == "greater_than_equal" else "at most"
        return locator.issue(path, f"must be {relation} {bound}")
    return locator.issue(path, f"{err['msg']} ({format_path(path) or 'document'})")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__
