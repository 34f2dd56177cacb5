"""Preflight before the engine: no kubeconfig is exit 65, a dead server exit 75."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import yaml

from codexstack.deploy import reach
from codexstack.errors import ConfigError, ExitCode
from codexstack.plan import ClusterTarget


def _kubeconfig(path: Path, server: str, context: str = "local") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "current-context": context,
                "clusters": [{"name": "c", "cluster": {"server": server}}],
                "contexts": [{"name": context, "context": {"cluster": "c", "user": "u"}}],
                "users": [{"name": "u", "user": {}}],
            }
        )
    )
    return path


def test_nothing_configured_is_one_line_exit_65(tmp_path: Path):
    with pytest.raises(ConfigError) as err:
        reach.resolve(ClusterTarget(), {"HOME": str(tmp_path)})
    assert err.value.exit_code == ExitCode.INVALID
    assert err.value.message.startswith("no cluster configured")
    assert "\n" not in err.value.message
    assert "cluster up" in err.value.message


def test_home_kubeconfig_and_kubeconfig_variable_are_found(tmp_path: Path):
    home = _kubeconfig(tmp_path / ".kube" / "config", "https://127.0.0.1:1")
    target = reach.resolve(ClusterTarget(), {"HOME": str(tmp_path)})
    assert target is not None
    assert target.files == (home,)
    assert target.context == "local"
    other = _kubeconfig(tmp_path / "other", "https://127.0.0.1:2", "other")
    env = {"HOME": str(tmp_path), "KUBECONFIG": f"{tmp_path / 'missing'}:{other}"}
    target = reach.resolve(ClusterTarget(), env)
    assert target is not None
    assert target.server == "https://127.0.0.1:2"


def test_unknown_context_and_missing_explicit_file(tmp_path: Path):
    path = _kubeconfig(tmp_path / "kc", "https://127.0.0.1:1")
    with pytest.raises(ConfigError, match="context 'nope' is not in"):
        reach.resolve(ClusterTarget(kubeconfig=str(path), context="nope"), {})
    with pytest.raises(ConfigError, match="does not exist"):
        reach.resolve(ClusterTarget(kubeconfig=str(tmp_path / "absent")), {})


def test_dead_server_is_exit_75(tmp_path: Path):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    path = _kubeconfig(tmp_path / "kc", f"https://127.0.0.1:{port}")
    with pytest.raises(reach.ClusterUnreachable) as err:
        reach.check_reachable(ClusterTarget(kubeconfig=str(path)), timeout=1)
    assert err.value.exit_code == ExitCode.TEMPORARY
    assert f"127.0.0.1:{port}" in err.value.message
