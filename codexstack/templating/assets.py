"""Locates the texts under the project's ``templates/`` directory, installed or in a checkout.

A wheel carries them as the ``codexstack/_templates`` package data (``pyproject.toml``
force-includes them); a source checkout or editable install reads the top-level ``templates/``
beside the package. :func:`asset_text` is the one way code reads them, so a missing text is a
clear :class:`~codexstack.errors.CodexstackError` naming both places looked in, never an
``OSError`` traceback.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from codexstack.errors import CodexstackError

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def template_roots() -> tuple[Path, ...]:
    """Where templates are looked for, first match wins: installed data, then the checkout."""
    return (_PACKAGE_DIR / "_templates", _PACKAGE_DIR.parent / "templates")


def asset_exists(relpath: str) -> bool:
    """Whether ``relpath`` (slash-separated, under ``templates/``) exists in any root."""
    return any((root / relpath).is_file() for root in template_roots())


def asset_dir(relpath: str) -> Path:
    """The directory ``templates/<relpath>`` of the first root that has it."""
    for root in template_roots():
        candidate = root / relpath
        if candidate.is_dir():
            return candidate
    looked = ", ".join(str(root / relpath) for root in template_roots())
    raise CodexstackError(f"template directory {relpath!r} is missing (looked in {looked})")


@cache
def asset_text(relpath: str) -> str:
    """The UTF-8 text of ``templates/<relpath>``; cached, since templates never change at run."""
    for root in template_roots():
        candidate = root / relpath
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    looked = ", ".join(str(root / relpath) for root in template_roots())
    raise CodexstackError(f"template {relpath!r} is missing (looked in {looked})")
