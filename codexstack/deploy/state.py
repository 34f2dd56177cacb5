"""Where a project's Pulumi state lives and how its secrets are protected.

Everything codexstack keeps for a project sits under ``<project>/.codexstack/``: the default
state backend (``state/``, a Pulumi file backend: no account, no server), one persistent
Pulumi work dir per stack (``stacks/<stack>/``, which keeps the stack's config and secrets
salt), and the generated passphrase file. ``PULUMI_BACKEND_URL`` selects any other backend.

Passphrase story: a file backend encrypts stack secrets with a passphrase. If
``PULUMI_CONFIG_PASSPHRASE`` or ``PULUMI_CONFIG_PASSPHRASE_FILE`` is set, that is used. If not,
and the backend is a local file backend, codexstack generates a random passphrase once into
``.codexstack/passphrase`` (mode 0600, never printed) and points Pulumi at it: the state and
its key stay on this machine, like an SSH key. A shared object-store or database backend
needs the passphrase from the CI secret store instead (a generated local one would lock the
other runners out), so codexstack refuses to invent one there. Cloud backends need none.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from codexstack.errors import ConfigError

STATE_DIR = ".codexstack"
PASSPHRASE_VARS = ("PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE")
CLOUD_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class ProjectState:
    """The ``.codexstack`` directory of one project (the directory of services.yaml)."""

    project_dir: Path

    @property
    def root(self) -> Path:
        return self.project_dir / STATE_DIR

    @property
    def default_backend(self) -> str:
        # metadata=skip: no ".attrs" sidecar per state file. The engine writes state files
        # atomically (temp file + rename) but sidecars in place, and a run killed mid-write
        # left an empty sidecar that made the stack unreadable (battery D2).
        return (self.root / "state").resolve().as_uri() + "?metadata=skip"

    @property
    def passphrase_file(self) -> Path:
        return self.root / "passphrase"

    def stack_dir(self, stack: str) -> Path:
        """The persistent Pulumi work dir of a stack (created on demand)."""
        path = self.root / "stacks" / stack
        path.mkdir(parents=True, exist_ok=True)
        return path

    def backend_url(self) -> str:
        """``PULUMI_BACKEND_URL`` when set, else the project's file backend (created)."""
        explicit = os.environ.get("PULUMI_BACKEND_URL", "").strip()
        if explicit:
            return explicit
        (self.root / "state").mkdir(parents=True, exist_ok=True)
        return self.default_backend

    def secrets_env(self, backend: str) -> dict[str, str]:
        """Variables that give Pulumi the stack passphrase (see the module docstring)."""
        if any(os.environ.get(v) is not None for v in PASSPHRASE_VARS):
            return {}
        scheme = urlparse(backend).scheme
        if scheme in CLOUD_SCHEMES:
            return {}
        if scheme != "file":
            raise ConfigError(
                f"the state backend {scheme}:// is shared, but no stack passphrase is set",
                hint="set PULUMI_CONFIG_PASSPHRASE (or _FILE) from your CI secret store",
            )
        return {"PULUMI_CONFIG_PASSPHRASE_FILE": str(ensure_passphrase(self.passphrase_file))}


def ensure_passphrase(path: Path) -> Path:
    """Create ``path`` with a random passphrase (0600) unless it exists; return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(32) + "\n")
    return path


def file_backend_dir(backend: str) -> Path | None:
    """The directory of a ``file://`` backend (None for any other kind)."""
    parsed = urlparse(backend)
    if parsed.scheme != "file":
        return None
    path = (
        unquote(parsed.netloc + parsed.path)
        if parsed.netloc not in ("", "localhost")
        else unquote(parsed.path)
    )
    return Path(os.path.expanduser(path))
