"""The ``CodexAgent`` component: the agent's service account and least-privilege role.

Created for the stack's agent service (``codex`` by default, the Deployment codexctl execs
into). It owns the ServiceAccount (unless the service's manifests bring their own), a
namespace-scoped Role and its RoleBinding, and an egress
policy that lets the agent's pods reach the internet (model API, git hosting) through the
slot's default-deny, metadata endpoints excepted; with ``codex.agentAccess.redeploy`` also the
namespace's admission guard (agent_admission.py). The rules are linted before anything is
registered: a role that could read Secrets, escalate or reach beyond the namespace is a
configuration error, not a warning.
"""

from __future__ import annotations

from collections.abc import Mapping

import pulumi

from codexstack.components.agent_policy import AgentSettings, agent_objects, check_settings
from codexstack.components.base import Component


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
        with_account: bool = True,
        object_annotations: Mapping[str, str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        check_settings(settings)
        super().__init__("CodexAgent", name, opts, object_annotations)
        objs = agent_objects(namespace, settings, labels, pod_labels, with_account=with_account)
        self.children = [self.object_resource(o) for o in objs]
        self.service_account = pulumi.Output.from_input(settings.service_account)
        self.finish(
            {
                "serviceAccount": self.service_account,
                "objects": [f"{o['kind']}/{o['metadata']['name']}" for o in objs],
            }
        )
