"""Where an apiserver is and who we are to it: server URL, TLS context and auth headers.

One :class:`Endpoint` is built from a kubeconfig (server, CA, client certificate, token or
token file, insecure-skip-tls-verify), from the local cluster's PKI files, or from the
in-cluster service account. Every transport (the JSON client here, the exec WebSocket) takes
its base URL, :meth:`Endpoint.ssl_context`, :meth:`Endpoint.auth_headers` and
:meth:`Endpoint.connect` from it, so TLS and identity are set up in exactly one place.
"""

from __future__ import annotations

import base64
import os
import socket
import ssl
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from codexstack.kube._errors import KubeError, Unreachable

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SERVICE_ACCOUNT = Path("/var/run/secrets/kubernetes.io/serviceaccount")


@dataclass(frozen=True)
class Endpoint:
    """One apiserver as seen by one identity; ``tls`` is None for plain HTTP."""

    server: str
    tls: ssl.SSLContext | None = field(default=None, compare=False, repr=False)
    token: str = field(default="", repr=False)

    @property
    def base_url(self) -> str:
        return self.server.rstrip("/")

    @property
    def host(self) -> str:
        return urlsplit(self.server).hostname or "localhost"

    @property
    def port(self) -> int:
        parts = urlsplit(self.server)
        return parts.port or (443 if parts.scheme == "https" else 80)

    def ssl_context(self) -> ssl.SSLContext | None:
        """The verifying client context (CA + client certificate), None for ``http://``."""
        return self.tls if urlsplit(self.server).scheme == "https" else None

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def connect(self, timeout: float) -> socket.socket:
        """A connected socket to the apiserver, TLS-wrapped when the server is ``https``."""
        try:
            sock = socket.create_connection((self.host, self.port), timeout=timeout)
            context = self.ssl_context()
            return context.wrap_socket(sock, server_hostname=self.host) if context else sock
        except OSError as exc:
            raise Unreachable(
                f"cannot reach the Kubernetes API at {self.base_url}: {exc}",
                hint="is the cluster up? (codexstack cluster status)",
            ) from exc

    @classmethod
    def from_kubeconfig(cls, path: Path, context: str | None = None) -> Endpoint:
        """The endpoint of ``context`` (default ``current-context``) in the kubeconfig file."""
        return _from_kubeconfig(path, context)

    @classmethod
    def from_files(cls, server: str, ca: Path, cert: Path, key: Path) -> Endpoint:
        """Client-certificate identity from PEM files (the local cluster's PKI)."""
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        try:
            tls.load_verify_locations(cafile=str(ca))
            tls.load_cert_chain(str(cert), str(key))
        except OSError as exc:  # ssl.SSLError is an OSError
            raise KubeError(f"unusable TLS material in {cert.parent}: {exc}") from exc
        return cls(server, tls)

    @classmethod
    def insecure(cls, server: str) -> Endpoint:
        """No verification: only for anonymous ``/healthz`` of self-signed loopback servers."""
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        tls.check_hostname = False
        tls.verify_mode = ssl.CERT_NONE
        return cls(server, tls)

    @classmethod
    def in_cluster(cls) -> Endpoint:
        """The pod's service account (``KUBERNETES_SERVICE_HOST`` and the mounted token)."""
        host = os.environ.get("KUBERNETES_SERVICE_HOST", "")
        port = os.environ.get("KUBERNETES_SERVICE_PORT", "443")
        if not host or not (SERVICE_ACCOUNT / "token").is_file():
            raise KubeError(
                "no kubeconfig and not running in a cluster",
                hint="set KUBECONFIG or the environment's kubeconfig in services.yaml",
            )
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        tls.load_verify_locations(cafile=str(SERVICE_ACCOUNT / "ca.crt"))
        server = f"https://[{host}]:{port}" if ":" in host else f"https://{host}:{port}"
        return cls(server, tls, (SERVICE_ACCOUNT / "token").read_text().strip())


def default_kubeconfig() -> Path | None:
    """``$KUBECONFIG`` (its first file), else ``~/.kube/config`` when it exists."""
    listed = os.environ.get("KUBECONFIG", "")
    if listed.strip():
        return Path(listed.split(os.pathsep)[0]).expanduser()
    default = Path.home() / ".kube" / "config"
    return default if default.is_file() else None


def _from_kubeconfig(path: Path, context_name: str | None) -> Endpoint:
    try:
        config = yaml.load(path.read_text(), Loader=_LOADER)  # noqa: S506 (a safe loader)
    except (OSError, yaml.YAMLError) as exc:
        raise KubeError(f"cannot read kubeconfig {path}: {exc}") from exc
    if not isinstance(config, dict):
        raise KubeError(f"kubeconfig {path}: not a mapping")
    name = context_name or config.get("current-context", "")
    context = _named(config, "contexts", name, path).get("context") or {}
    cluster = _named(config, "clusters", context.get("cluster", ""), path).get("cluster") or {}
    user = _named(config, "users", context.get("user", ""), path).get("user") or {}
    base = path.parent
    try:
        tls = _tls(cluster, user, base)
        token = str(user.get("token", ""))
        if not token and user.get("tokenFile"):
            token = (base / user["tokenFile"]).read_text().strip()
    except (OSError, ssl.SSLError, ValueError, KeyError) as exc:
        raise KubeError(f"kubeconfig {path}: unusable TLS material: {exc}") from exc
    if "server" not in cluster:
        raise KubeError(f"kubeconfig {path}: cluster {context.get('cluster')!r} has no server")
    return Endpoint(str(cluster["server"]), tls, token)


def _named(config: dict[str, Any], section: str, name: str, path: Path) -> dict[str, Any]:
    for entry in config.get(section) or []:
        if isinstance(entry, dict) and entry.get("name") == name:
            return dict(entry)
    if section == "users":
        return {}
    raise KubeError(f"kubeconfig {path}: no {section[:-1]} named {name!r}")


def _tls(cluster: dict[str, Any], user: dict[str, Any], base: Path) -> ssl.SSLContext:
    # Verifying (hostname + chain) like create_default_context, but the system CA store (40 ms
    # per process) is loaded only when the kubeconfig names no CA of its own.
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if cluster.get("insecure-skip-tls-verify"):
        tls.check_hostname = False
        tls.verify_mode = ssl.CERT_NONE
    elif cluster.get("certificate-authority-data"):
        ca = base64.b64decode(cluster["certificate-authority-data"]).decode()
        tls.load_verify_locations(cadata=ca)
    elif cluster.get("certificate-authority"):
        tls.load_verify_locations(cafile=str(base / cluster["certificate-authority"]))
    else:
        tls.load_default_certs()
    _load_client_cert(tls, user, base)
    return tls


def _load_client_cert(tls: ssl.SSLContext, user: dict[str, Any], base: Path) -> None:
    if user.get("client-certificate"):
        tls.load_cert_chain(str(base / user["client-certificate"]), str(base / user["client-key"]))
    elif user.get("client-certificate-data"):
        # ssl only loads certificates from files: a private temp dir, removed at once.
        with tempfile.TemporaryDirectory(prefix="codexstack-kube-") as tmp:
            cert, key = Path(tmp, "cert.pem"), Path(tmp, "key.pem")
            for target, name in ((cert, "client-certificate-data"), (key, "client-key-data")):
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(base64.b64decode(user[name]))
            tls.load_cert_chain(str(cert), str(key))
