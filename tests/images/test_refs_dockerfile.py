"""Pure parts: image references and the Dockerfile reader (secrets, named contexts)."""

from __future__ import annotations

import pytest

from codexstack.images.dockerfile import (
    DockerfileProblem,
    check_secrets,
    instructions,
    stages,
    wire_contexts,
)
from codexstack.images.refs import BadReference, parse


def test_reference_parts_and_loopback() -> None:
    ref = parse("127.0.0.1:5000/team/app:1.2")
    assert (ref.host, ref.path, ref.tag, ref.loopback) == (
        "127.0.0.1:5000",
        "team/app",
        "1.2",
        True,
    )
    assert str(ref.with_tag("2")) == "127.0.0.1:5000/team/app:2"
    assert parse("localhost:1/a").loopback
    assert not parse("reg.example.test:443/a:b").loopback
    assert parse("busybox").host == ""


@pytest.mark.parametrize(
    ("text", "part"),
    [("127.0.0.1:5000/App:1", "repository"), ("127.0.0.1:5000/app:-x", "tag"), ("", "empty")],
)
def test_bad_references_say_which_part(text: str, part: str) -> None:
    with pytest.raises(BadReference, match=part):
        parse(text)


DOCKERFILE = """\
# syntax=docker/dockerfile:1
ARG BASE=img
FROM $BASE AS build
ARG TOKEN
RUN echo \\
    continued
# a comment
FROM build AS mid
FROM img
ARG V=1 W
COPY --from=ctx a /a
"""


def test_instructions_join_continuations_and_keep_lines() -> None:
    found = [(i.keyword, i.first_line, i.last_line) for i in instructions(DOCKERFILE)]
    assert found[2:4] == [("ARG", 4, 4), ("RUN", 5, 6)]
    assert instructions(DOCKERFILE)[3].args == "echo continued"
    parsed = stages(DOCKERFILE)
    assert [(s.name, s.parent) for s in parsed] == [("build", None), ("mid", 0), ("", None)]
    assert parsed[2].args == (("V", 10), ("W", 10))


def test_secret_allowed_only_outside_the_final_image_ancestry() -> None:
    check_secrets(DOCKERFILE, ["TOKEN"])  # declared in a stage the final image is not FROM
    with pytest.raises(DockerfileProblem, match="final stage") as final:
        check_secrets(DOCKERFILE, ["V"])
    assert final.value.line == 10
    chained = "FROM img AS b\nARG TOKEN\nFROM b\nRUN true\n"
    with pytest.raises(DockerfileProblem, match="which the final image is built FROM"):
        check_secrets(chained, ["TOKEN"])


def test_named_contexts_point_at_helper_images_and_keep_line_numbers() -> None:
    text = "FROM ctx AS a\nCOPY --from=ctx \\\n  x /x\nFROM img\nCOPY --from=a y /y\n"
    out = wire_contexts(text, {"ctx": "helper/ctx:1"})
    assert out.splitlines() == [
        "FROM helper/ctx:1 AS a",
        "COPY --from=helper/ctx:1 x /x",
        "",
        "FROM img",
        "COPY --from=a y /y",
    ]
    with pytest.raises(DockerfileProblem, match="stage 'ctx'"):
        wire_contexts("FROM img AS ctx\n", {"ctx": "h:1"})
    with pytest.raises(DockerfileProblem, match="no FROM"):
        stages("RUN true\n")
