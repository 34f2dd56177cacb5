"""Attribute docstrings of the config models as field descriptions, one parse per module.

Each model field carries its documentation as the string literal after it; the JSON Schema
(``codexstack schema``) shows it as the key's ``description``. pydantic can read those itself
(``use_attribute_docstrings``), but it re-parses the module source for every class, which cost
``render`` and ``apply`` about a third of their start-up. :func:`document_models`, called once
at the end of a models module, parses that module once and fills in the descriptions before
any validator or schema is built (the models are ``defer_build``).
"""

from __future__ import annotations

import ast
import inspect
import itertools
import sys

from pydantic import BaseModel

_DOCS: dict[type, dict[str, str]] = {}
"""Docstrings found so far, per class (a subclass inherits its bases' texts)."""


def _class_docs(node: ast.ClassDef) -> dict[str, str]:
    docs: dict[str, str] = {}
    for statement, following in itertools.pairwise(node.body):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[statement.target.id] = inspect.cleandoc(following.value.value)
    return docs


def document_models(module_name: str) -> None:
    """Give every field of the module's models its attribute docstring as ``description``."""
    module = sys.modules[module_name]
    tree = ast.parse(inspect.getsource(module))
    models = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        model = getattr(module, node.name, None)
        if isinstance(model, type) and issubclass(model, BaseModel):
            _DOCS[model] = _class_docs(node)
            models.append(model)
    for model in models:
        docs: dict[str, str] = {}
        for base in reversed(model.__mro__):  # a subclass's docstring wins
            docs.update(_DOCS.get(base, {}))
        for name, field in model.__pydantic_fields__.items():
            if field.description is None and name in docs:
                field.description = docs[name]
