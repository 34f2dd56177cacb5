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
A blank ``PULUMI_CONFIG_PASSPHRASE`` (what a workflow passes for a secret that is not set) counts
as unset, never as the empty passphrase: Pulumi would take it as one, so codexstack then hands
the engine the real passphrase in that variable, which overrides the blank one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse, urlsplit, urlunsplit

from codexstack.errors import ConfigError

STATE_DIR = ".codexstack"
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

    def secrets_env(self, backend: str, environ: Mapping[str, str] | None = None) -> dict[str, str]:
        """Variables that give Pulumi the stack passphrase (see the module docstring)."""
        env = os.environ if environ is None else environ
        blank = "PULUMI_CONFIG_PASSPHRASE" in env and not env["PULUMI_CONFIG_PASSPHRASE"].strip()
        if not blank and "PULUMI_CONFIG_PASSPHRASE" in env:
            return {}
        given = env.get("PULUMI_CONFIG_PASSPHRASE_FILE", "").strip()
        scheme = urlparse(backend).scheme
        if given:  # Pulumi reads the file itself unless a blank passphrase shadows it
            return _overriding(Path(given).resolve(), blank=True) if blank else {}
        if scheme in CLOUD_SCHEMES:
            return {}
        if scheme != "file":
            empty = "is set but empty" if blank else "is not set"
            raise ConfigError(
                f"the state backend {scheme}:// is shared, but the stack passphrase {empty}",
                hint="set PULUMI_CONFIG_PASSPHRASE (or _FILE) from your CI secret store",
            )
        return _overriding(ensure_passphrase(self.passphrase_file), blank=blank)


def _overriding(path: Path, *, blank: bool) -> dict[str, str]:
    """Point Pulumi at ``path``; with a blank PULUMI_CONFIG_PASSPHRASE set, replace it instead."""
    if not blank:
        return {"PULUMI_CONFIG_PASSPHRASE_FILE": str(path)}
    try:
        phrase = path.read_text().strip()
    except OSError as exc:
        raise ConfigError(f"cannot read the stack passphrase file {path}: {exc.strerror}") from None
    if not phrase:
        raise ConfigError(f"the stack passphrase file {path} is empty")
    return {"PULUMI_CONFIG_PASSPHRASE": phrase}


def ensure_passphrase(path: Path) -> Path:
    """Create ``path`` with a random passphrase (0600) unless it exists; return it.

    The passphrase is written to a temporary file that is then linked into place, so the file
    appears complete or not at all: a run killed (or failing) half-way never leaves an empty
    passphrase that every later run would encrypt with.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        return path
    fd, tmp = tempfile.mkstemp(prefix=".passphrase-", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # a concurrent first run won: keep its file
            os.link(tmp, path)
    finally:
        os.unlink(tmp)
    return path


def display_url(url: str) -> str:
    """``url`` with any password replaced by ``***`` (for status and messages)."""
    parts = urlsplit(url)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return url
    user = userinfo.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{hostport}"))


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
