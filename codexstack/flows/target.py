"""What a flow acts on: :class:`Target`, the services.yaml and environment of a command.

Every flow that reads services.yaml takes one ``Target``: the file, the env, the namespace
override, the slot, the extra variables, and whether unknown keys are errors. The CLI fills it
from the global flags (``-c/--config``, ``--env``, ``--namespace``, ``--slot``, ``--vars``,
``--var-file``, ``--strict``) and their ``CODEXCTL_*`` variables; tests build it directly.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from codexstack.errors import UsageError


@dataclass(frozen=True)
class Target:
    """The services.yaml, env and slot one command works on."""

    config: Path = Path("services.yaml")
    env: str = ""
    namespace: str | None = None
    slot: int = 0
    """0: no slot (codexctl's zero value)."""
    vars: str | None = None
    """``k=v,k2=v2``: the top variable layer."""
    var_file: Path | None = None
    strict: bool = False
    """Unknown services.yaml keys are errors (else one warning each, as codexctl ignores them)."""

    def with_env(self, default: str) -> Target:
        """This target with ``env`` defaulted (the slot commands default to ``ai``)."""
        return self if self.env else replace(self, env=default)

    def required_env(self) -> str:
        """The env, or a usage error naming the flag and its variables."""
        if not self.env:
            raise UsageError("--env is required (or set CODEXSTACK_ENV or CODEXCTL_ENV)")
        return self.env

    def required_slot(self) -> int:
        """The slot after env fallbacks (codexctl D-REQ: requiredness is checked after them)."""
        if not self.slot:
            raise UsageError("--slot is required (or CODEXCTL_SLOT)")
        return self.slot

    @property
    def var_file_text(self) -> str | None:
        """``var_file`` as the loaders take it."""
        return str(self.var_file) if self.var_file else None
