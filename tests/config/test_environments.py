"""Environment inheritance with codexctl's merge rules, and cluster overrides (§2.3)."""

from __future__ import annotations

import pytest

from codexstack.config.environments import inheritance_chain, resolve_environment
from codexstack.config.models import ServicesConfig
from codexstack.errors import ConfigError

from .support import validate_yaml

ENVS = """
infrastructure: [{name: base}, {name: rbac}]
environments:
  staging:
    kubeconfig: ~/.kube/staging
    context: staging-ctx
    imagePullPolicy: Always
    slotBootstrapInfra: [base]
    localRegistry: {enabled: true, name: parent, port: 5000}
  ai:
    from: staging
    imagePullPolicy: IfNotPresent
  ai2:
    from: ai
    context: child-ctx
    slotBootstrapInfra: [rbac]
    localRegistry: {enabled: false}
  bare: {}
"""


@pytest.fixture(scope="module")
def model() -> ServicesConfig:
    return validate_yaml(ENVS)[0]


def test_chain_is_nearest_first(model: ServicesConfig) -> None:
    assert inheritance_chain(model.environments, "ai2") == ("ai2", "ai", "staging")


def test_child_overrides_non_empty_fields(model: ServicesConfig) -> None:
    env = resolve_environment(model, "ai", process_env={"HOME": "/home/u"})
    assert env.image_pull_policy == "IfNotPresent"
    assert env.context == "staging-ctx"
    assert env.kubeconfig == "/home/u/.kube/staging"
    assert env.slot_bootstrap_infra == ("base",)
    assert env.local_registry is not None
    assert env.local_registry.name == "parent"


def test_grandchild_replaces_lists_and_registry(model: ServicesConfig) -> None:
    env = resolve_environment(model, "ai2", process_env={})
    assert env.chain == ("ai2", "ai", "staging")
    assert env.slot_bootstrap_infra == ("rbac",)  # replaced, not merged
    assert env.local_registry is not None
    assert env.local_registry.enabled is False
    assert env.local_registry.name == ""
    assert env.context == "child-ctx"
    assert env.image_pull_policy == "IfNotPresent"
    assert env.kubeconfig == "~/.kube/staging"  # no HOME, nothing to expand


def test_process_overrides_win(model: ServicesConfig) -> None:
    env = resolve_environment(
        model,
        "ai",
        process_env={
            "HOME": "/h",
            "CODEXCTL_KUBECONFIG": "~/other",
            "CODEXCTL_KUBE_CONTEXT": "ctl",
        },
    )
    assert (env.kubeconfig, env.context) == ("/h/other", "ctl")
    env = resolve_environment(
        model,
        "ai",
        process_env={
            "CODEXCTL_KUBE_CONTEXT": "ctl",
            "CODEXSTACK_KUBE_CONTEXT": "stack",
            "CODEXCTL_KUBECONFIG": " ",
        },
    )
    assert env.context == "stack"
    assert env.kubeconfig == "~/.kube/staging"  # a blank override counts as unset


def test_undeclared_env(model: ServicesConfig) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_environment(model, "stagign", process_env={})
    assert "not defined" in caught.value.message
    assert caught.value.hint == "did you mean 'staging'?"
    env = resolve_environment(model, "preview", process_env={}, required=False)
    assert not env.declared
    assert env.kubeconfig == ""


def test_broken_chain_at_resolution_names_the_chain() -> None:
    model = ServicesConfig.model_validate(
        {"environments": {"a": {"from": "b"}, "b": {"from": "a"}}}
    )
    with pytest.raises(ConfigError, match="cycle: a -> b -> a"):
        resolve_environment(model, "a", process_env={})
