"""Bad image input: a clear error at the services.yaml line, the right exit code, nothing pushed.

Every project here also has a good image that sorts first, so "nothing pushed" is a real
claim: checks run for all images before any image is built or pushed.
"""

from __future__ import annotations

import socket
import uuid

import docker
import pytest

from codexstack.cluster.imagehost import HostStatus
from codexstack.errors import CodexstackError, ConfigError, ExitCode, TemporaryError
from codexstack.images.daemon import BuildFailed
from tests.images.conftest import BASE, MakeProject, prepare_all
from tests.images.test_prepare import tags

GOOD = """\
project: shop
images:
  aaa-good:
    type: build
    repository: {registry}/{prefix}/good
    tag: "1"
    dockerfile: good/Dockerfile
    context: good
  bad:
    type: build
"""
FILES = {"good/Dockerfile": f"FROM {BASE}\nRUN echo good > /good\n"}


def project(make: MakeProject, registry: str, bad: str, files: dict[str, str] | None = None):
    prefix = f"bad-{uuid.uuid4().hex[:8]}"
    if "repository:" not in bad:
        bad = f"    repository: {registry}/{prefix}/bad\n" + bad
    loaded = make(GOOD.format(registry=registry, prefix=prefix) + bad, {**FILES, **(files or {})})
    return loaded, prefix


def expect_error(loaded, host: HostStatus, kind: type[CodexstackError]) -> CodexstackError:
    with pytest.raises(kind) as caught:
        prepare_all(loaded, host.docker_host)
    return caught.value


@pytest.mark.parametrize(
    ("bad", "files", "line", "key", "words"),
    [
        ('    tag: "1"\n    dockerfile: nowhere/Dockerfile\n', {}, 13, "dockerfile", "not found"),
        ('    tag: "1"\n    context: ../outside\n', {}, 13, "context", "leaves the project"),
        (
            "    tagTemplate: 'v:{{ .Env }}'\n",
            {},
            12,
            "tagTemplate",
            "tag 'v:dev' is not valid",
        ),
        ("    tagTemplate: '{{ \"\" }}'\n", {}, 12, "tagTemplate", "the tag is empty"),
    ],
    ids=["missing-dockerfile", "context-outside", "bad-tag-template", "empty-tag"],
)
def test_input_errors_name_the_line_and_push_nothing(
    make_project: MakeProject,
    image_host: HostStatus,
    project_registry: str,
    bad: str,
    files: dict[str, str],
    line: int,
    key: str,
    words: str,
) -> None:
    loaded, prefix = project(make_project, project_registry, bad, files)
    error = expect_error(loaded, image_host, ConfigError)
    assert error.exit_code == ExitCode.INVALID
    assert error.location is not None
    assert error.location.line == line
    assert error.location.key == f"images.bad.{key}"
    assert f"services.yaml:{line}" in str(error)
    assert words in str(error)
    assert "image 'bad'" in str(error)
    assert tags(project_registry, f"{prefix}/good") == []


def test_unreachable_registry_exits_75_with_its_address(
    make_project: MakeProject, image_host: HostStatus, project_registry: str
) -> None:
    with socket.socket() as sock:  # a port nothing listens on once closed
        sock.bind(("127.0.0.1", 0))
        dead = f"127.0.0.1:{sock.getsockname()[1]}"
    loaded, prefix = project(
        make_project,
        project_registry,
        f'    repository: {dead}/x/bad\n    tag: "1"\n    dockerfile: good/Dockerfile\n'
        "    context: good\n",
    )
    error = expect_error(loaded, image_host, TemporaryError)
    assert error.exit_code == ExitCode.TEMPORARY == 75
    assert dead in str(error)
    assert "unreachable" in str(error)
    assert tags(project_registry, f"{prefix}/good") == []


def test_failing_run_step_shows_the_last_build_lines_and_is_not_pushed(
    make_project: MakeProject,
    image_host: HostStatus,
    image_daemon: docker.DockerClient,
    project_registry: str,
) -> None:
    loaded, prefix = project(
        make_project,
        project_registry,
        '    tag: "1"\n    dockerfile: broken/Dockerfile\n    context: broken\n',
        {"broken/Dockerfile": f"FROM {BASE}\nRUN echo compiling && echo 'error: boom' && exit 3\n"},
    )
    error = expect_error(loaded, image_host, BuildFailed)
    text = str(error)
    assert "image 'bad': build failed" in text
    assert "returned a non-zero code: 3" in text
    assert "--- last lines of the build log" in text
    assert "error: boom" in text
    assert ": RUN echo compiling" in text
    assert tags(project_registry, f"{prefix}/bad") == []


def test_secret_declared_in_the_final_stage_is_refused_before_any_build(
    make_project: MakeProject, image_host: HostStatus, project_registry: str
) -> None:
    loaded, prefix = project(
        make_project,
        project_registry,
        '    tag: "1"\n    dockerfile: s/Dockerfile\n    context: s\n'
        "    secretBuildArgs: [TOKEN]\n    buildArgs:\n      TOKEN: not-a-real-secret\n",
        {"s/Dockerfile": f'FROM {BASE}\nARG TOKEN\nRUN test -n "$TOKEN"\n'},
    )
    error = expect_error(loaded, image_host, ConfigError)
    assert "Dockerfile:2: secret build arg TOKEN is declared (ARG) in the final stage" in str(error)
    assert error.location is not None
    assert error.location.key == "images.bad"
    assert "not-a-real-secret" not in str(error)
    assert tags(project_registry, f"{prefix}/good") == []


def test_unreachable_mirror_source_exits_75_before_anything_moves(
    make_project: MakeProject, image_host: HostStatus, project_registry: str
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"127.0.0.1:{sock.getsockname()[1]}"
    prefix = f"bad-{uuid.uuid4().hex[:8]}"
    loaded = make_project(
        GOOD.format(registry=project_registry, prefix=prefix).replace(
            "  bad:\n    type: build\n",
            f"  bad:\n    type: external\n    from: {dead}/library/busybox:1\n"
            f"    local: {project_registry}/{prefix}/mirror:1\n",
        ),
        FILES,
    )
    error = expect_error(loaded, image_host, TemporaryError)
    assert dead in str(error)
    assert tags(project_registry, f"{prefix}/good") == []
