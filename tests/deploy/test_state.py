"""Backend selection and the passphrase story."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from codexstack.deploy.state import ProjectState, file_backend_dir
from codexstack.errors import ConfigError


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE"):
        monkeypatch.delenv(var, raising=False)


def test_default_backend_is_a_file_backend_inside_the_project(tmp_path: Path):
    state = ProjectState(tmp_path)
    url = state.backend_url()
    assert url == (tmp_path / ".codexstack" / "state").as_uri() + "?metadata=skip"
    assert file_backend_dir(url) == tmp_path / ".codexstack" / "state"
    assert (tmp_path / ".codexstack" / "state").is_dir()


def test_pulumi_backend_url_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PULUMI_BACKEND_URL", "s3://bucket/prefix")
    assert ProjectState(tmp_path).backend_url() == "s3://bucket/prefix"
    assert file_backend_dir("s3://bucket/prefix") is None


def test_a_local_passphrase_is_generated_once_and_private(tmp_path: Path):
    state = ProjectState(tmp_path)
    env = state.secrets_env(state.backend_url())
    path = Path(env["PULUMI_CONFIG_PASSPHRASE_FILE"])
    first = path.read_text()
    assert len(first.strip()) >= 40
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert state.secrets_env(state.backend_url()) == env
    assert path.read_text() == first


def test_an_explicit_passphrase_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "")
    state = ProjectState(tmp_path)
    assert state.secrets_env(state.backend_url()) == {}
    assert not state.passphrase_file.exists()


def test_shared_backends_need_a_passphrase_from_the_secret_store(tmp_path: Path):
    state = ProjectState(tmp_path)
    with pytest.raises(ConfigError, match="PULUMI_CONFIG_PASSPHRASE"):
        state.secrets_env("s3://bucket/state")
    assert state.secrets_env("https://api.example.invalid") == {}


def test_file_backend_urls():
    assert file_backend_dir("file:///var/state") == Path("/var/state")
    assert file_backend_dir("file://~/state") == Path.home() / "state"
    assert file_backend_dir("file://./rel") == Path("./rel")
