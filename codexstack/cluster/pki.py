"""Certificates and keys of the local cluster, made in-process with ``cryptography``.

One self-signed CA signs the apiserver's serving certificate (valid for 127.0.0.1, localhost
and the in-cluster ``kubernetes`` names) and one client certificate per identity: ``admin``
(system:masters), the controller-manager and the scheduler (their built-in RBAC users) and
kwok (system:masters: it rewrites node and pod status across namespaces), plus kwok's own
serving certificate and the apiserver's client certificate towards it (pod exec reaches the
simulated node's kubelet API that way). A separate RSA pair
signs and verifies service-account tokens. Files are only made when missing, so restarting the
cluster keeps every kubeconfig valid. Keys are P-256 (the whole set takes milliseconds) and are
written 0600 as PKCS#8 PEM, the form every Kubernetes component reads.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DAYS = 3650  # a local test cluster: expiry would only ever break an old checkout

# Identities that get a client certificate: name -> (common name, organisation or "").
CLIENTS: dict[str, tuple[str, str]] = {
    "admin": ("admin", "system:masters"),
    "controller-manager": ("system:kube-controller-manager", ""),
    "scheduler": ("system:kube-scheduler", ""),
    "kwok": ("kwok-controller", "system:masters"),
    # The apiserver's client certificate towards kubelets (here kwok's exec server).
    "apiserver-kubelet-client": ("kube-apiserver-kubelet-client", "system:masters"),
}

APISERVER_DNS = (
    "localhost",
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    "kubernetes.default.svc.cluster.local",
)
APISERVER_IPS = ("127.0.0.1", "10.0.0.1")

Key = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


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


def _write_key(path: Path, key: Key) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def _name(common_name: str, org: str = "") -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if org:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    return x509.Name(parts)


def _builder(subject: x509.Name, issuer: x509.Name, key: Key) -> x509.CertificateBuilder:
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=DAYS))
    )


def _usage(*, sign_certs: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not sign_certs,
        content_commitment=False,
        key_encipherment=not sign_certs,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=sign_certs,
        crl_sign=sign_certs,
        encipher_only=False,
        decipher_only=False,
    )


def _make_ca(pki: Pki) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name("codexstack-local-ca")
    cert = (
        _builder(name, name, key)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_usage(sign_certs=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_key(pki.ca_key, key)
    pki.ca_cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _signed(pki: Pki, name: str, subject: x509.Name, server: bool) -> None:
    """Key and CA-signed certificate for ``name``: a serving one or a client one."""
    ca_cert = x509.load_pem_x509_certificate(pki.ca_cert.read_bytes())
    ca_key = serialization.load_pem_private_key(pki.ca_key.read_bytes(), password=None)
    if not isinstance(ca_key, ec.EllipticCurvePrivateKey):
        raise TypeError(f"{pki.ca_key}: not the EC key codexstack makes")
    key = ec.generate_private_key(ec.SECP256R1())
    usage = ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH
    builder = (
        _builder(subject, ca_cert.subject, key)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=False)
        .add_extension(_usage(sign_certs=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    )
    if server:
        names: list[x509.GeneralName] = [x509.DNSName(d) for d in APISERVER_DNS]
        names += [x509.IPAddress(ipaddress.ip_address(ip)) for ip in APISERVER_IPS]
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    _write_key(pki.key(name), key)
    cert = builder.sign(ca_key, hashes.SHA256())
    pki.cert(name).write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def ensure(directory: Path) -> Pki:
    """Make whatever key material is missing under ``directory`` and return its paths."""
    pki = Pki(directory)
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    if not (pki.ca_cert.exists() and pki.ca_key.exists()):
        _make_ca(pki)
    if not pki.cert("apiserver").exists():
        _signed(pki, "apiserver", _name("kube-apiserver"), server=True)
    # kwok serves the kubelet API (exec, logs) on loopback: the same loopback names.
    if not pki.cert("kwok-serving").exists():
        _signed(pki, "kwok-serving", _name("kwok-node"), server=True)
    for name, (common_name, org) in CLIENTS.items():
        if not pki.cert(name).exists():
            _signed(pki, name, _name(common_name, org), server=False)
    if not (pki.sa_key.exists() and pki.sa_pub.exists()):
        # RSA: every token consumer understands RS256; EC support varies between clients.
        sa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        _write_key(pki.sa_key, sa)
        pki.sa_pub.write_bytes(
            sa.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
    return pki
