"""Bad input through ``codexstack render`` (battery F1–F4, S6, S7): one clear message naming
file, line and key, exit 65, no traceback, bounded time; nothing rendered."""

from __future__ import annotations

import os
import re
import textwrap
import time
from pathlib import Path

import pytest
import yaml

from cli.app import main

DEADLINE = 5.0  # seconds per case, generous for a busy 2-core machine

API = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: api
data:
  value: '{{ envOr "VALUE" "none" }}'
"""

SERVICES = """\
project: p
environments:
  dev: {}
services:
  - name: api
    manifests:
      - path: api.yaml
"""


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("CODEXCTL_", "CODEXSTACK_", "VALUE")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("NO_COLOR", "1")


def project(tmp_path: Path, services: str = SERVICES, **files: str) -> Path:
    for rel, text in {"api.yaml": API, **files}.items():
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text))
    path = tmp_path / "services.yaml"
    path.write_text(textwrap.dedent(services))
    return path


def render(capsys: pytest.CaptureFixture[str], config: Path, *args: str) -> tuple[int, str, str]:
    start = time.monotonic()
    code = main(["render", "-c", str(config), "--env", "dev", *args])
    elapsed = time.monotonic() - start
    out, err = capsys.readouterr()
    assert elapsed < DEADLINE
    assert "Traceback" not in err
    return code, out, err


def assert_invalid(
    result: tuple[int, str, str], file: str, key: str | None, line: int | None
) -> str:
    code, out, err = result
    assert code == 65, err
    assert out == ""
    assert err.startswith("error: ")
    assert file in err
    if line is not None:
        assert re.search(rf"{re.escape(file)}:{line}\b", err), err
    if key is not None:
        assert f"key '{key}'" in err, err
    return err


# --- F1: schema rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("services", "line", "key", "words"),
    [
        (SERVICES + "servces: []\n", 8, "servces", "did you mean 'services'"),
        (SERVICES + "maxSlots: many\n", 8, "maxSlots", "int"),
        (
            SERVICES.replace("  - name: api\n", "  - manifests: []\n  - name: api\n"),
            5,
            "services[0].name",
            "missing",
        ),
        (
            SERVICES.replace("  dev: {}\n", "  dev: {from: qa}\n  qa: {from: dev}\n"),
            None,
            "from",
            "cycle",
        ),
    ],
    ids=["unknown-key", "wrong-type", "missing-required", "from-cycle"],
)
def test_f1_schema_errors(
    services: str,
    line: int | None,
    key: str,
    words: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = render(capsys, project(tmp_path, services), "--strict")
    err = assert_invalid(result, "services.yaml", None, line)
    assert key in err
    assert words in err


def test_f1_unknown_service_in_a_filter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = render(capsys, project(tmp_path), "--only-services", "apii")
    err = assert_invalid(result, "services.yaml", "--only-services", 4)
    assert "did you mean 'api'" in err


def test_f1_unknown_infra_in_a_filter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert_invalid(
        render(capsys, project(tmp_path), "--skip-infra", "db"),
        "services.yaml",
        "--skip-infra",
        None,
    )


# --- F2: hostile YAML in a manifest -----------------------------------------------------------


BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
)


@pytest.mark.parametrize(
    "text",
    [
        BOMB,
        "x: " + "[" * 10000 + "]" * 10000 + "\n",
        "kind: ConfigMap\nkind: Secret\n",
        "!!python/object/apply:os.system ['echo pwned']\n",
    ],
    ids=["alias-bomb", "deep-nesting", "duplicate-key", "python-tag"],
)
def test_f2_hostile_manifest_yaml(
    text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project(tmp_path, **{"api.yaml": "{{ `" + text.replace("`", "") + "` }}"})
    assert_invalid(render(capsys, config), "api.yaml", None, None)


@pytest.mark.slow
def test_f2_huge_manifest_is_refused_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project(tmp_path)
    with (tmp_path / "api.yaml").open("w") as handle:
        handle.write("# " + "x" * (50 * 1024 * 1024) + "\n")
    assert_invalid(render(capsys, config), "api.yaml", None, None)


# --- F3: paths out of the project -------------------------------------------------------------


@pytest.mark.parametrize("path", ["../../etc/passwd", "/etc/passwd", "link/passwd", "~/x.yaml"])
def test_f3_manifest_paths_outside_are_refused_before_any_read(
    path: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "proj"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd").write_text("root:x:0:0\n")
    root.mkdir()
    (root / "link").symlink_to(outside)
    config = project(root, SERVICES.replace("path: api.yaml", f"path: {path}"))
    opened: list[str] = []
    real_open = os.open

    def spy(file: str | os.PathLike[str], *args: object, **kwargs: object) -> int:
        opened.append(os.fspath(file))
        return real_open(file, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", spy)
    err = assert_invalid(
        render(capsys, config), "services.yaml", "services[0].manifests[0].path", 7
    )
    assert "passwd" in err or "x.yaml" in err
    assert not [f for f in opened if "passwd" in f or f.endswith("x.yaml")]


# --- F4: template errors name the template file and line -------------------------------------


@pytest.mark.parametrize(
    ("template", "line", "words"),
    [
        ("kind: ConfigMap\nmetadata:\n  name: {{ if }}\n", 3, "missing value for if"),
        ("kind: ConfigMap\n\nmetadata:\n  name: {{ nosuchfn 1 }}\n", 4, "nosuchfn"),
        ("kind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: '{{ printf }}'\n", 5, "printf"),
        ("kind: ConfigMap\nmetadata:\n  name: '{{ default .Slot \"x\" }}'\n", 3, "expected string"),
    ],
    ids=["syntax", "unknown-function", "printf-args", "wrong-arg-type"],
)
def test_f4_template_errors(
    template: str, line: int, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project(tmp_path, **{"api.yaml": template})
    err = assert_invalid(render(capsys, config), str(tmp_path / "api.yaml"), None, line)
    assert words in err


# --- S6: template syntax inside values stays text ---------------------------------------------


@pytest.mark.parametrize(
    "value", ["{{7*7}}", "{{''.__class__}}", "{{ .Env }}", "{% raw %}", "${HOME}"]
)
def test_s6_values_render_literally(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the value reaches a manifest (block scalar) and services.yaml (a quoted tagTemplate)
    services = (
        SERVICES
        + '    image:\n      repository: reg/api\n      tagTemplate: \'{{ envOr "VALUE" "" }}\'\n'
    )
    api = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: api}\n"
        'data:\n  value: |-\n    {{ envOr "VALUE" "" }}\n'
        "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\n"
        "spec:\n  template:\n    spec:\n      containers: [{name: a, image: x}]\n"
    )
    config = project(tmp_path, services, **{"api.yaml": api})
    monkeypatch.setenv("VALUE", value)
    code, out, err = render(capsys, config)
    assert code == 0, err
    docs = list(yaml.safe_load_all(out))
    assert docs[0]["data"]["value"] == value
    # in services.yaml the value sat in a single-quoted scalar: YAML unquoting, no templating
    tag = yaml.safe_load(f"'{value}'")
    assert docs[1]["spec"]["template"]["spec"]["containers"][0]["image"] == f"reg/api:{tag}"


# --- S7: a value with a line break cannot add structure ---------------------------------------

INJECTION = "x\nkind: ClusterRoleBinding"
SMUGGLE = (
    "x\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\n"
    "metadata:\n  name: pwn"
)
CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api\ndata:\n"


def test_s7_quoted_value_keeps_the_document_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VALUE", INJECTION)
    code, out, err = render(capsys, project(tmp_path))
    assert code == 0, err
    docs = list(yaml.safe_load_all(out))
    assert [(d["kind"], d["metadata"]["name"]) for d in docs] == [("ConfigMap", "api")]


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (INJECTION, "already defined"),  # yaml.v3 already refuses a second top-level kind
        (SMUGGLE, "2 documents instead of 1"),
        ("a\n  extra: key", "data.extra"),
        ("a\nb: c", "key 'b'"),
    ],
)
def test_s7_unquoted_value_cannot_change_structure(
    value: str,
    words: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    api = CONFIGMAP + '  value: {{ envOr "VALUE" "none" }}\n'
    monkeypatch.setenv("VALUE", value)
    result = render(capsys, project(tmp_path, **{"api.yaml": api}))
    code, out, err = result
    assert code == 65
    assert out == ""
    assert "api.yaml" in err
    assert words in err


def test_s7_block_scalar_use_of_a_multiline_value_is_fine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    api = CONFIGMAP + '  cert: |\n{{ envOr "VALUE" "" | indent 4 }}\n'
    monkeypatch.setenv("VALUE", INJECTION)
    code, out, err = render(capsys, project(tmp_path, **{"api.yaml": api}))
    assert code == 0, err
    (doc,) = yaml.safe_load_all(out)
    assert doc["data"]["cert"] == INJECTION + "\n"


JINJA_SERVICES = SERVICES.replace("project: p\n", "project: p\ntemplateDialect: jinja\n")


@pytest.mark.parametrize("value", ["{{7*7}}", "{{''.__class__}}", "{% raw %}"])
def test_s6_jinja_values_render_literally(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    api = CONFIGMAP + '  value: |-\n    {{ envOr("VALUE", "") }}\n'
    monkeypatch.setenv("VALUE", value)
    code, out, err = render(capsys, project(tmp_path, JINJA_SERVICES, **{"api.yaml": api}))
    assert code == 0, err
    (doc,) = yaml.safe_load_all(out)
    assert doc["data"]["value"] == value


@pytest.mark.parametrize(
    "expression",
    [
        "''.__class__.__mro__",
        "namespace.__class__",
        "cycler.__init__.__globals__",
        "env_map.clear()",
    ],
)
def test_s6_jinja_sandbox_refuses_escapes(
    expression: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = CONFIGMAP + "  x: '{{ " + expression + " }}'\n"
    result = render(capsys, project(tmp_path, JINJA_SERVICES, **{"api.yaml": api}))
    assert_invalid(result, "api.yaml", None, 6)
