"""The environment comment of ``manage-env comment`` (codexctl §9.4): slot, host and links.

The host of env ``ai`` is ``dev-<slot>.<baseDomain.ai>``; other envs use ``baseDomain[env]``.
``ru`` translates the heading and the Slot/Host labels; any other language gives English.
Links with a blank title or path are skipped, and a path gets its leading ``/``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

LABELS = {
    "en": ("Codex run completed", "Slot", "Host"),
    "ru": ("Запуск Codex завершён", "Слот", "Хост"),
}


def comment_host(env: str, slot: int, base_domain: Mapping[str, str]) -> str:
    """The host the environment is reachable at."""
    if env == "ai":
        return f"dev-{slot}.{base_domain.get('ai', '')}"
    return base_domain.get(env, "")


def env_comment(slot: int, host: str, links: Iterable[tuple[str, str]], lang: str = "en") -> str:
    """The comment body, one line per item, ending in a newline."""
    heading, slot_label, host_label = LABELS.get(lang.lower(), LABELS["en"])
    lines = [heading, "", f"- {slot_label}: {slot}", f"- {host_label}: https://{host}"]
    for title, path in links:
        if title.strip() and path.strip():
            lines.append(f"- {title}: https://{host}{path if path.startswith('/') else '/' + path}")
    return "\n".join(lines) + "\n"
