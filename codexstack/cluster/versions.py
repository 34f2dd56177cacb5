"""Pinned versions of the engine and cluster binaries, read from ``versions.env``.

``versions.env`` sits beside this module and is also sourced by ``scripts/engine``, so the
script that builds the binaries and the code that runs them cannot disagree. The Python
packages ``pulumi`` and ``pulumi-kubernetes`` must match ``pulumi`` and ``provider`` here:
the engine only loads a provider plugin of exactly the version the SDK asks for.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from codexstack.errors import CodexstackError

ENV_FILE = Path(__file__).with_name("versions.env")


@dataclass(frozen=True)
class Versions:
    """One consistent set of pinned versions (without a leading ``v``)."""

    pulumi: str
    provider: str
    provider_pseudo: str
    language_python_pseudo: str
    kubernetes: str
    etcd: str
    kwok: str
    kwok_patches: str = ""
    """Suffix of the patched kwok build (``KWOK_PATCHES``): part of its cache directory."""


def parse_env(text: str) -> dict[str, str]:
    """KEY=value lines, ignoring comments and blank lines (the subset bash and we both read)."""
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise CodexstackError(f"{ENV_FILE}: not a KEY=value line: {raw!r}")
        values[key.strip()] = value.strip()
    return values


@cache
def pinned() -> Versions:
    """The pinned versions of this checkout."""
    env = parse_env(ENV_FILE.read_text(encoding="utf-8"))
    try:
        return Versions(
            pulumi=env["PULUMI_VERSION"],
            provider=env["PULUMI_KUBERNETES_VERSION"],
            provider_pseudo=env["PULUMI_KUBERNETES_PSEUDO"],
            language_python_pseudo=env["PULUMI_LANGUAGE_PYTHON_PSEUDO"],
            kubernetes=env["KUBERNETES_VERSION"],
            etcd=env["ETCD_VERSION"],
            kwok=env["KWOK_VERSION"],
            kwok_patches=env.get("KWOK_PATCHES", ""),
        )
    except KeyError as exc:
        raise CodexstackError(f"{ENV_FILE}: missing {exc.args[0]}") from exc
