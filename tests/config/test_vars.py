"""Variable sources: --vars, --var-file, envFiles and their precedence (§3.6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from codexstack.config.vars import build_layers, load_env_files, parse_var_file, parse_vars
from codexstack.errors import ConfigError


def test_vars_split_on_commas_and_trim() -> None:
    assert parse_vars(" A=1 , B = two ,,C=,D=x=y") == {"A": "1", "B": "two", "C": "", "D": "x=y"}
    assert parse_vars("") == {}


@pytest.mark.parametrize(
    ("spec", "words"), [("=1", "empty key"), (" =1", "empty key"), ("A", "expected key=value")]
)
def test_vars_errors(spec: str, words: str) -> None:
    with pytest.raises(ConfigError, match=words) as caught:
        parse_vars(spec)
    assert caught.value.location is not None
    assert caught.value.location.file == "--vars"


def test_var_file_lines() -> None:
    text = (
        "# comment\n"
        "\n"
        "A=1\n"
        "B: two\n"
        "C = 'quoted'\n"
        'D="double"\n'
        "E: has=equals\n"  # a line with '=' splits there, even after a colon
        "F=\"'both'\"\n"
        'G="half\n'
        "  H : spaced  \r\n"
    )
    values, warnings = parse_var_file(text, "vars.txt")
    assert values == {
        "A": "1",
        "B": "two",
        "C": "quoted",
        "D": "double",
        "E: has": "equals",
        "F": "both",
        "G": "half",
        "H": "spaced",
    }
    assert warnings == []


def test_var_file_malformed_lines_are_skipped_with_a_warning() -> None:
    values, warnings = parse_var_file("A=1\njust words\n=nokey\nB=2\n", "vars.txt")
    assert values == {"A": "1", "B": "2"}
    assert [(w.location.file, w.location.line) for w in warnings] == [
        ("vars.txt", 2),
        ("vars.txt", 3),
    ]
    assert all(w.severity == "warning" for w in warnings)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / ".env").write_text("SHARED=env1\nONLY_ENV1=a\nREF=$ONLY_ENV1-x\n")
    (root / ".env.local").write_text("SHARED=env2\n")
    return root


def test_env_files_merge_in_order(project: Path) -> None:
    merged = load_env_files(project, [".env", "", ".env.local"])
    assert merged == {"SHARED": "env2", "ONLY_ENV1": "a", "REF": "a-x"}


def test_env_files_missing_is_an_error(project: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_env_files(project, ["missing.env"])


@pytest.mark.parametrize("name", ["../outside.env", "/etc/passwd", "link.env"])
def test_env_files_must_stay_in_the_project(project: Path, name: str) -> None:
    (project.parent / "outside.env").write_text("X=1\n")
    (project / "link.env").symlink_to(project.parent / "outside.env")
    with pytest.raises(ConfigError, match="envFiles entry"):
        load_env_files(project, [name])


def test_precedence_of_the_four_layers(project: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "vars.txt").write_text("SHARED=varfile\nFROM_FILE=f\nBOTH=file\n")
    layers = build_layers(
        root=project,
        env_files=[".env", ".env.local"],
        vars_spec="BOTH=user,ONLY_USER=u",
        var_file="vars.txt",
        process_env={"SHARED": "os", "ONLY_OS": "o", "ONLY_ENV1": "os"},
        cwd=work,
    )
    env_map = layers.env_map
    assert env_map["ONLY_OS"] == "o"
    assert env_map["ONLY_ENV1"] == "a"  # envFiles beat the process environment
    assert env_map["SHARED"] == "varfile"  # var-file beats envFiles
    assert env_map["BOTH"] == "user"  # --vars beat everything
    assert dict(layers.vars) == {
        "SHARED": "varfile",
        "FROM_FILE": "f",
        "BOTH": "user",
        "ONLY_USER": "u",
    }
    assert dict(layers.user_vars) == {"BOTH": "user", "ONLY_USER": "u"}
    injected = layers.with_user_vars({"CODEXCTL_SLOT": "3"})
    assert injected.env_map["CODEXCTL_SLOT"] == "3"
    assert "CODEXCTL_SLOT" not in layers.env_map


def test_var_file_is_relative_to_the_working_directory(project: Path, tmp_path: Path) -> None:
    (project / "vars.txt").write_text("WHERE=project\n")
    (tmp_path / "vars.txt").write_text("WHERE=cwd\n")
    layers = build_layers(
        root=project,
        env_files=[],
        vars_spec=None,
        var_file="vars.txt",
        process_env={},
        cwd=tmp_path,
    )
    assert layers.vars["WHERE"] == "cwd"


def test_missing_var_file_is_an_error(project: Path) -> None:
    with pytest.raises(ConfigError, match="var-file not found"):
        build_layers(
            root=project, env_files=[], vars_spec=None, var_file="nope", process_env={}, cwd=project
        )
