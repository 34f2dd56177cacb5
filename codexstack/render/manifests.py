"""One manifest file from path to decoded documents: read, render, decode, guard.

The caller hands in a path already checked to stay inside the project (battery F3). The file
is read bounded in size (regular files only), rendered as a template whose name is its
absolute path (§3.1) and decoded with yaml.v3 semantics; empty documents (blank,
comment-only, ``null``, ``{}``) are dropped. When some template value spans several lines the
structure guard renders the file once more to prove that the value did not add structure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codexstack.config import read_text_file
from codexstack.errors import ConfigError
from codexstack.render.workloads import Doc
from codexstack.yamlio import check_structure, decode_manifests

RenderFn = Callable[[str, str], str]
"""Render template ``text`` under template ``name`` with the full context."""


@dataclass(frozen=True)
class TemplateSite:
    """How manifests are rendered: the real context and, if needed, the guard's context."""

    render: RenderFn
    check_render: RenderFn | None = None
    """Same context with multi-line values replaced by a stand-in; None when there are none."""
    multiline: Mapping[str, str] | None = None
    """Names and texts of the multi-line values (for the guard's message)."""


def render_manifest(path: Path, ref: str, site: TemplateSite) -> list[Doc]:
    """Read, render, decode and guard one manifest file; ``ref`` is its path as written."""
    template = read_text_file(path, f"manifest {ref}")
    name = str(path)
    text = site.render(template, name)
    docs = decode_manifests(text, ref)
    if site.check_render is not None:
        check_text = site.check_render(template, name)
        if check_text != text:
            check_docs: list[Any] | None
            try:
                check_docs = decode_manifests(check_text, ref)
            except ConfigError:
                check_docs = None
            check_structure(ref, text, docs, check_docs, site.multiline or {})
    return docs
