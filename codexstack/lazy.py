"""Lazy package exports: a package ``__init__`` names what it offers, modules load on first use.

Each package ``__init__`` is the package's contract. It lists its public names and the private
module each comes from; :func:`exports` returns the module-level ``__getattr__`` and ``__dir__``
that import that module the first time a name is read. ``import codexstack.config`` then costs
nothing until a caller really uses the config model, which keeps ``--help`` and ``render``
start-up cheap while callers still import from the package, never from its modules.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def exports(
    package: str, names: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package`` exporting ``name -> submodule``.

    ``"submodule:attr"`` exports ``attr`` of that module under another ``name`` (so that a
    function named like its module, ``status.status``, can be exported without the clash).
    """

    def __getattr__(name: str) -> Any:
        source = names.get(name)
        if source is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attr = source.partition(":")
        value = getattr(importlib.import_module(f"{package}.{module}"), attr or name)
        # Cache on the package: the next read is a plain attribute lookup.
        setattr(importlib.import_module(package), name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(names)

    return __getattr__, __dir__
