"""Battery S4 for images: a canary secret build arg is in no log, error or image history.

The canary goes in through the environment (``secretBuildArgs``), is used by a build stage
(echoed by RUN, also base64-encoded), and only the stage's result is copied into the final
image. Everything a user can see is searched for it in plain and encoded forms.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import docker
import pytest

from codexstack.cluster.imagehost import HostStatus
from codexstack.errors import ConfigError
from codexstack.images import Options, prepare, resolve_jobs
from codexstack.images.daemon import BuildFailed
from codexstack.images.events import ImageEvent
from tests.images.conftest import BASE, MakeProject, prepare_all

CANARY = "s4-canary-" + uuid.uuid4().hex
FORMS = (CANARY, base64.b64encode(CANARY.encode()).decode().rstrip("="), quote(CANARY))


def services(registry: str, path: str) -> str:
    return f"""\
project: shop
images:
  app:
    type: build
    repository: {registry}/{path}
    tag: "1"
    dockerfile: app/Dockerfile
    context: app
    secretBuildArgs: [NPM_TOKEN]
    buildArgs:
      PLAIN: visible
"""


def dockerfile(last: str) -> str:
    return f"""\
FROM {BASE} AS deps
ARG NPM_TOKEN
RUN echo "token=$NPM_TOKEN" && echo "$NPM_TOKEN" | base64 && echo ok > /deps.txt
FROM {BASE}
ARG PLAIN
COPY --from=deps /deps.txt /deps.txt
RUN {last}
"""


def assert_clean(text: str) -> None:
    for form in FORMS:
        assert form not in text


def test_canary_never_in_logs_errors_or_history(
    make_project: MakeProject,
    image_host: HostStatus,
    image_daemon: docker.DockerClient,
    project_registry: str,
) -> None:
    path = f"s4-{uuid.uuid4().hex[:8]}/app"
    loaded = make_project(
        services(project_registry, path),
        {"app/Dockerfile": dockerfile('echo "plain=$PLAIN" > /plain')},
        environ={"NPM_TOKEN": CANARY},
    )
    jobs = resolve_jobs(loaded, environ={"NPM_TOKEN": CANARY})
    assert CANARY not in repr(jobs)
    events: list[ImageEvent] = []
    results = prepare(
        jobs.mirrors, jobs.builds, Options(docker_host=image_host.docker_host), events.append
    )
    logs = "\n".join(e.message for e in events)
    assert "token=***" in logs  # the secret stage really ran and echoed it, masked
    assert_clean(logs)
    assert_clean(json.dumps([r.to_dict() for r in results]))
    ref = results[0].ref
    history = json.dumps(image_daemon.api.history(ref))
    assert "PLAIN=visible" in history  # plain args are recorded, as the builder does
    assert_clean(history)
    assert_clean(json.dumps(image_daemon.api.inspect_image(ref)))
    out = image_daemon.containers.run(ref, ["sh", "-c", "cat /deps.txt /plain; env"], remove=True)
    assert_clean(bytes(out).decode())

    descends = f"FROM {BASE} AS deps\nARG NPM_TOKEN\nRUN true\nFROM deps\nRUN true\n"
    failing = make_project(services(project_registry, path + "-from"), {"app/Dockerfile": descends})
    with pytest.raises(ConfigError) as caught:
        prepare_all(failing, image_host.docker_host, {"NPM_TOKEN": CANARY})
    # FROM deps: the final image would descend from the secret's stage; refused up front
    assert "which the final image is built FROM" in str(caught.value)
    assert_clean(str(caught.value))


def test_canary_echoed_by_a_failing_step_is_masked_in_the_error(
    make_project: MakeProject, image_host: HostStatus, project_registry: str
) -> None:
    path = f"s4f-{uuid.uuid4().hex[:8]}/app"
    text = f"""\
FROM {BASE} AS deps
ARG NPM_TOKEN
RUN echo "using $NPM_TOKEN" && echo "$NPM_TOKEN" | base64 && exit 9
FROM {BASE}
COPY --from=deps /etc /etc
"""
    loaded = make_project(services(project_registry, path), {"app/Dockerfile": text}, environ={})
    jobs = resolve_jobs(loaded, environ={"NPM_TOKEN": CANARY})
    events: list[ImageEvent] = []
    with pytest.raises(BuildFailed) as caught:
        prepare(
            jobs.mirrors, jobs.builds, Options(docker_host=image_host.docker_host), events.append
        )
    message = str(caught.value)
    assert "using ***" in message
    assert "returned a non-zero code: 9" in message
    assert_clean(message)
    assert_clean("\n".join(e.message for e in events))


def test_canary_with_an_innocent_name_stays_out_of_debug_output(
    make_project: MakeProject, image_host: HostStatus, project_registry: str
) -> None:
    """``--debug`` logs every Engine API request; the build args travel in its URL."""
    seed = "s4-seed-" + uuid.uuid4().hex
    path = f"s4d-{uuid.uuid4().hex[:8]}/app"
    text = services(project_registry, path).replace("[NPM_TOKEN]", "[SIGNING_SEED]")
    loaded = make_project(
        text,
        {
            "app/Dockerfile": f"FROM {BASE} AS s\nARG SIGNING_SEED\nRUN echo $SIGNING_SEED\n"
            f"FROM {BASE}\nCOPY --from=s /etc /etc\n"
        },
    )
    cli = Path(sys.executable).parent / "codexstack"
    env = {**os.environ, "DOCKER_HOST": image_host.docker_host, "SIGNING_SEED": seed}
    done = subprocess.run(
        [str(cli), "--debug", "-c", str(loaded.path), "images", "build", "-o", "json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "buildargs" in done.stderr  # the debug log really shows the build request
    for form in (seed, base64.b64encode(seed.encode()).decode().rstrip("="), quote(seed)):
        assert form not in done.stdout
        assert form not in done.stderr
