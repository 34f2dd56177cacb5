"""Image jobs from services.yaml, without a daemon: tags, paths, secrets, order."""

from __future__ import annotations

from pathlib import Path

import pytest

from codexstack import redact
from codexstack.errors import ConfigError
from codexstack.images import resolve_jobs
from tests.images.conftest import MakeProject

SERVICES = """\
project: shop
images:
  zz:
    type: build
    repository: 127.0.0.1:5000/shop/api
    context: app
    dockerfile: app/Dockerfile
    secretBuildArgs: [TOKEN]
  aa:
    type: external
    from: upstream.invalid:5000/library/busybox:1
    local: 127.0.0.1:5000/mirror/busybox
services:
  - name: api
    manifests: []
    image:
      repository: 127.0.0.1:5000/shop/api
      tagTemplate: '{{ .Env }}-7'
"""
FILES = {"app/Dockerfile": "FROM scratch\n"}


def test_tag_from_the_service_override_and_defaults(make_project: MakeProject) -> None:
    jobs = resolve_jobs(make_project(SERVICES, FILES), environ={"TOKEN": "tok-value"})
    assert [j.name for j in jobs.all] == ["aa", "zz"]
    assert str(jobs.builds[0].dest) == "127.0.0.1:5000/shop/api:dev-7"
    assert str(jobs.mirrors[0].dest) == "127.0.0.1:5000/mirror/busybox:latest"
    assert jobs.builds[0].secret_args == (("TOKEN", "tok-value"),)
    assert "tok-value" not in repr(jobs)
    assert redact.redact("build arg tok-value") == "build arg ***"  # registered once read


def test_secret_without_a_value_names_its_line(make_project: MakeProject) -> None:
    with pytest.raises(ConfigError, match="secret build arg TOKEN has no value") as caught:
        resolve_jobs(make_project(SERVICES, FILES), environ={})
    assert caught.value.location is not None
    assert caught.value.location.line == 8


def test_a_destination_must_name_its_registry(make_project: MakeProject) -> None:
    text = SERVICES.replace("local: 127.0.0.1:5000/mirror/busybox", "local: mirror/busybox")
    with pytest.raises(ConfigError, match="names no registry host"):
        resolve_jobs(make_project(text, FILES), environ={"TOKEN": "x"})


def test_codexctl_context_reading_is_warned_when_it_differs(
    make_project: MakeProject, tmp_path: Path
) -> None:
    loaded = make_project(SERVICES, FILES)
    (tmp_path / "app").mkdir()  # what codexctl would take: ./app of the working directory
    jobs = resolve_jobs(loaded, environ={"TOKEN": "x"}, cwd=tmp_path)
    assert len(jobs.warnings) == 1
    assert "relative to the project root" in jobs.warnings[0]
    assert resolve_jobs(loaded, environ={"TOKEN": "x"}, cwd=loaded.root).warnings == ()
