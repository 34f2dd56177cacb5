"""The templating facade: both dialects on the codexctl context, and error locations."""

from __future__ import annotations

import datetime as dt

import pytest

from codexstack.errors import ExitCode, TemplateError
from codexstack.templating import Renderer, TemplateContext, render
from codexstack.templating.gotmpl.template import parse_template
from codexstack.templating.gotmpl.values import GoPtr, GoSlice, GoStruct

NOW = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
CTX = TemplateContext(
    env="ai",
    namespace="demo-ai-1",
    project="demo",
    project_root="/srv/demo",
    slot=1,
    now=NOW,
    user_vars={"TAG": "v1"},
    vars={"TAG": "v1", "F": "file"},
    env_map={"REG": "r.io", "TAG": "v1"},
    versions={"postgres": "16"},
    base_domain={"ai": "ai.example.com"},
)


@pytest.fixture
def renderer() -> Renderer:
    return Renderer(CTX.env_map, NOW)


def test_go_dialect_sees_the_codexctl_context(renderer: Renderer) -> None:
    text = (
        "{{ .Env }}/{{ .Namespace }}/{{ .Project }}/{{ .ProjectRoot }}/{{ .Slot }}\n"
        "{{ .Now }} {{ .Versions.postgres }} {{ index .BaseDomain .Env }} {{ .EnvMap.REG }}\n"
        '{{ .Vars.F }} {{ .UserVars }} {{ index .Vars "NOPE" }}|{{ .Vars.NOPE }}'
    )
    assert renderer.render("go", "m.yaml", text, CTX) == (
        "ai/demo-ai-1/demo//srv/demo/1\n"
        "2024-01-02 03:04:05 +0000 UTC 16 ai.example.com r.io\n"
        "file map[TAG:v1] |<no value>"
    )


def test_go_dialect_pass_one_context_has_zero_codex_and_nil_storage(renderer: Renderer) -> None:
    assert renderer.render(
        "go", "n", "{{ .Codex }} {{ .Storage }} {{ if .Storage }}x{{ end }}", CTX
    ) == ("{} <nil> ")
    assert renderer.render("go", "n", '{{ printf "%T" .UserVars }}', CTX) == "env.Vars"
    with pytest.raises(TemplateError, match="nil pointer evaluating"):
        renderer.render("go", "n", "{{ .Storage.Data }}", CTX)


def test_go_dialect_uses_converted_codex_and_storage(renderer: Renderer) -> None:
    volume = GoStruct.make("config.PVCSpec", Size="1Gi", AccessModes=GoSlice.strings(["RWO"]))
    storage = GoPtr(GoStruct.make("config.StorageConfig", Workspace=GoPtr(volume), Data=None))
    codex = GoStruct.make("config.CodexConfig", Model="gpt", ExtraTools=GoSlice.strings(["jq"]))
    ctx = TemplateContext(**{**CTX.__dict__, "codex": codex, "storage": storage})
    text = '{{ .Codex.Model }} {{ join .Codex.ExtraTools "," }} {{ .Storage.Workspace.Size }}'
    assert renderer.render("go", "m", text, ctx) == "gpt jq 1Gi"


def test_jinja_dialect_sees_codexctl_names_and_snake_case(renderer: Renderer) -> None:
    text = (
        "{{ Env }} {{ env }} {{ Slot + 1 }} {{ project_root }} {{ Versions.postgres }}"
        ' {{ envOr("REG", "d") }} {{ env_or("NOPE", "d") }} {{ Storage is none }}'
    )
    assert renderer.render("jinja", "m.j2", text, CTX) == "ai ai 2 /srv/demo 16 r.io d True"


