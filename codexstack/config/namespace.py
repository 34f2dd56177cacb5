"""The one namespace rule (§6.2, D-NS), used by loading, rendering and slot bookkeeping alike.

In order: an explicit namespace (flag or variable) wins; else ``namespace.patterns[env]``
rendered with the pass-1 template context *for the real slot* (a blank result is ignored);
else the fallbacks: env ``ai`` with a slot > 0 -> ``<project>-dev-<slot>``, ``ai-repair`` ->
``<project>-ai-staging`` (shared with staging), any other env -> ``<project>-<env>``; ``ai``
with slot 0 and no pattern, an empty env or an empty project give ``""`` (no namespace
injection, nothing to wait for). codexctl's slot records used a different, hard-coded rule
for ``ai`` and ``ai-repair``; codexstack does not (D-NS).
"""

from __future__ import annotations

from collections.abc import Callable


def fallback_namespace(project: str, env: str, slot: int) -> str:
    """The namespace when no explicit value or pattern applies."""
    if not project or not env:
        return ""
    if env == "ai":
        return f"{project}-dev-{slot}" if slot > 0 else ""
    if env == "ai-repair":
        return f"{project}-ai-staging"
    return f"{project}-{env}"


def resolve_namespace(
    *,
    explicit: str | None,
    env: str,
    slot: int,
    project: str,
    pattern: str | None,
    render_pattern: Callable[[str], str],
) -> str:
    """Apply the namespace rule; ``render_pattern`` renders a pattern with the pass-1 context."""
    if explicit and explicit.strip():
        return explicit.strip()
    if not env:
        return ""
    if pattern and pattern.strip():
        rendered = render_pattern(pattern).strip()
        if rendered:
            return rendered
    return fallback_namespace(project, env, slot)
