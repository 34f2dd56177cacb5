"""Where output goes: results on stdout in the chosen format, people's text on stderr.

Results (``--output text|json|yaml|kv``) are the only thing written to stdout so that they
stay machine-readable; progress, warnings and errors go to stderr, without colour when
``NO_COLOR`` is set or stderr is not a terminal.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from codexstack import flows

if TYPE_CHECKING:
    from codexstack.flows import Result


class OutputFormat(StrEnum):
    """Formats of a command's result on stdout."""

    text = "text"
    json = "json"
    yaml = "yaml"
    kv = "kv"
    plain = "plain"  # codexctl <=0.8 name for the default


def error(message: str) -> None:
    """The one error line the CLI boundary prints (stderr, red on a terminal)."""
    flows.StderrReporter().error(message)


def terminal_question(action: str = "destroy") -> Callable[[str, Sequence[str]], bool] | None:
    """A yes/no question on the terminal for ``destroy`` (or ``prune``), None without one.

    Shows the stack and what will be deleted on stderr, reads the answer from stdin; only an
    explicit ``y``/``yes`` (or typing the stack name) is a yes.
    """
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None

    def ask(stack: str, objects: Sequence[str]) -> bool:
        lines = [f"{action} deletes {len(objects)} object(s) of stack {stack}:"]
        lines += [f"  - {line}" for line in objects[:200]]
        if len(objects) > 200:
            lines.append(f"  … and {len(objects) - 200} more")
        print("\n".join(lines), file=sys.stderr)
        print(f"{action.capitalize()} them ({stack})? [y/N] ", end="", file=sys.stderr, flush=True)
        answer = sys.stdin.readline().strip().lower()
        return answer in ("y", "yes", stack.lower())

    return ask


def _kv_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    return str(value)


def emit(data: Any, fmt: OutputFormat, *, text: str | None = None) -> None:
    """Write a result to stdout: ``text`` (or a readable default), JSON, YAML or key=value lines."""
    if fmt in (OutputFormat.text, OutputFormat.plain):
        out = text if text is not None else _default_text(data)
    elif fmt is OutputFormat.json:
        out = json.dumps(data, indent=2, sort_keys=False, default=str) + "\n"
    elif fmt is OutputFormat.yaml:
        import yaml  # noqa: PLC0415 - lazy: only when asked for

        out = yaml.safe_dump(data, sort_keys=False, default_flow_style=False, allow_unicode=True)
    else:
        if not isinstance(data, Mapping):
            raise TypeError("kv output needs a mapping")
        out = "".join(f"{k}={_kv_value(v)}\n" for k, v in data.items())
    sys.stdout.write(out)
    sys.stdout.flush()


def _default_text(data: Any) -> str:
    if isinstance(data, Mapping):
        return "".join(f"{k}: {_kv_value(v)}\n" for k, v in data.items())
    if isinstance(data, list):
        return "".join(f"{_kv_value(item)}\n" for item in data)
    return f"{data}\n"


def finish(result: Result, fmt: OutputFormat) -> int:
    """Emit a flow's result in ``fmt`` on stdout and return its exit code."""
    emit(result.data(fmt.value), fmt, text=result.text())
    return int(result.exit_code)
