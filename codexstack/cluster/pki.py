"""Certificates and keys of the local cluster, made with the ``openssl`` command.

One self-signed CA signs the apiserver's serving certificate (valid for 127.0.0.1, localhost
and the in-cluster ``kubernetes`` names) and one client certificate per identity: ``admin``
(system:masters), the controller-manager and the scheduler (their built-in RBAC users) and
kwok (system:masters: it rewrites node and pod status across namespaces). A separate RSA pair
signs and verifies service-account tokens. Files are only made when missing, so restarting the
cluster keeps every kubeconfig valid. The openssl CLI keeps codexstack free of a crypto
dependency; P-256 keys make the whole set in well under a second.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from codexstack.errors import DeployError, ToolMissingError

DAYS = "3650"  # a local test cluster: expiry would only ever break an old checkout

# Identities that get a client certificate: name -> (common name, organisation or "").
CLIENTS: dict[str, tuple[str, str]] = {
    "admin": ("admin", "system:masters"),
    "controller-manager": ("system:kube-controller-manager", ""),
    "scheduler": ("system:kube-scheduler", ""),
    "kwok": ("kwok-controller", "system:masters"),
}

APISERVER_SANS = (
    "IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,"
    "DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.0.0.1"
)


@dataclass(frozen=True)
class Pki:
    """Paths of the cluster's key material inside ``<state>/pki``."""

    dir: Path

    @property
    def ca_cert(self) -> Path:
        return self.dir / "ca.crt"

    @property
    def ca_key(self) -> Path:
        return self.dir / "ca.key"

    @property
    def sa_key(self) -> Path:
        return self.dir / "sa.key"

    @property
    def sa_pub(self) -> Path:
        return self.dir / "sa.pub"

    def cert(self, name: str) -> Path:
        return self.dir / f"{name}.crt"

    def key(self, name: str) -> Path:
        return self.dir / f"{name}.key"


def _openssl(*args: str, cwd: Path) -> None:
    try:
        done = subprocess.run(
            ["openssl", *args], cwd=cwd, capture_output=True, text=True, check=False
        )
    except FileNotFoundError as exc:
        raise ToolMissingError("openssl is not installed", hint="apt-get install openssl") from exc
    if done.returncode != 0:
        raise DeployError(f"openssl {args[0]} failed: {done.stderr.strip()}")


def _ec_key(path: Path) -> None:
    _openssl(
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        str(path),
        cwd=path.parent,
    )
    path.chmod(0o600)


def _subject(common_name: str, org: str) -> str:
    return f"/CN={common_name}" + (f"/O={org}" if org else "")


def _signed(pki: Pki, name: str, subject: str, extensions: str) -> None:
    """Key, CSR and CA-signed certificate for ``name`` with the given v3 extensions."""
    _ec_key(pki.key(name))
    csr = pki.dir / f"{name}.csr"
    ext = pki.dir / f"{name}.ext"
    ext.write_text(extensions + "\n", encoding="utf-8")
    _openssl(
        "req", "-new", "-key", str(pki.key(name)), "-subj", subject, "-out", str(csr), cwd=pki.dir
    )
    _openssl(
        "x509",
        "-req",
        "-in",
        str(csr),
        "-CA",
        str(pki.ca_cert),
        "-CAkey",
        str(pki.ca_key),
        "-CAcreateserial",
        "-days",
        DAYS,
        "-sha256",
        "-extfile",
        str(ext),
        "-out",
        str(pki.cert(name)),
        cwd=pki.dir,
    )
    csr.unlink()
    ext.unlink()


def ensure(directory: Path) -> Pki:
    """Make whatever key material is missing under ``directory`` and return its paths."""
    pki = Pki(directory)
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    if not (pki.ca_cert.exists() and pki.ca_key.exists()):
        _ec_key(pki.ca_key)
        _openssl(
            "req",
            "-x509",
            "-new",
            "-key",
            str(pki.ca_key),
            "-subj",
            "/CN=codexstack-local-ca",
            "-days",
            DAYS,
            "-sha256",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-out",
            str(pki.ca_cert),
            cwd=directory,
        )
    if not pki.cert("apiserver").exists():
        _signed(
            pki,
            "apiserver",
            "/CN=kube-apiserver",
            "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
            f"extendedKeyUsage=serverAuth\nsubjectAltName={APISERVER_SANS}",
        )
    for name, (common_name, org) in CLIENTS.items():
        if not pki.cert(name).exists():
            _signed(
                pki,
                name,
                _subject(common_name, org),
                "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
                "extendedKeyUsage=clientAuth",
            )
    if not (pki.sa_key.exists() and pki.sa_pub.exists()):
        # RSA: every token consumer understands RS256; EC support varies between clients.
        _openssl(
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
            str(pki.sa_key),
            cwd=directory,
        )
        pki.sa_key.chmod(0o600)
        _openssl("pkey", "-in", str(pki.sa_key), "-pubout", "-out", str(pki.sa_pub), cwd=directory)
    return pki
