"""The environment comment of ``manage-env comment`` (codexctl §9.4): slot, host and links.

The host of env ``ai`` is ``dev-<slot>.<baseDomain.ai>``; other envs use ``baseDomain[env]``.
The body is ``templates/env-comment/<lang>.md.gotmpl`` rendered with the Go dialect on
codexctl's data ``{Slot, Host, Links[]{Title, URL}}`` and no functions; a language without its
own file (anything but ``ru`` today) gets English. Links with a blank title or path are
skipped, and a path gets its leading ``/``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from codexstack.templating import asset_exists, asset_text, go_render


def comment_host(env: str, slot: int, base_domain: Mapping[str, str]) -> str:
    """The host the environment is reachable at."""
    if env == "ai":
        return f"dev-{slot}.{base_domain.get('ai', '')}"
    return base_domain.get(env, "")


def env_comment(slot: int, host: str, links: Iterable[tuple[str, str]], lang: str = "en") -> str:
    """The comment body, one line per item, ending in a newline."""
    name = f"env-comment/{lang.lower()}.md.gotmpl"
    if not lang.isalnum() or not asset_exists(name):
        name = "env-comment/en.md.gotmpl"
    data = {
        "Slot": slot,
        "Host": host,
        "Links": [
            {"Title": title, "URL": f"https://{host}{path if path.startswith('/') else '/' + path}"}
            for title, path in links
            if title.strip() and path.strip()
        ],
    }
    return go_render(name, asset_text(name), data, {})
