"""cluster up's kubeconfig context: added beside the user's entries, current, removed by down."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from codexstack.cluster import userconfig
from codexstack.errors import ConfigError


def _admin(path: Path) -> Path:
    path.write_text(
        yaml.safe_dump(
            {
                "clusters": [{"name": "x", "cluster": {"server": "https://127.0.0.1:6443"}}],
                "users": [{"name": "admin", "user": {"token": "t"}}],
                "contexts": [{"name": "x", "context": {"cluster": "x", "user": "admin"}}],
                "current-context": "x",
            }
        )
    )
    return path


def test_add_then_remove_keeps_the_users_own_entries(tmp_path: Path):
    state = tmp_path / "proj" / ".codexstack" / "cluster"
    state.mkdir(parents=True)
    user = tmp_path / "home" / ".kube" / "config"
    user.parent.mkdir(parents=True)
    user.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [{"name": "prod", "cluster": {"server": "https://prod"}}],
                "contexts": [{"name": "prod", "context": {"cluster": "prod"}}],
                "current-context": "prod",
            }
        )
    )
    added = userconfig.add_context(
        state, _admin(tmp_path / "admin"), {"HOME": str(tmp_path / "home")}
    )
    assert added.path == user
    assert added.context.startswith("codexstack-proj-")
    assert added.export_line() == f"export KUBECONFIG={user}"
    config = yaml.safe_load(user.read_text())
    assert config["current-context"] == added.context
    assert [c["name"] for c in config["contexts"]] == ["prod", added.context]
    assert oct(user.stat().st_mode & 0o777) == "0o600"
    again = userconfig.add_context(state, tmp_path / "admin", {"HOME": str(tmp_path / "home")})
    assert len(yaml.safe_load(user.read_text())["contexts"]) == 2  # replaced, not repeated
    assert userconfig.remove_context(state) == again
    config = yaml.safe_load(user.read_text())
    assert [c["name"] for c in config["contexts"]] == ["prod"]
    assert config["current-context"] == ""
    assert userconfig.remove_context(state) is None


def test_kubeconfig_variable_wins_and_a_broken_file_is_an_input_error(tmp_path: Path):
    target = tmp_path / "kc"
    env = {"KUBECONFIG": f"{target}:{tmp_path / 'other'}", "HOME": str(tmp_path)}
    assert userconfig.user_kubeconfig(env) == target
    target.write_text("- not a mapping\n")
    with pytest.raises(ConfigError, match="not a kubeconfig"):
        userconfig.add_context(tmp_path, _admin(tmp_path / "admin"), env)
