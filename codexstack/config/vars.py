"""Template variables: where they come from and which source wins (§3.6).

Four layers, last wins: the process environment, ``envFiles`` (dotenv, relative to the
project root, read before templating), ``--var-file`` (a line format, relative to the current
directory) and ``--vars`` (``k=v,k2=v2``). Templates see ``.EnvMap`` (all four),
``.Vars`` (var-file and ``--vars``) and ``.UserVars`` (``--vars`` only). ``envFiles`` must stay
inside the project (checked before any read); the var-file is the caller's own file, named on
the command line, so only its type is checked (a regular file, never a FIFO or device).
Unlike codexctl, malformed var-file lines are reported as warnings instead of vanishing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from codexstack.config.issues import Issue
from codexstack.config.paths import read_text_file, resolve_project_path
from codexstack.errors import ConfigError, Location
from codexstack.golang import parse_dotenv

_QUOTES = ('"', "'")


def parse_vars(spec: str, source: str = "--vars") -> dict[str, str]:
    """Parse ``k=v,k2=v2``: comma split, trimmed; an item without ``=`` or key is an error."""
    out: dict[str, str] = {}
    for part in spec.split(","):
        item = part.strip()
        if not item:
            continue
        key, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(
                f"invalid variable {item!r}: expected key=value", location=Location(file=source)
            )
        if not key.strip():
            raise ConfigError(f"empty key in variable {item!r}", location=Location(file=source))
        out[key.strip()] = value.strip()
    return out


def parse_var_file(text: str, file: str) -> tuple[dict[str, str], list[Issue]]:
    """Parse var-file lines as codexctl does; malformed lines are skipped and reported."""
    out: dict[str, str] = {}
    warnings: list[Issue] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        sep = "=" if "=" in line else ":"
        key, found, value = line.partition(sep)
        key = key.strip()
        if not found or not key:
            warnings.append(
                Issue(
                    Location(file=file, line=number),
                    "not a 'KEY=value' or 'KEY: value' line; skipped",
                    severity="warning",
                )
            )
            continue
        value = value.strip()
        for quote in _QUOTES:  # codexctl trims each quote kind independently, once per side
            value = value.removeprefix(quote).removesuffix(quote)
        out[key] = value
    return out, warnings


def load_env_files(root: Path, files: Iterable[str]) -> dict[str, str]:
    """Read and merge ``envFiles`` in order; paths must stay inside ``root``."""
    merged: dict[str, str] = {}
    for name in files:
        if not name:
            continue
        path = resolve_project_path(root, name, "envFiles entry")
        merged.update(parse_dotenv(read_text_file(path, "env file"), str(path)))
    return merged


def load_var_file(path: str, cwd: Path) -> tuple[dict[str, str], list[Issue]]:
    """Read a ``--var-file`` (relative to ``cwd``)."""
    resolved = Path(path) if Path(path).is_absolute() else cwd / path
    return parse_var_file(read_text_file(resolved, "var-file"), str(resolved))


def _frozen(mapping: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class VarLayers:
    """The four variable sources of one load, and the maps templates see."""

    os_env: Mapping[str, str] = field(default_factory=dict)
    env_files: Mapping[str, str] = field(default_factory=dict)
    var_file: Mapping[str, str] = field(default_factory=dict)
    user_vars: Mapping[str, str] = field(default_factory=dict)
    warnings: Sequence[Issue] = ()

    @property
    def env_map(self) -> Mapping[str, str]:
        """``.EnvMap``: OS < envFiles < var-file < ``--vars``."""
        return _frozen({**self.os_env, **self.env_files, **self.var_file, **self.user_vars})

    @property
    def vars(self) -> Mapping[str, str]:
        """``.Vars``: var-file < ``--vars``."""
        return _frozen({**self.var_file, **self.user_vars})

    def with_user_vars(self, extra: Mapping[str, str]) -> VarLayers:
        """A copy with ``extra`` added to the ``--vars`` layer (``prompt run`` injections)."""
        return VarLayers(
            self.os_env, self.env_files, self.var_file, {**self.user_vars, **extra}, self.warnings
        )


def build_layers(
    *,
    root: Path,
    env_files: Iterable[str],
    vars_spec: str | None,
    var_file: str | None,
    process_env: Mapping[str, str],
    cwd: Path,
) -> VarLayers:
    """Read every source of one load (``--vars`` is parsed first: it fails fastest)."""
    user = parse_vars(vars_spec) if vars_spec else {}
    file_vars: dict[str, str] = {}
    warnings: list[Issue] = []
    if var_file and var_file.strip():
        file_vars, warnings = load_var_file(var_file, cwd)
    return VarLayers(
        os_env=dict(process_env),
        env_files=load_env_files(root, env_files),
        var_file=file_vars,
        user_vars=user,
        warnings=tuple(warnings),
    )
