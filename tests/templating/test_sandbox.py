"""Reliability battery S6 and the sandbox: values stay data, templates cannot reach Python."""

from __future__ import annotations

import datetime as dt

import pytest

from codexstack.errors import TemplateError
from codexstack.templating import Renderer
from codexstack.templating.gotmpl import execute

NOW = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
INJECTIONS = ["{{7*7}}", "{{''.__class__}}", "{{ .Env }}", "{% for x in () %}{% endfor %}"]


@pytest.fixture
def renderer() -> Renderer:
    return Renderer({"EVIL": "{{7*7}}"}, NOW)


@pytest.mark.parametrize("value", INJECTIONS)
def test_values_that_look_like_templates_render_literally_in_go(
    renderer: Renderer, value: str
) -> None:
    out = renderer.render("go", "t", '{{ .V }}|{{ printf "%s" .V }}', {"V": value})
    assert out == f"{value}|{value}"


@pytest.mark.parametrize("value", INJECTIONS)
def test_values_that_look_like_templates_render_literally_in_jinja(
    renderer: Renderer, value: str
) -> None:
    assert renderer.render("jinja", "t", "{{ V }}", {"V": value}) == value


def test_env_values_are_not_executed(renderer: Renderer) -> None:
    assert renderer.render("go", "t", '{{ envOr "EVIL" "x" }}', None) == "{{7*7}}"
    assert renderer.render("jinja", "t", '{{ envOr("EVIL", "x") }}', {}) == "{{7*7}}"


@pytest.mark.parametrize(
    "template",
    [
        "{{ ''.__class__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ envOr.__globals__ }}",
        "{{ V.__class__ }}",
        "{{ lipsum.__globals__['os'] }}",
        "{% set l = [] %}{{ l.append(1) }}",
        "{{ M.update({'a': 1}) }}",
        "{{ now.__code__ }}",
    ],
)
def test_jinja_refuses_attribute_escapes_and_mutation(renderer: Renderer, template: str) -> None:
    with pytest.raises(TemplateError):
        renderer.render("jinja", "t.j2", template, {"V": "x", "M": {}})


class _Secret:
    token = "s3cr3t"

    def __str__(self) -> str:
        return self.token


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ('{{ "".__class__ }}', "unexpected . after term"),
        ("{{ .V.__class__ }}", "can't evaluate field __class__"),
        ("{{ .V.upper }}", "can't evaluate field upper"),
        ("{{ .O.token }}", "unsupported template value"),
        ("{{ .O }}", "unsupported template value"),
        ("{{ call .V }}", "non-function"),
        ("{{ index .O 0 }}", "unsupported template value"),
    ],
)
def test_go_dialect_reaches_only_the_value_model(
    renderer: Renderer, template: str, words: str
) -> None:
    with pytest.raises(TemplateError) as info:
        renderer.render("go", "t", template, {"V": "x", "O": _Secret()})
    assert words in info.value.message
    assert "s3cr3t" not in info.value.message


def test_go_field_syntax_on_a_map_is_a_key_lookup_only(renderer: Renderer) -> None:
    assert renderer.render("go", "t", "{{ .__class__ }}", {"V": "x"}) == "<no value>"


@pytest.mark.parametrize(
    "template", ["{{ 'x' * 100000000 }}", "{{ [1] * 10000000 }}", "{{ 10 ** 100000000 }}"]
)
def test_jinja_bounds_memory_hungry_arithmetic(renderer: Renderer, template: str) -> None:
    with pytest.raises(TemplateError, match="sandbox"):
        renderer.render("jinja", "t.j2", template, {})
    assert renderer.render("jinja", "t.j2", "{{ 'ab' * 3 }} {{ 2 ** 10 }}", {}) == "ababab 1024"


def test_runaway_go_loops_are_stopped(renderer: Renderer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(execute, "MAX_STEPS", 10_000)  # the real bound takes seconds to reach
    text = "{{ range 100000 }}{{ range 100000 }}x{{ end }}{{ end }}"
    with pytest.raises(TemplateError, match="exceeded 10000 steps"):
        renderer.render("go", "t", text, None)
    assert len(renderer.render("go", "t", "{{ range 3000 }}x{{ end }}", None)) == 3000


def test_runaway_template_recursion_is_an_error(renderer: Renderer) -> None:
    text = '{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}'
    with pytest.raises(TemplateError, match="exceeded maximum template depth"):
        renderer.render("go", "t", text, None)


def test_deeply_nested_input_is_refused_not_crashed(renderer: Renderer) -> None:
    with pytest.raises(TemplateError, match="max expression depth"):
        renderer.render("go", "t", "{{" + "(" * 5000 + "1" + ")" * 5000 + "}}", None)
    nested = "{{ if true }}" * 3000 + "x" + "{{ end }}" * 3000
    with pytest.raises(TemplateError, match="too deep"):
        renderer.render("go", "t", nested, None)
