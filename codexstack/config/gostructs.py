"""``.Codex`` and ``.Storage`` as the Go structs codexctl hands to its templates.

Templates address these values by Go field names (``.Codex.Timeouts.DeployWait``,
``.Storage.Workspace.StorageClass``), and Go's type system shows through in output:
``{{ .Storage }}`` with no storage block prints ``<nil>``, ``{{ .Codex.Links }}`` prints a
slice of structs, ``%T`` prints ``config.CodexConfig``. This module converts the pydantic
models into the templating layer's typed values (structs, typed slices and maps, pointers)
with codexctl's type names and field order, derived from the model declarations.
"""

from __future__ import annotations

import types
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from codexstack.config import models as M
from codexstack.templating import GoMap, GoPtr, GoSlice, GoStruct, NilPtr
from codexstack.templating import gotypes as T

# codexctl's Go type names (package ``config``).
_GO_NAMES: dict[type[BaseModel], str] = {
    M.CodexConfig: "config.CodexConfig",
    M.CodexTimeouts: "config.CodexTimeouts",
    M.ConfigBlock: "config.CodexConfigBlock",
    M.Link: "config.Link",
    M.MCPConfig: "config.CodexMCPConfig",
    M.MCPServer: "config.MCPServer",
    M.MCPServiceRef: "config.MCPServiceRef",
    M.MCPTool: "config.MCPTool",
    M.PVCSpec: "config.PVCSpec",
    M.Storage: "config.StorageConfig",
    M.ValueRef: "config.ValueRef",
}
# Go field names that are not the PascalCase of the attribute name.
_FIELD_NAMES = {"mcp": "MCP", "toml": "TOML", "review_mcp_enabled": "ReviewMCPEnabled"}


def go_field_name(attr: str) -> str:
    """``config_template`` -> ``ConfigTemplate`` (with codexctl's initialisms)."""
    return _FIELD_NAMES.get(attr) or "".join(p.capitalize() for p in attr.rstrip("_").split("_"))


def codex_value(codex: M.CodexConfig | None) -> GoStruct:
    """``.Codex``: a ``config.CodexConfig`` (the zero struct when ``None``, as in pass 1)."""
    gotype = go_type(M.CodexConfig)
    return GoStruct(gotype) if codex is None else _struct(codex)


def storage_value(storage: M.Storage | None) -> Any:
    """``.Storage``: a ``*config.StorageConfig``, nil when services.yaml has no storage block."""
    return _pointer(M.Storage, storage)


def go_type(annotation: Any) -> T.GoType:
    """The Go type standing for a model field annotation."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return go_type(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        inner = next(a for a in get_args(annotation) if a is not type(None))
        return T.ptr_to(go_type(inner))
    if origin is tuple:
        return T.slice_of(go_type(get_args(annotation)[0]))
    if origin is dict:
        return T.map_of(T.STRING, go_type(get_args(annotation)[1]))
    if annotation is str:
        return T.STRING
    if annotation is bool:
        return T.BOOL
    if annotation is int:
        return T.INT
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _struct_type(annotation)
    raise TypeError(f"no Go type for {annotation!r}")


def _go_fields(model: type[BaseModel]) -> list[tuple[str, Any]]:
    """Fields codexctl's struct has: codexstack-only keys (``GO_HIDDEN``) stay out of templates."""
    hidden: frozenset[str] = getattr(model, "GO_HIDDEN", frozenset())
    return [(n, f.annotation) for n, f in model.model_fields.items() if n not in hidden]


@cache
def _struct_type(model: type[BaseModel]) -> T.GoType:
    fields = [(go_field_name(n), go_type(a)) for n, a in _go_fields(model)]
    return T.struct_type(fields, _GO_NAMES[model])


def _struct(model: BaseModel) -> GoStruct:
    cls = type(model)
    values = {
        go_field_name(name): _value(getattr(model, name), annotation)
        for name, annotation in _go_fields(cls)
    }
    return GoStruct(go_type(cls), values)


def _pointer(cls: type[BaseModel], model: BaseModel | None) -> Any:
    if model is None:
        return NilPtr(T.ptr_to(go_type(cls)))
    return GoPtr(_struct(model))


def _value(value: Any, annotation: Any) -> Any:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _value(value, get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        inner = next(a for a in get_args(annotation) if a is not type(None))
        return _pointer(inner, value)
    if origin is tuple:
        elem = get_args(annotation)[0]
        return GoSlice((_value(v, elem) for v in value), elem=go_type(elem))
    if origin is dict:
        elem = get_args(annotation)[1]
        return GoMap(
            {k: _value(v, elem) for k, v in value.items()}, key=T.STRING, elem=go_type(elem)
        )
    if isinstance(value, BaseModel):
        return _struct(value)
    return value