def test_jinja_filters_read_naturally(renderer: Renderer) -> None:
    text = (
        '{{ "" | default_if_blank("y") }} {{ "v1.2" | trim_prefix("v") }} {{ "A b_c" | slug }}'
        ' {{ "a\nb" | indent_lines(2) }} {{ "it\'s" | shq }} {{ default("", "z") }}'
    )
    assert renderer.render("jinja", "m.j2", text, {}) == "y 1.2 a-b-c   a\n  b 'it'\"'\"'s' z"


def test_jinja_keeps_trailing_newline_and_does_not_escape(renderer: Renderer) -> None:
    assert renderer.render("jinja", "m", "{{ x }}\n", {"x": "<&>"}) == "<&>\n"


@pytest.mark.parametrize(
    ("dialect", "text", "line", "column", "words"),
    [
        ("go", "a: 1\nb: {{ .Nope }}\n", 2, 6, "can't evaluate field Nope"),
        ("go", "a: 1\n\nb: {{ if }}", 3, None, "missing value for if"),
        ("go", "{{ .Storage.Workspace.Size }}", 1, 11, "nil pointer evaluating"),
        ("go", 'x\n{{ printf "%d" }}{{ nofunc }}', 2, None, 'function "nofunc" not defined'),
        ("jinja", "a: 1\nb: {{ nope }}\n", 2, None, "'nope' is undefined"),
        ("jinja", "a\n{% if %}", 2, None, "syntax error"),
    ],
)
def test_errors_name_file_line_and_key(
    renderer: Renderer, dialect: str, text: str, line: int, column: int | None, words: str
) -> None:
    with pytest.raises(TemplateError) as info:
        renderer.render(dialect, "/p/deploy.yaml", text, CTX, key="services[0].manifests")  # type: ignore[arg-type]
    err = info.value
    assert words in err.message
    assert err.location is not None
    assert (err.location.file, err.location.line, err.location.column) == (
        "/p/deploy.yaml",
        line,
        column,
    )
    assert err.location.key == "services[0].manifests"
    assert err.exit_code == ExitCode.INVALID


def test_go_error_location_counts_bytes_like_go(renderer: Renderer) -> None:
    with pytest.raises(TemplateError) as info:
        renderer.render("go", "t", "héllo {{ .S.X }}", {"S": "s"})
    assert info.value.location is not None
    # The node is the trailing ".X" after "héllo {{ .S": 12 bytes (11 characters) in.
    assert info.value.location.column == 12


def test_errors_inside_defined_templates_point_at_the_file(renderer: Renderer) -> None:
    text = '{{ define "x" }}\n{{ .Nope.Deeper }}{{ end }}{{ template "x" 1 }}'
    with pytest.raises(TemplateError) as info:
        renderer.render("go", "file.tmpl", text, CTX)
    assert info.value.location is not None
    assert (info.value.location.file, info.value.location.line) == ("file.tmpl", 2)
    assert 'executing "x"' in info.value.message


def test_unknown_dialect_is_a_template_error() -> None:
    with pytest.raises(TemplateError, match="unknown template dialect"):
        render("mustache", "t", "x", {}, env_map={}, now=NOW)  # type: ignore[arg-type]


def test_comments_reach_prompt_templates(renderer: Renderer) -> None:
    ctx = TemplateContext(
        **{
            **CTX.__dict__,
            "issue_comments": [{"IssueNumber": 5, "ID": 9, "Author": "ann", "Body": "hi"}],
        }
    )
    text = "{{ range .IssueComments }}#{{ .IssueNumber }} {{ .Author }}: {{ .Body }}{{ end }}"
    assert renderer.render("go", "p", text, ctx) == "#5 ann: hi"
    assert renderer.render("jinja", "p", "{{ IssueComments[0].Author }}", ctx) == "ann"


def test_parsed_templates_are_cached(renderer: Renderer) -> None:
    funcs = renderer.go_funcs
    first = parse_template("m", "{{ .Env }}", funcs)
    assert parse_template("m", "{{ .Env }}", funcs) is first
    assert parse_template("other", "{{ .Env }}", funcs) is not first
