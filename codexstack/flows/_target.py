"""Loading services.yaml for a :class:`~codexstack.flows.target.Target`, warnings reported.

The one place a flow turns a target into a loaded config: strictness comes from the target
(``--strict``) or services.yaml's own ``strict: true``; otherwise each unknown key is one
warning (file, line, key) on the flow's reporter, as codexctl reads such files unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codexstack import config

if TYPE_CHECKING:
    from codexstack.config import LoadedConfig
    from codexstack.flows.progress import Reporter
    from codexstack.flows.target import Target


def load(target: Target, progress: Reporter) -> LoadedConfig:
    """Load and validate services.yaml for ``target`` (its env, slot, namespace, variables)."""
    loaded = config.load_config(
        target.config,
        env=target.env,
        slot=target.slot,
        namespace=target.namespace,
        vars=target.vars,
        var_file=target.var_file_text,
        strict=target.strict,
    )
    for warning in loaded.warnings:
        progress.warn(str(warning))
    return loaded
