"""Endpoints from kubeconfig files, without a cluster: identity, TLS material and clear errors."""

from __future__ import annotations

import base64
import socket
from pathlib import Path

import pytest

from codexstack.kube import Client, Endpoint, KubeError, Unreachable, default_kubeconfig


def _kubeconfig(path: Path, user: dict[str, str]) -> Path:
    path.write_text(
        "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
        "contexts: [{name: c, context: {cluster: k, user: u}}]\n"
        "clusters: [{name: k, cluster: {server: 'https://127.0.0.1:6443',"
        " insecure-skip-tls-verify: true}}]\n"
        f"users: [{{name: u, user: {user}}}]\n"
    )
    return path


def test_kubeconfig_token_and_token_file(tmp_path: Path) -> None:
    api = Client.from_kubeconfig(_kubeconfig(tmp_path / "a", {"token": "abc"}))
    assert (api.server, api.endpoint.token) == ("https://127.0.0.1:6443", "abc")
    (tmp_path / "tok").write_text("from-file\n")
    api = Client.from_kubeconfig(_kubeconfig(tmp_path / "b", {"tokenFile": "tok"}))
    assert api.endpoint.token == "from-file"


def test_kubeconfig_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(KubeError, match="no context named 'other'"):
        Client.from_kubeconfig(_kubeconfig(tmp_path / "c", {"token": "x"}), "other")
    bad = {
        "client-certificate-data": base64.b64encode(b"junk").decode(),
        "client-key-data": base64.b64encode(b"junk").decode(),
    }
    with pytest.raises(KubeError, match="unusable TLS material"):
        Client.from_kubeconfig(_kubeconfig(tmp_path / "d", bad))
    (tmp_path / "e").write_text("- not\n- a mapping\n")
    with pytest.raises(KubeError, match="not a mapping"):
        Endpoint.from_kubeconfig(tmp_path / "e")


def test_endpoint_parts_for_other_transports(tmp_path: Path) -> None:
    """What the exec (WebSocket) transport reuses: base URL, host, port, TLS, auth headers."""
    endpoint = Endpoint.from_kubeconfig(_kubeconfig(tmp_path / "a", {"token": "abc"}))
    assert endpoint.base_url == "https://127.0.0.1:6443"
    assert (endpoint.host, endpoint.port) == ("127.0.0.1", 6443)
    assert endpoint.ssl_context() is not None
    assert endpoint.auth_headers() == {"Authorization": "Bearer abc"}
    plain = Endpoint("http://127.0.0.1/")
    assert (plain.port, plain.ssl_context(), plain.auth_headers()) == (80, None, {})


def test_default_kubeconfig_is_the_first_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KUBECONFIG", f"{tmp_path / 'one'}:{tmp_path / 'two'}")
    assert default_kubeconfig() == tmp_path / "one"
    monkeypatch.delenv("KUBECONFIG")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_kubeconfig() is None


def test_unreachable_server_is_reported_at_once(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on: bound, never listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        client = Client(Endpoint(f"http://127.0.0.1:{port}"), timeout=2)
        with pytest.raises(KubeError) as caught:
            client.request("GET", "/version")
    assert isinstance(caught.value, Unreachable)
    assert caught.value.status == 0
    assert "cluster status" in str(caught.value)
