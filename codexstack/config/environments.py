"""Environment inheritance (``from``) and the effective settings of one environment.

An environment may name a parent with ``from``; parents are resolved recursively and the
child wins field by field as codexctl does (§2.3): ``imagePullPolicy``, ``kubeconfig`` and
``context`` when the child's value is non-empty, ``localRegistry`` when the child has one,
``slotBootstrapInfra`` when the child's list is non-empty (replaced, never merged). A cycle or
an unknown parent is an error naming the whole chain. Then ``~`` in the kubeconfig is
expanded, and ``CODEXSTACK_KUBECONFIG``/``CODEXCTL_KUBECONFIG`` and ``…_KUBE_CONTEXT`` from the
process environment override the file. Inheritance never touches overlays, ``when`` or
namespace patterns: those stay keyed by the exact env name.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, replace

from codexstack.config.issues import Locator
from codexstack.config.models import Environment, LocalRegistry, ServicesConfig
from codexstack.errors import ConfigError


class InheritanceError(ValueError):
    """A ``from`` chain that loops or names an environment that does not exist."""

    def __init__(self, message: str, chain: tuple[str, ...], offender: str):
        super().__init__(message)
        self.chain = chain
        self.offender = offender
        """The environment whose ``from`` key is wrong."""


def inheritance_chain(envs: Mapping[str, Environment], name: str) -> tuple[str, ...]:
    """``(name, parent, grandparent, …)``; raises :class:`InheritanceError` on a bad link."""
    chain = [name]
    current = envs[name]
    while current.from_:
        parent = current.from_
        if parent in chain:
            loop = " -> ".join([*chain, parent])
            raise InheritanceError(
                f"environment inheritance cycle: {loop}", (*chain, parent), chain[-1]
            )
        if parent not in envs:
            path = " -> ".join([*chain, parent])
            close = difflib.get_close_matches(parent, list(envs), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise InheritanceError(
                f"environment '{chain[-1]}' inherits from unknown environment '{parent}' "
                f"({path}){hint}",
                (*chain, parent),
                chain[-1],
            )
        chain.append(parent)
        current = envs[parent]
    return tuple(chain)


@dataclass(frozen=True)
class ResolvedEnvironment:
    """The effective settings of one environment after inheritance and overrides."""

    name: str
    chain: tuple[str, ...]
    """The environment and its ancestors, nearest first (empty when not declared)."""
    image_pull_policy: str = ""
    slot_bootstrap_infra: tuple[str, ...] = ()
    local_registry: LocalRegistry | None = None
    kubeconfig: str = ""
    context: str = ""

    @property
    def declared(self) -> bool:
        """Whether services.yaml declares this environment."""
        return bool(self.chain)


def merge_chain(envs: Mapping[str, Environment], chain: tuple[str, ...]) -> Environment:
    """Fold a chain (nearest first) into one :class:`Environment` with codexctl's rules."""
    merged = envs[chain[-1]]
    for name in reversed(chain[:-1]):
        child = envs[name]
        merged = merged.model_copy(
            update={
                "from_": child.from_,
                "image_pull_policy": child.image_pull_policy or merged.image_pull_policy,
                "kubeconfig": child.kubeconfig or merged.kubeconfig,
                "context": child.context or merged.context,
                "local_registry": child.local_registry or merged.local_registry,
                "slot_bootstrap_infra": child.slot_bootstrap_infra or merged.slot_bootstrap_infra,
            }
        )
    return merged


def resolve_environment(
    config: ServicesConfig,
    name: str,
    *,
    process_env: Mapping[str, str],
    required: bool = True,
    locator: Locator | None = None,
) -> ResolvedEnvironment:
    """Effective settings of env ``name``; a missing env is an error only when ``required``."""
    envs = config.environments
    if name not in envs:
        if required:
            close = difflib.get_close_matches(name, list(envs), n=1)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else f"declared: {', '.join(sorted(envs)) or 'none'}"
            )
            where = locator.locate(("environments",)) if locator else None
            raise ConfigError(
                f"environment '{name}' is not defined in services.yaml", location=where, hint=hint
            )
        return _with_overrides(ResolvedEnvironment(name=name, chain=()), process_env)
    try:
        chain = inheritance_chain(envs, name)
    except InheritanceError as exc:
        where = locator.locate(("environments", exc.offender, "from")) if locator else None
        raise ConfigError(str(exc), location=where) from None
    merged = merge_chain(envs, chain)
    resolved = ResolvedEnvironment(
        name=name,
        chain=chain,
        image_pull_policy=merged.image_pull_policy,
        slot_bootstrap_infra=merged.slot_bootstrap_infra,
        local_registry=merged.local_registry,
        kubeconfig=merged.kubeconfig,
        context=merged.context,
    )
    return _with_overrides(resolved, process_env)


def _first_set(env: Mapping[str, str], *names: str) -> str:
    for key in names:
        value = env.get(key, "")
        if value.strip():
            return value
    return ""


def expand_home(path: str, process_env: Mapping[str, str]) -> str:
    """Expand a leading ``~`` (alone or followed by ``/``) with ``HOME``."""
    home = process_env.get("HOME", "")
    if home and (path == "~" or path.startswith("~/")):
        return home + path[1:]
    return path


def _with_overrides(
    resolved: ResolvedEnvironment, process_env: Mapping[str, str]
) -> ResolvedEnvironment:
    kubeconfig = _first_set(process_env, "CODEXSTACK_KUBECONFIG", "CODEXCTL_KUBECONFIG")
    context = _first_set(process_env, "CODEXSTACK_KUBE_CONTEXT", "CODEXCTL_KUBE_CONTEXT")
    return replace(
        resolved,
        kubeconfig=expand_home(kubeconfig or resolved.kubeconfig, process_env),
        context=context or resolved.context,
    )
