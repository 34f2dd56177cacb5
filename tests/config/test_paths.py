"""F3: paths leaving the project are refused before anything is read."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from codexstack.config.paths import read_project_file, read_text_file, resolve_project_path
from codexstack.errors import ConfigError


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "deploy").mkdir(parents=True)
    (root / "deploy" / "app.yaml").write_text("kind: ConfigMap\n")
    (tmp_path / "secret.txt").write_text("top secret\n")
    return root


def test_inside_paths_resolve(project: Path) -> None:
    assert (
        resolve_project_path(project, "deploy/app.yaml", "manifest") == project / "deploy/app.yaml"
    )
    assert (
        resolve_project_path(project, "deploy/../deploy/app.yaml", "manifest")
        == project / "deploy/app.yaml"
    )
    path, text = read_project_file(project, "./deploy/app.yaml", "manifest")
    assert text == "kind: ConfigMap\n"
    assert path.name == "app.yaml"


@pytest.mark.parametrize(
    ("rel", "words"),
    [
        ("../../etc/passwd", "leaves the project"),
        ("../secret.txt", "leaves the project"),
        ("deploy/../../secret.txt", "leaves the project"),
        ("/etc/passwd", "is absolute"),
        ("~/x.yaml", "is absolute"),
        ("", "is empty"),
        ("a\x00b", "NUL"),
    ],
)
def test_escapes_are_refused(project: Path, rel: str, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_project_path(project, rel, "manifest path", source="services.yaml")
    assert words in caught.value.message
    assert caught.value.location is not None
    assert caught.value.location.file == "services.yaml"
    assert caught.value.location.key == "manifest path"


def test_symlink_out_of_the_project_is_refused(project: Path) -> None:
    (project / "deploy" / "evil.yaml").symlink_to(project.parent / "secret.txt")
    (project / "linkdir").symlink_to(project.parent)
    for rel in ("deploy/evil.yaml", "linkdir/secret.txt"):
        with pytest.raises(ConfigError, match="symlink that leads outside"):
            resolve_project_path(project, rel, "manifest path")


def test_symlink_inside_the_project_is_fine(project: Path) -> None:
    (project / "alias.yaml").symlink_to(project / "deploy" / "app.yaml")
    assert read_project_file(project, "alias.yaml", "manifest")[1] == "kind: ConfigMap\n"


def test_refusal_happens_before_any_read(project: Path) -> None:
    # A FIFO outside the project: opening it for reading would block this test forever.
    fifo = project.parent / "pipe"
    os.mkfifo(fifo)
    (project / "pipe.yaml").symlink_to(fifo)
    with pytest.raises(ConfigError, match="leads outside"):
        read_project_file(project, "pipe.yaml", "manifest")
    with pytest.raises(ConfigError, match="leaves the project"):
        read_project_file(project, "../pipe", "manifest")


def test_fifo_inside_the_project_is_refused_without_blocking(project: Path) -> None:
    os.mkfifo(project / "pipe.yaml")
    result: list[BaseException] = []

    def attempt() -> None:
        try:
            read_project_file(project, "pipe.yaml", "manifest")
        except ConfigError as exc:
            result.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=5)
    assert not worker.is_alive(), "reading a FIFO blocked"
    assert "not a regular file" in str(result[0])


def test_unreadable_and_missing_files(project: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        read_text_file(project / "nope.yaml", "manifest")
    with pytest.raises(ConfigError, match="not a regular file"):
        read_text_file(project / "deploy", "manifest")


def test_size_limit_is_checked_without_reading_everything(project: Path) -> None:
    big = project / "big.yaml"
    big.write_bytes(b"a" * 2048)
    with pytest.raises(ConfigError, match="larger than"):
        read_text_file(big, "manifest", limit=1024)


def test_non_utf8_is_an_error(project: Path) -> None:
    bad = project / "bad.yaml"
    bad.write_bytes(b"key: \xff\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        read_text_file(bad, "manifest")


def _verdict_by_realpath(root: Path, rel: str) -> str:
    """What the check decides when the resolved path comes from os.path.realpath alone."""
    real_root = os.path.realpath(root)
    lexical = os.path.normpath(os.path.join(real_root, rel))
    inside = real_root.rstrip(os.sep) + os.sep
    if lexical != real_root and not lexical.startswith(inside):
        return "leaves"
    resolved = os.path.realpath(lexical)
    if resolved != real_root and not resolved.startswith(inside):
        return "symlink"
    return lexical


def test_symlink_check_agrees_with_realpath_of_the_whole_path(tmp_path: Path) -> None:
    # resolve_project_path only lstats the components below the (already real) root; on
    # every kind of link below it the verdict must be what realpath of the whole path gives.
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    real = tmp_path / "real"
    (real / "a" / "b").mkdir(parents=True)
    (real / "a" / "b" / "f.yaml").write_text("x: 1\n")
    (real / "in_rel").symlink_to("a/b")
    (real / "in_abs").symlink_to(real / "a")
    (real / "a" / "up").symlink_to("..")
    (real / "a" / "out_rel").symlink_to("../../outside")
    (real / "out_abs").symlink_to(outside / "deep")
    (real / "dangling").symlink_to("missing/x")
    (real / "dangling_out").symlink_to(outside / "missing")
    (real / "loop1").symlink_to("loop2")
    (real / "loop2").symlink_to("loop1")
    (real / "chain").symlink_to("in_rel")
    via_link = tmp_path / "via"
    via_link.symlink_to(real)
    rels = [
        ".",
        "a",
        "a/b/f.yaml",
        "a/b/missing/deeper.yaml",
        "in_rel/f.yaml",
        "in_abs/b/f.yaml",
        "a/up/a/b/f.yaml",
        "a/up/in_rel",
        "a/out_rel/x.yaml",
        "out_abs/y.yaml",
        "dangling",
        "dangling_out/z",
        "loop1/x",
        "chain/f.yaml",
        "a/b/../../in_rel/f.yaml",
        "missing/in_rel",
    ]
    for root in (real, via_link):
        for rel in rels:
            expected = _verdict_by_realpath(root, rel)
            try:
                got = str(resolve_project_path(root, rel, "manifest path"))
            except ConfigError as exc:
                got = "leaves" if "leaves the project" in exc.message else "symlink"
            assert got == expected, (root, rel)
