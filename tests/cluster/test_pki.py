"""The local cluster's PKI, made with cryptography: files, identities, and a real TLS handshake.

The apiserver certificate and the admin client certificate are used on both ends of a mutual
TLS handshake over a socket pair with the standard library's ``ssl``, as the apiserver and a
client would; the service-account pair is checked to be one key.
"""

from __future__ import annotations

import socket
import ssl
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from codexstack.cluster import pki


def test_ensure_makes_every_identity_once(tmp_path: Path) -> None:
    made = pki.ensure(tmp_path / "pki")
    names = ["apiserver", *pki.CLIENTS]
    for name in names:
        assert made.key(name).stat().st_mode & 0o777 == 0o600
    assert made.ca_key.stat().st_mode & 0o777 == 0o600
    before = {n: made.cert(n).read_bytes() for n in names}
    pki.ensure(tmp_path / "pki")  # a restart keeps every certificate (kubeconfigs stay valid)
    assert {n: made.cert(n).read_bytes() for n in names} == before
    admin = x509.load_pem_x509_certificate(made.cert("admin").read_bytes())
    org = admin.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    assert [a.value for a in org] == ["system:masters"]
    sa_key = serialization.load_pem_private_key(made.sa_key.read_bytes(), password=None)
    sa_pub = serialization.load_pem_public_key(made.sa_pub.read_bytes())
    assert sa_key.public_key().public_numbers() == sa_pub.public_numbers()  # type: ignore[union-attr]


def handshake(made: pki.Pki, host: str) -> tuple[object, object]:
    """One mutual TLS handshake: (what the client saw of the server, what the server saw)."""
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(made.cert("apiserver"), made.key("apiserver"))
    server.load_verify_locations(made.ca_cert)
    server.verify_mode = ssl.CERT_REQUIRED
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client.load_verify_locations(made.ca_cert)
    client.load_cert_chain(made.cert("admin"), made.key("admin"))
    left, right = socket.socketpair()
    seen: dict[str, object] = {}

    def serve() -> None:
        with server.wrap_socket(left, server_side=True) as tls:
            seen["peer"] = tls.getpeercert()

    thread = threading.Thread(target=serve)
    thread.start()
    with client.wrap_socket(right, server_hostname=host) as tls:
        server_cert = tls.getpeercert()
    thread.join()
    return server_cert, seen["peer"]


def test_apiserver_and_admin_certificates_complete_a_mutual_tls_handshake(tmp_path: Path) -> None:
    made = pki.ensure(tmp_path / "pki")
    for host in ("127.0.0.1", "kubernetes.default.svc"):  # names the apiserver answers to
        server_cert, client_cert = handshake(made, host)
        assert isinstance(server_cert, dict)
        assert isinstance(client_cert, dict)
        assert server_cert["subject"] == ((("commonName", "kube-apiserver"),),)
        assert (("organizationName", "system:masters"),) in client_cert["subject"]
