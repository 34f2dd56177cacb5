"""The ``CodexAgent`` component: the agent's service account and least-privilege role.

Created for the stack's agent service (``codex`` by default, the Deployment codexctl execs
into). It owns the ServiceAccount, a namespace-scoped Role and its RoleBinding, and an egress
policy that lets the agent's pods reach the internet (model API, git hosting) through the
slot's default-deny, metadata endpoints excepted. The rules are linted before anything is
registered: a role that could read Secrets, escalate or reach beyond the namespace is a
configuration error, not a warning.
"""

from __future__ import annotations

from collections.abc import Mapping

import pulumi

from codexstack.components.agent_policy import AgentSettings, agent_objects, lint_rules
from codexstack.components.base import Component
from codexstack.errors import ConfigError, Location


class CodexAgent(Component):
    """ServiceAccount + Role + RoleBinding (+ egress NetworkPolicy) of the agent."""

    service_account: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        *,
        namespace: str,
        settings: AgentSettings,
        labels: Mapping[str, str],
        pod_labels: Mapping[str, str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        problems = lint_rules(settings.rules)
        if problems:
            raise ConfigError(
                "the agent role is not least-privilege: " + "; ".join(problems),
                location=Location(key="codex.role"),
            )
        super().__init__("CodexAgent", name, opts)
        objs = agent_objects(namespace, settings, labels, pod_labels)
        account = self.object_resource(objs[0])
        self.children = [account] + [
            self.object_resource(o, depends_on=[account]) for o in objs[1:]
        ]
        self.service_account = pulumi.Output.from_input(settings.service_account)
        self.finish(
            {
                "serviceAccount": self.service_account,
                "objects": [f"{o['kind']}/{o['metadata']['name']}" for o in objs],
            }
        )
