"""Global flags the way codexctl (cobra) takes them: anywhere, from a flag or a variable.

Every global flag is parsed after every command that exists (and before it), and from its
``CODEXSTACK_*``/``CODEXCTL_*`` variable, with the documented precedence: the flag given
last on the line > ``CODEXSTACK_<NAME>`` > ``CODEXCTL_<NAME>`` > legacy name > default. The
root context is built exactly as ``main`` builds it (:func:`cli.argv.hoist`, then the click
command Typer made); commands are not run. A malformed flag value is a usage error (64), a
malformed variable a failure (1), as in codexctl.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from cli.app import CLI, COMMANDS, main
from cli.argv import _arity, hoist
from cli.output import OutputFormat
from codexstack.errors import ExitCode

PATHS = [path.split() for path, _ in COMMANDS]

# flag, value on the command line, root parameter, parsed value, variable name
FLAGS: list[tuple[str, str | None, str, Any, str]] = [
    ("-c", "x.yaml", "config", Path("x.yaml"), "CONFIG"),
    ("--config", "y.yaml", "config", Path("y.yaml"), "CONFIG"),
    ("--env", "staging", "env", "staging", "ENV"),
    ("--namespace", "team-a", "namespace", "team-a", "NAMESPACE"),
    ("--slot", "7", "slot", 7, "SLOT"),
    ("--vars", "a=1,b=2", "vars", "a=1,b=2", "VARS"),
    ("--var-file", "extra.env", "var_file", Path("extra.env"), "VAR_FILE"),
    ("--log-level", "debug", "log_level", "debug", "LOG_LEVEL"),
    ("-o", "json", "output_", OutputFormat.json, "OUTPUT"),
    ("--output", "kv", "output_", OutputFormat.kv, "OUTPUT"),
    ("--strict", None, "strict", True, "STRICT"),
]
DEFAULTS = {
    "config": None,
    "env": None,
    "namespace": None,
    "slot": None,
    "vars": None,
    "var_file": None,
    "log_level": "info",
    "output_": None,
    "strict": False,
}
VARIABLE_VALUE = {"STRICT": "true"}


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("CODEXCTL_", "CODEXSTACK_")) or name in ("SLOT", "CODEX_LOG_LEVEL"):
            monkeypatch.delenv(name)


def root_params(args: list[str]) -> dict[str, Any]:
    """The root's parsed global flags for ``args``, as ``main`` would see them."""
    ctx = CLI.make_context("codexstack", hoist(CLI, args))
    return dict(ctx.params)


def words(flag: str, value: str | None) -> list[str]:
    return [flag] if value is None else [flag, value]


def _id(path: list[str]) -> str:
    return "-".join(path)


@pytest.mark.parametrize("path", PATHS, ids=_id)
@pytest.mark.parametrize(("flag", "value", "param", "parsed", "var"), FLAGS, ids=lambda x: x)
def test_every_flag_after_every_command(
    path: list[str], flag: str, value: str | None, param: str, parsed: Any, var: str
) -> None:
    params = root_params([*path, *words(flag, value)])
    assert params[param] == parsed
    assert {k: v for k, v in params.items() if k in DEFAULTS and k != param} == {
        k: v for k, v in DEFAULTS.items() if k != param
    }


