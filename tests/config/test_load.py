"""The two-pass load (§3.2) end to end: real files, the real template engine."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from codexstack.config.issues import ConfigFileError
from codexstack.config.load import LoadedConfig, load_config
from codexstack.errors import ConfigError, TemplateError

NOW = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)


def write_project(root: Path, services: str, files: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "services.yaml").write_text(textwrap.dedent(services))
    for name, text in (files or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "services.yaml"


def load(path: Path, **kwargs: object) -> LoadedConfig:
    options: dict[str, object] = {"process_env": {}, "cwd": path.parent, "now": NOW}
    options.update(kwargs)
    return load_config(path.name, **options)  # type: ignore[arg-type]


BASIC = """
project: demo
envFiles: [.env]
versions:
  app: '{{ envOr "APP_VERSION" "1.0" }}'
baseDomain:
  dev: dev.example
namespace:
  patterns:
    ai: 'demo-ai-{{ .Slot }}'
registry: '{{ index .Versions "app" }}'
environments:
  dev: {}
  ai: {from: dev}
services:
  - name: api
    manifests: [{path: api.yaml}]
    image:
      repository: 'reg/{{ .Env }}'
      tagTemplate: '{{ index .Versions "app" }}'
"""


@pytest.fixture
def basic(tmp_path: Path) -> Path:
    return write_project(tmp_path / "proj", BASIC, {".env": "APP_VERSION=2.5\nFROM_ENV_FILE=yes\n"})


def test_basic_load(basic: Path) -> None:
    loaded = load(basic, env="dev", vars="X=1")
    assert loaded.model.project == "demo"
    assert loaded.project == "demo"
    assert loaded.root == basic.parent
    assert loaded.namespace == "demo-dev"
    ctx = loaded.context
    assert ctx.project_root == str(basic.parent)
    assert ctx.env == "dev"
    assert ctx.now == NOW
    assert ctx.env_map["FROM_ENV_FILE"] == "yes"
    assert dict(ctx.user_vars) == {"X": "1"}
    assert loaded.model.services[0].image.repository == "reg/dev"
    assert loaded.warnings == ()


def test_versions_are_raw_in_pass_one_and_rendered_afterwards(basic: Path) -> None:
    loaded = load(basic, env="dev")
    # pass 1 saw the raw header: the template text itself went into `registry`
    assert loaded.pass1.versions["app"] == '{{ envOr "APP_VERSION" "1.0" }}'
    assert loaded.model.registry == '{{ envOr "APP_VERSION" "1.0" }}'
    # the refreshed context holds the rendered value
    assert loaded.context.versions["app"] == "2.5"
    assert loaded.render('{{ index .Versions "app" }}', "tag") == "2.5"


def test_namespaces(basic: Path) -> None:
    assert load(basic, env="ai", slot=4).namespace == "demo-ai-4"
    assert load(basic, env="ai").namespace == "demo-ai-0"
    assert load(basic, env="ai-repair").namespace == "demo-ai-staging"
    assert load(basic, env="ai", slot=4, namespace=" mine ").namespace == "mine"
    assert load(basic, env="").namespace == ""


def test_namespace_for_uses_the_real_slot(basic: Path) -> None:
    loaded = load(basic, env="dev")
    assert loaded.namespace_for("ai", 7) == "demo-ai-7"
    assert loaded.namespace_for("staging", 7) == "demo-staging"


def test_comment_header_idiom(tmp_path: Path) -> None:
    services = write_project(
        tmp_path / "p",
        """\
        # {{- $reg := envOr "REG" "r.local" -}}
        # {{- $tag := "v1" -}}
        project: demo
        registry: '{{ $reg }}/{{ $tag }}'
        services:
          - name: '{{ $reg }}'
        """,
    )
    loaded = load(services, env="dev", process_env={"REG": "reg.example"})
    assert loaded.model.project == ""  # swallowed into the comment line by the trim markers
    assert loaded.header.project == "demo"
    assert loaded.project == "demo"
    assert loaded.context.project == "demo"
    assert loaded.namespace == "demo-dev"
    assert loaded.model.registry == "reg.example/v1"  # $vars declared at the top stay in scope
    assert loaded.model.services[0].name == "reg.example"


def test_readme_escapes_are_accepted(tmp_path: Path) -> None:
    services = write_project(
        tmp_path / "p",
        'project: demo\nregistry: "{{ envOr \\"REGISTRY_HOST\\" \\"registry.local:32000\\" }}/x"\n',
    )
    assert load(services, env="dev").model.registry == "registry.local:32000/x"


def test_codex_is_zero_and_storage_nil_in_pass_one(tmp_path: Path) -> None:
    services = write_project(
        tmp_path / "p",
        """\
        project: demo
        registry: '[{{ .Codex.Model }}][{{ .Storage }}]'
        storage:
          workspace: {size: 1Gi}
        codex:
          model: gpt-x
        """,
    )
    loaded = load(services, env="dev")
    assert loaded.model.registry == "[][<nil>]"
    assert loaded.render("{{ .Codex.Model }}/{{ .Storage.Workspace.Size }}", "t") == "gpt-x/1Gi"


def test_process_env_is_injected_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONLY_REAL", "real")
    services = write_project(tmp_path / "p", 'project: \'{{ envOr "ONLY_REAL" "none" }}\'\n')
    assert load(services, env="dev").model.project == "none"
    assert load(services, env="dev", process_env={"ONLY_REAL": "fake"}).model.project == "fake"


def test_raw_text_of_a_field(basic: Path) -> None:
    loaded = load(basic, env="dev")
    assert loaded.raw_text(("services", 0, "image", "repository")) == "reg/{{ .Env }}"
    assert loaded.raw_text(("services", 3)) is None


def test_schema_errors_name_the_source_line(tmp_path: Path) -> None:
    services = write_project(
        tmp_path / "p",
        """\
        project: demo
        services:
          - name: '{{ .Env }}'
            manifets: []
        maxSlots: '{{ .Slot }}'
        """,
    )
    with pytest.raises(ConfigFileError) as caught:
        load(services, env="dev")
    keys = [(i.location.file, i.location.line, i.location.key) for i in caught.value.issues]
    assert keys == [
        ("services.yaml", 4, "services[0].manifets"),
        ("services.yaml", 5, "maxSlots"),
    ]


def test_compat_mode_warns(tmp_path: Path) -> None:
    services = write_project(tmp_path / "p", "project: demo\nregsitry: x\n")
    loaded = load(services, env="dev", strict=False)
    assert [w.location.key for w in loaded.warnings] == ["regsitry"]


def test_template_errors_name_file_and_line(tmp_path: Path) -> None:
    services = write_project(tmp_path / "p", "project: demo\nregistry: '{{ nosuchfunc }}'\n")
    with pytest.raises(TemplateError) as caught:
        load(services, env="dev")
    assert caught.value.location is not None
    assert caught.value.location.file is not None
    assert caught.value.location.file.endswith("services.yaml")
    assert caught.value.location.line == 2


def test_structural_actions_outside_comments_fail_the_raw_parse(tmp_path: Path) -> None:
    services = write_project(
        tmp_path / "p", "project: demo\n{{ if true }}\nregistry: x\n{{ end }}\n"
    )
    with pytest.raises(ConfigError) as caught:
        load(services, env="dev")
    assert caught.value.location is not None
    assert caught.value.location.line is not None


def test_env_file_outside_the_project_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.env").write_text("TOKEN=x\n")
    services = write_project(tmp_path / "p", "project: demo\nenvFiles: [../secret.env]\n")
    with pytest.raises(ConfigError, match="leaves the project"):
        load(services, env="dev")


def test_resolve_path_guards_manifests(basic: Path) -> None:
    loaded = load(basic, env="dev")
    assert loaded.resolve_path("api.yaml", "manifest path") == basic.parent / "api.yaml"
    with pytest.raises(ConfigError, match="leaves the project"):
        loaded.resolve_path("../../etc/passwd", "manifest path")


def test_environment_resolution(basic: Path) -> None:
    loaded = load(basic, env="ai", slot=1)
    assert loaded.environment().chain == ("ai", "dev")
    with pytest.raises(ConfigError, match="not defined"):
        load(basic, env="prod").environment()
    assert not load(basic, env="prod").environment(required=False).declared


def test_missing_services_yaml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"services\.yaml not found"):
        load_config("nope.yaml", cwd=tmp_path, process_env={})


def test_pattern_produced_by_the_template_is_used_late(tmp_path: Path) -> None:
    # The raw parse sees only a comment; the rendered file has an `ai` pattern (codexctl's
    # ResolveNamespace renders the typed pattern when the pre-pass found nothing).
    services = write_project(
        tmp_path / "p",
        "project: demo\nnamespace:\n  patterns:\n    #{{ \"\\n\" }}    ai: 'late-{{ .Slot }}'\n",
    )
    loaded = load(services, env="ai")
    assert loaded.header.patterns == {}
    assert loaded.model.namespace_patterns == {"ai": "late-0"}
    assert loaded.namespace == "late-0"


def test_broken_pattern_is_reported_at_its_key(tmp_path: Path) -> None:
    services = write_project(
        tmp_path / "p", "project: demo\nnamespace:\n  patterns:\n    dev: '{{ .Nope }}'\n"
    )
    with pytest.raises(TemplateError) as caught:
        load(services, env="dev")
    assert caught.value.location is not None
    assert (caught.value.location.line, caught.value.location.key) == (4, "namespace.patterns.dev")


def test_var_file_warnings_reach_the_caller(tmp_path: Path) -> None:
    services = write_project(
        tmp_path / "p", "project: '{{ .Vars.NAME }}'\n", {"vars.txt": "NAME=demo\nbroken line\n"}
    )
    loaded = load(services, env="dev", var_file="vars.txt")
    assert loaded.model.project == "demo"
    assert [(w.location.file, w.location.line) for w in loaded.warnings] == [
        (str(services.parent / "vars.txt"), 2)
    ]


def test_raw_base_domain_in_pass_one_is_rendered_at_a_later_site(tmp_path: Path) -> None:
    services = write_project(
        tmp_path / "p",
        """\
        project: demo
        doubleRender: true
        baseDomain:
          dev: '{{ envOr "DOMAIN" "a.example" }}'
        hooks:
          afterAll:
            - run: 'echo {{ index .BaseDomain "dev" }}'
        """,
    )
    loaded = load(services, env="dev", process_env={"DOMAIN": "b.example"})
    run = loaded.model.hooks.after_all[0].run
    assert run == 'echo {{ envOr "DOMAIN" "a.example" }}'  # pass 1 emitted the inner template
    assert loaded.model.double_render is True
    assert loaded.render(run, "hook-run") == "echo b.example"  # the hook site resolves it


def test_jinja_dialect(tmp_path: Path) -> None:
    services = write_project(
        tmp_path / "p",
        """\
        project: demo
        templateDialect: jinja
        # {% set reg = envOr("REG", "r.local") %}
        registry: '{{ reg }}/{{ Project }}/{{ env }}'
        namespace:
          patterns:
            ai: '{{ project }}-slot-{{ slot }}'
        services:
          - name: api
            image: {repository: '{{ reg }}/api'}
        """,
    )
    loaded = load(services, env="ai", slot=2, process_env={"REG": "reg.example"})
    assert loaded.dialect == "jinja"
    assert loaded.namespace == "demo-slot-2"
    assert loaded.model.registry == "reg.example/demo/ai"
    assert loaded.model.services[0].image.repository == "reg.example/api"
    assert loaded.render("{{ Namespace }}", "t") == "demo-slot-2"


def test_jinja_missing_values_are_errors(tmp_path: Path) -> None:
    services = write_project(tmp_path / "p", "templateDialect: jinja\nproject: '{{ nope }}'\n")
    with pytest.raises(TemplateError) as caught:
        load(services, env="dev")
    assert caught.value.location is not None
    assert caught.value.location.line == 2


# (a value is pasted into YAML text as codexctl does, so quotes would be YAML's business)
@pytest.mark.parametrize("payload", ["{{7*7}}", '{{ "".__class__ }}', '{{ envOr "X" "y" }}'])
def test_values_are_inserted_once_and_literally(tmp_path: Path, payload: str) -> None:
    services = write_project(tmp_path / "p", 'project: demo\nregistry: \'{{ envOr "EVIL" "" }}\'\n')
    loaded = load(services, env="dev", process_env={"EVIL": payload})
    assert loaded.model.registry == payload
    assert loaded.context.env_map["EVIL"] == payload


def test_python_tags_are_refused_before_anything_runs(tmp_path: Path) -> None:
    services = write_project(
        tmp_path / "p", "project: demo\nregistry: !!python/object/apply:os.system ['touch x']\n"
    )
    with pytest.raises(ConfigError) as caught:
        load(services, env="dev")
    assert caught.value.location is not None
    assert caught.value.location.line == 2
    assert not (tmp_path / "p" / "x").exists()
