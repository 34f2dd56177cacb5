"""Backend selection and the passphrase story."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from codexstack.deploy.state import ProjectState, display_url, ensure_passphrase, file_backend_dir
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
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "from-the-secret-store")
    state = ProjectState(tmp_path)
    assert state.secrets_env(state.backend_url()) == {}
    assert not state.passphrase_file.exists()


def test_a_blank_passphrase_counts_as_unset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """codexctl workflows pass PULUMI_CONFIG_PASSPHRASE: '' when the secret is not set.

    Before issue 14 (defect 11) the blank value was taken as the passphrase: secrets_env
    returned {} and Pulumi encrypted the stack with the empty passphrase.
    """
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", " ")
    state = ProjectState(tmp_path)
    env = state.secrets_env(state.backend_url())
    assert env == {"PULUMI_CONFIG_PASSPHRASE": state.passphrase_file.read_text().strip()}
    assert len(env["PULUMI_CONFIG_PASSPHRASE"]) >= 40
    with pytest.raises(ConfigError, match="is set but empty"):
        state.secrets_env("s3://bucket/state")
    given = tmp_path / "given"
    given.write_text("from-a-file\n")
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE_FILE", str(given))
    assert state.secrets_env("s3://b") == {"PULUMI_CONFIG_PASSPHRASE": "from-a-file"}


def test_a_failed_passphrase_write_leaves_no_empty_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The file appears complete or not at all (before: created empty, then written)."""

    def broken(_n: int) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("secrets.token_urlsafe", broken)
    path = tmp_path / ".codexstack" / "passphrase"
    with pytest.raises(OSError, match="No space"):
        ensure_passphrase(path)
    assert list(path.parent.iterdir()) == []


def test_status_urls_hide_passwords():
    assert display_url("postgres://ci:s3cr%40t@db:5432/state") == "postgres://ci:***@db:5432/state"
    assert display_url("s3://bucket/prefix?region=x") == "s3://bucket/prefix?region=x"
    assert display_url("postgres://ci@[::1]:5432/x") == "postgres://ci@[::1]:5432/x"
    assert display_url("postgres://u:p@[::1]/x") == "postgres://u:***@[::1]/x"


def test_shared_backends_need_a_passphrase_from_the_secret_store(tmp_path: Path):
    state = ProjectState(tmp_path)
    with pytest.raises(ConfigError, match="PULUMI_CONFIG_PASSPHRASE"):
        state.secrets_env("s3://bucket/state")
    assert state.secrets_env("https://api.example.invalid") == {}


def test_file_backend_urls():
    assert file_backend_dir("file:///var/state") == Path("/var/state")
    assert file_backend_dir("file://~/state") == Path.home() / "state"
    assert file_backend_dir("file://./rel") == Path("./rel")