@pytest.mark.parametrize("path", PATHS, ids=_id)
@pytest.mark.parametrize(
    ("flag", "value", "param", "parsed", "var"),
    [f for f in FLAGS if f[0] not in ("-c", "-o")],  # one spelling per variable
    ids=lambda x: x,
)
@pytest.mark.parametrize("prefix", ["CODEXSTACK_", "CODEXCTL_"])
def test_every_flag_from_its_variable(
    path: list[str],
    flag: str,
    value: str | None,
    param: str,
    parsed: Any,
    var: str,
    prefix: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(prefix + var, VARIABLE_VALUE.get(var, value or ""))
    assert root_params(path)[param] == parsed


@pytest.mark.parametrize(
    ("variables", "args", "expected"),
    [
        ({}, [], None),
        ({"CODEXCTL_ENV": "a"}, [], "a"),
        ({"CODEXCTL_ENV": "a", "CODEXSTACK_ENV": "b"}, [], "b"),
        ({"CODEXCTL_ENV": "a", "CODEXSTACK_ENV": "b"}, ["--env", "c"], "c"),
        ({"CODEXSTACK_ENV": "b"}, ["render", "--env", "c"], "c"),
        ({}, ["--env", "c", "render", "--env", "d"], "d"),  # the flag given last wins
        ({}, ["--env", "c", "render"], "c"),
        ({"CODEXCTL_ENV": ""}, ["render"], None),  # an empty variable is unset
    ],
)
def test_precedence(
    variables: dict[str, str],
    args: list[str],
    expected: str | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert root_params(args or ["render"])["env"] == expected


def test_legacy_names_rank_last(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLOT", "4")
    monkeypatch.setenv("CODEX_LOG_LEVEL", "warn")
    assert (root_params(["render"])["slot"], root_params(["render"])["log_level"]) == (4, "warn")
    monkeypatch.setenv("CODEXCTL_SLOT", "5")
    assert root_params(["render"])["slot"] == 5


@pytest.mark.parametrize(
    ("args", "moved"),
    [
        (["render", "--env=dev", "-ojson"], ["--env=dev", "-ojson", "render"]),
        (["render", "-cdemo.yaml"], ["-cdemo.yaml", "render"]),
        (["ci", "ensure-slot", "--issue", "1", "-c", "s.yaml"], ["-c", "s.yaml"]),
        # a subcommand option's value that looks like a global flag stays its value
        (["issue", "comment", "--body", "--env", "--issue", "3"], []),
        (["render", "--", "--env", "x"], []),  # nothing after -- moves
        (["--strict", "render", "--no-strict"], ["--strict", "--no-strict"]),
    ],
)
def test_hoist_moves_only_global_flags(args: list[str], moved: list[str]) -> None:
    hoisted = hoist(CLI, args)
    assert hoisted[: len(moved)] == moved
    assert sorted(hoisted) == sorted(args)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["render", "-o=json"], ["-ojson", "render"]),
        (["render", "--strict=true"], ["--strict", "render"]),
        (["render", "--strict=false"], ["--no-strict", "render"]),
        (
            ["ci", "ensure-ready", "--apply=1", "--force-apply=F"],
            ["ci", "ensure-ready", "--apply", "--no-force-apply"],
        ),
        (["ci", "apply", "--wait=yes"], ["ci", "apply", "--wait=yes"]),  # click refuses it
    ],
)
def test_pflag_spellings(args: list[str], expected: list[str]) -> None:
    assert hoist(CLI, args) == expected


def test_cobra_example_from_the_issue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``codexstack ci ensure-slot -c services.yaml --issue 1`` used to fail: No such option."""
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "services.yaml").write_text("project: p\nenvironments:\n  ai: {}\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KUBECONFIG", raising=False)
    monkeypatch.delenv("GITHUB_OUTPUT", raising=False)
    assert main(["ci", "ensure-slot", "-c", "conf/services.yaml", "--issue", "1"]) == 0


@pytest.mark.parametrize(
    ("args", "variables", "code", "message"),
    [
        (["render", "--slot", "abc"], {}, ExitCode.USAGE, "invalid integer 'abc'"),
        (["render"], {"CODEXCTL_SLOT": "abc"}, ExitCode.FAILURE, "CODEXCTL_SLOT: invalid integer"),
        (["render"], {"CODEXCTL_STRICT": "yes"}, ExitCode.FAILURE, "invalid boolean 'yes'"),
        (
            ["ci", "ensure-slot", "--wait-for-slot", "10 min"],
            {},
            ExitCode.USAGE,
            "invalid duration",
        ),
        (
            ["ci", "ensure-slot"],
            {"CODEXSTACK_WAIT_FOR_SLOT": "10"},
            ExitCode.FAILURE,
            "CODEXSTACK_WAIT_FOR_SLOT: invalid duration",
        ),
    ],
)
def test_malformed_values(
    args: list[str],
    variables: dict[str, str],
    code: int,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert main(args) == code
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_no_command_redeclares_a_global_flag() -> None:
    """A command option named like a global flag would never see its value (it is hoisted)."""
    globals_ = set(_arity(CLI))
    clashes = []
    for path in PATHS:
        command: Any = CLI
        for word in path:
            command = command.commands[word]
        clashes += [(" ".join(path), name) for name in set(_arity(command)) & globals_]
    assert clashes == []
