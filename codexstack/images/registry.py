"""Read-only questions to an OCI registry: is it there, and what is under this tag?

python-dxf speaks the registry v2 API (token and basic auth included). codexstack only
reads: whether the registry answers (an unreachable one is a temporary error, exit 75, with
its address), and for a tag its manifest digest, config digest (the image ID) and labels (the
content key of a build). Pushes go through the Docker daemon. Credentials come from
``CODEXSTACK_REGISTRY_USER``/``CODEXSTACK_REGISTRY_PASSWORD`` (or ``REGISTRY_USER``/
``REGISTRY_PASSWORD``) or else Docker's own config file and credential helpers
(``$DOCKER_CONFIG/config.json``); never from the command line. Loopback registries are
spoken to over plain HTTP, as Docker does; ``CODEXCTL_KANIKO_INSECURE`` allows HTTP for
others and ``CODEXCTL_KANIKO_SKIP_TLS_VERIFY`` skips certificate checks (codexctl's toggles).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from docker import auth as docker_auth
from dxf import DXF, DXFBase

from codexstack import golang, redact
from codexstack.errors import DeployError, TemporaryError
from codexstack.images.refs import ImageRef

TIMEOUT = 10.0


@dataclass(frozen=True)
class Credentials:
    """A user name and password for one registry (``repr`` hides the password)."""

    username: str
    password: str = field(repr=False)

    def auth_config(self) -> dict[str, str]:
        """The form docker-py sends in the ``X-Registry-Auth`` header."""
        return {"username": self.username, "password": self.password}


@dataclass(frozen=True)
class RemoteImage:
    """What a registry holds under one tag."""

    digest: str
    """Manifest digest (``sha256:…``): what a pod pins."""
    config_digest: str
    """Config blob digest: the image ID, equal for the same image however it was pushed."""
    labels: Mapping[str, str]


def credentials(host: str, environ: Mapping[str, str] | None = None) -> Credentials | None:
    """Credentials for ``host``: environment variables first, then Docker's config file."""
    env = os.environ if environ is None else environ
    for prefix in ("CODEXSTACK_REGISTRY_", "REGISTRY_"):
        user, password = env.get(prefix + "USER", ""), env.get(prefix + "PASSWORD", "")
        if user and password:
            redact.register(password)
            return Credentials(user, password)
    config = docker_auth.load_config(credstore_env=None)
    found = config.resolve_authconfig(host) if config else None
    if found and found.get("Username") and found.get("Password"):
        redact.register(str(found["Password"]))
        return Credentials(str(found["Username"]), str(found["Password"]))
    return None


def _flag(env: Mapping[str, str], *names: str) -> bool:
    """Whether any of the variables is true as Go reads it (unset or malformed: false)."""
    return any(_true(env.get(name, "")) for name in names)


def _true(text: str) -> bool:
    try:
        return golang.parse_bool(text.strip())
    except ValueError:
        return False


@dataclass(frozen=True)
class RegistryClient:
    """One registry host, with its transport settings and credentials."""

    host: str
    insecure: bool
    """Plain HTTP (loopback, or allowed by the environment)."""
    tls_verify: bool = True
    creds: Credentials | None = field(default=None, repr=False)

    @classmethod
    def for_ref(cls, ref: ImageRef, environ: Mapping[str, str] | None = None) -> RegistryClient:
        env = os.environ if environ is None else environ
        allow_http = _flag(env, "CODEXSTACK_REGISTRY_INSECURE", "CODEXCTL_KANIKO_INSECURE")
        insecure = ref.loopback or allow_http
        skip = _flag(env, "CODEXSTACK_REGISTRY_SKIP_TLS_VERIFY", "CODEXCTL_KANIKO_SKIP_TLS_VERIFY")
        return cls(ref.host, insecure, not skip, credentials(ref.host, env))

    def _auth(self, dxf: DXFBase, response: requests.Response) -> None:
        if self.creds is not None:
            dxf.authenticate(self.creds.username, self.creds.password, response=response)
        else:
            dxf.authenticate(response=response)

    def _dxf(self, repo: str) -> DXF:
        return DXF(
            self.host,
            repo,
            auth=self._auth,
            insecure=self.insecure,
            tlsverify=self.tls_verify,
            timeout=TIMEOUT,
        )

    @property
    def url(self) -> str:
        return f"{'http' if self.insecure else 'https'}://{self.host}/v2/"

    def check(self, repo: str) -> None:
        """Raise TemporaryError (exit 75) naming the address unless the registry answers."""
        try:
            self._dxf(repo).api_version_check()
        except requests.RequestException as exc:
            raise TemporaryError(
                f"registry {self.host} is unreachable ({self.url}): {_reason(exc)}",
                hint="start it (`codexstack registry up`) or check the image's registry host",
            ) from None
        except Exception as exc:
            raise DeployError(f"registry {self.host} ({self.url}) refused us: {exc}") from None

    def remote(self, ref: ImageRef) -> RemoteImage | None:
        """The image under ``ref``'s tag, or None when the tag does not exist."""
        dxf = self._dxf(ref.path)
        try:
            text, response = dxf.get_manifest_and_response(ref.tag or "latest")
        except requests.HTTPError as exc:
            if exc.response is not None and exc.response.status_code == 404:
                return None
            raise DeployError(f"registry {self.host}: reading {ref}: {exc}") from None
        except requests.RequestException as exc:
            raise TemporaryError(f"registry {self.host} is unreachable: {_reason(exc)}") from None
        manifest: dict[str, Any] = json.loads(text)
        digest = response.headers.get("Docker-Content-Digest", "")
        config = manifest.get("config") or {}
        config_digest = str(config.get("digest", ""))
        if not config_digest:  # an index (multi-platform): no single config to compare
            return RemoteImage(digest, "", {})
        blob = b"".join(dxf.pull_blob(config_digest))  # type: ignore[arg-type]
        labels = (json.loads(blob).get("config") or {}).get("Labels") or {}
        return RemoteImage(digest, config_digest, {str(k): str(v) for k, v in labels.items()})


def _reason(exc: Exception) -> str:
    text = str(exc)
    for marker in ("Connection refused", "Name or service not known", "timed out"):
        if marker in text:
            return marker.lower()
    return text.splitlines()[0][:200] if text else type(exc).__name__
