"""The agent's identity and permissions as plain objects, and the rule lint that guards them.

The Codex agent runs with a write token in a live namespace, so what its service account may do
is the blast radius of a bad prompt. It gets one namespace-scoped Role: read access to what it
needs to debug the slot (never Secrets), logs, port-forward into pods, deleting pods (a restart)
and scaling. No exec or attach into other pods: a shell in the database's pod reads that pod's
secrets just as well as ``get secrets`` would. It may not create or change anything that runs
pods, because a pod spec can mount any Secret or service account of the namespace (with
``codex.agentAccess.redeploy`` it may create and update what the namespace's admission guard
then judges, the guard being installed with those rules), and it never
gets ``*``, escalate, bind, impersonate, token requests, RBAC writes or cluster-scoped bindings.
:func:`lint_rules` states those rules as code; the component refuses a role that breaks them
(battery S1), whether it is the default or one a project configured, and
:func:`binding_problems` refuses manifests that grant the agent more through any subject that
includes it (its service account, its user name, or the service-account groups). Its network
fence (:func:`agent_objects`) is the same in every environment that runs it, slot or not: no
ingress; egress to its namespace, DNS and the internet minus private, link-local, carrier-grade
NAT and any configured cluster ranges.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from codexstack.components import agent_admission
from codexstack.errors import ConfigError, Location

Obj = dict[str, Any]
Rule = Mapping[str, Sequence[str]]

READ = ("get", "list", "watch")
DEFAULT_RULES: tuple[Rule, ...] = (
    {
        "apiGroups": [""],
        "verbs": READ,
        "resources": [
            "pods",
            "pods/log",
            "services",
            "endpoints",
            "configmaps",
            "persistentvolumeclaims",
            "events",
            "serviceaccounts",
        ],
    },
    {"apiGroups": [""], "resources": ["pods"], "verbs": ["delete"]},
    {
        "apiGroups": ["apps"],
        "verbs": READ,
        "resources": ["deployments", "replicasets", "statefulsets", "daemonsets"],
    },
    {
        "apiGroups": ["apps"],
        "resources": ["deployments/scale", "statefulsets/scale"],
        "verbs": ["get", "update", "patch"],
    },
    {"apiGroups": ["batch"], "resources": ["jobs", "cronjobs"], "verbs": READ},
    {
        "apiGroups": ["networking.k8s.io"],
        "resources": ["ingresses", "networkpolicies"],
        "verbs": READ,
    },
    {"apiGroups": ["discovery.k8s.io"], "resources": ["endpointslices"], "verbs": READ},
)

# Off by default: exec (and a port-forward to a debug port) into a pod reads every Secret
# mounted there. kubectl opens both with GET over WebSocket, older clients POST (create).
POD_EXEC_RULES: tuple[Rule, ...] = (
    {"apiGroups": [""], "resources": ["pods/exec", "pods/portforward"], "verbs": ["get", "create"]},
)
POD_EXEC_WARNING = (
    "the agent may exec into and port-forward to every pod of its namespace"
    " (codex.agentAccess.podExec): exec reads every Secret mounted in those pods"
)

# Off by default: re-deploying its own services (``codexstack apply --only-services X`` run by
# the agent in its pod) writes Deployments, Services and ConfigMaps and reads the namespace's
# guardrails. Granted only together with the admission guard (agent_admission.py), which keeps
# the pod specs it writes from escalating.
REDEPLOY_RULES: tuple[Rule, ...] = (
    {
        "apiGroups": ["apps"],
        "resources": ["deployments"],
        "verbs": [*READ, "create", "update", "patch"],
    },
    {
        "apiGroups": [""],
        "resources": ["services", "configmaps"],
        "verbs": [*READ, "create", "update", "patch"],
    },
    {"apiGroups": [""], "resources": ["limitranges", "resourcequotas"], "verbs": READ},
)

FORBIDDEN_VERBS = frozenset({"*", "escalate", "bind", "impersonate"})
WRITE_VERBS = frozenset({"create", "update", "patch", "delete", "deletecollection"})
POD_RUNNERS = frozenset(
    {
        "pods",
        "deployments",
        "replicasets",
        "statefulsets",
        "daemonsets",
        "jobs",
        "cronjobs",
        "replicationcontrollers",
        "podtemplates",
    }
)
"""Writing any of these can start a pod, which may mount any Secret of the namespace."""
WRITE_OK = {("pods", "delete")}
GUARDED_WRITES = frozenset({"create", "update", "patch"})
"""Writes the admission guard judges (it sees no deletes, which start no pod)."""
RBAC_GROUP = "rbac.authorization.k8s.io"
CODE_IN_POD = frozenset({"exec", "attach", "ephemeralcontainers"})
"""Subresources that run code in a pod (exec/attach connect with GET as well as POST)."""
CONNECT_VERBS = frozenset({"get", "create", "update", "patch"})
PRIVATE_RANGES = (
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "169.254.0.0/16",
)
"""RFC 1918, carrier-grade NAT and link-local (cloud metadata): cluster and host networks."""
DNS_PORTS = ({"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53})


@dataclass(frozen=True)
class AgentSettings:
    """Who the agent is (the ``codex`` service) and what its role and network allow."""

    service: str = "codex"
    service_account: str = "codex"
    rules: tuple[Rule, ...] = DEFAULT_RULES
    egress_cidr: str = "0.0.0.0/0"
    egress_except: tuple[str, ...] = PRIVATE_RANGES
    """Private, link-local (cloud metadata) and CGNAT ranges stay unreachable."""
    cluster_cidrs: tuple[str, ...] = ()
    """Pod and service ranges of a cluster outside the private ranges (excluded too)."""
    pod_exec: bool = False
    """Let the agent exec into and port-forward to its namespace's pods (off; see the warning)."""
    redeploy: bool = False
    """Let the agent re-deploy its own services, behind the admission guard (off)."""
    allowed_secrets: tuple[str, ...] = ()
    """Secrets the pod specs the agent writes may reference (with ``redeploy``)."""

    @property
    def granted_rules(self) -> tuple[Rule, ...]:
        """The rules the Role holds: the linted ``rules`` plus what was switched on."""
        return (
            self.rules
            + (POD_EXEC_RULES if self.pod_exec else ())
            + (REDEPLOY_RULES if self.redeploy else ())
        )

    @property
    def warnings(self) -> tuple[str, ...]:
        """What a deploy with these settings should tell people."""
        return (POD_EXEC_WARNING,) if self.pod_exec else ()


def _rule_problems(rule: Rule, guarded: bool) -> Iterable[str]:
    verbs = {str(v) for v in rule.get("verbs", ())}
    resources = {str(r) for r in rule.get("resources", ())}
    groups = {str(g) for g in rule.get("apiGroups", ())}
    if rule.get("nonResourceURLs"):
        yield "nonResourceURLs are cluster-scoped"
    if rule.get("resourceNames") and "list" in verbs:
        yield "resourceNames with list does not restrict anything"
    for verb in sorted(verbs & FORBIDDEN_VERBS):
        yield f"verb '{verb}' is not allowed"
    if "*" in resources or "*" in groups:
        yield "wildcard resources or API groups are not allowed"
    if any(r == "secrets" or r.startswith("secrets/") for r in resources):
        yield "no access to secrets"
    if "serviceaccounts/token" in resources:
        yield "token requests act as another service account"
    if RBAC_GROUP in groups and verbs & WRITE_VERBS:
        yield "no RBAC writes"
    for res in sorted(resources):
        base = res.split("/", 1)[0]
        sub = res.split("/", 1)[1] if "/" in res else ""
        writes = {v for v in verbs & WRITE_VERBS if (base, v) not in WRITE_OK}
        if guarded and base in agent_admission.GUARDED:
            writes -= GUARDED_WRITES
        if base in POD_RUNNERS and not sub and writes:
            yield f"'{', '.join(sorted(writes))}' on {res} can start pods with any secret"
        if base == "pods" and sub in CODE_IN_POD and verbs & CONNECT_VERBS:
            yield f"'{', '.join(sorted(verbs & CONNECT_VERBS))}' on {res} runs code in another pod"


def lint_rules(rules: Iterable[Rule], *, guarded: bool = False) -> list[str]:
    """Every reason the rules are not least-privilege for the agent (empty: fine).

    ``guarded``: the namespace's admission guard is installed with the rules, so creating and
    updating what it judges (Deployments, Pods, Jobs ...) is no longer a way to escalate.
    """
    problems: list[str] = []
    for index, rule in enumerate(rules):
        problems.extend(f"rule {index + 1}: {p}" for p in _rule_problems(rule, guarded))
    return problems


def check_rules(rules: Iterable[Rule], *, guarded: bool = False) -> None:
    """Raise ConfigError unless the rules are least-privilege (see :func:`lint_rules`)."""
    problems = lint_rules(rules, guarded=guarded)
    if problems:
        raise ConfigError(
            "the agent role is not least-privilege: " + "; ".join(problems),
            location=Location(key="codex.role"),
        )


def check_settings(settings: AgentSettings) -> None:
    """Lint the Role the settings build: the configured rules and, with ``redeploy``, its
    writes, which pass only because :func:`agent_objects` installs the guard with them (exec,
    the other switch, is granted knowingly and warned about instead)."""
    redeploy = REDEPLOY_RULES if settings.redeploy else ()
    check_rules(settings.rules + redeploy, guarded=settings.redeploy)


def _meta(name: str, namespace: str, labels: Mapping[str, str]) -> Obj:
    return {"name": name, "namespace": namespace, "labels": dict(labels)}


def agent_objects(
    namespace: str,
    settings: AgentSettings,
    labels: Mapping[str, str],
    pod_labels: Mapping[str, str] | None = None,
    *,
    with_account: bool = True,
) -> list[Obj]:
    """ServiceAccount (unless the manifests bring it), Role, RoleBinding, egress policy, and
    with ``redeploy`` the namespace's admission guard (policy and binding, cluster-scoped)."""
    sa = settings.service_account
    rules = [{k: list(v) for k, v in rule.items()} for rule in settings.granted_rules]
    account = {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": _meta(sa, namespace, labels),
    }
    objs: list[Obj] = [
        *([account] if with_account else []),
        {
            "apiVersion": f"{RBAC_GROUP}/v1",
            "kind": "Role",
            "metadata": _meta(f"{sa}-agent", namespace, labels),
            "rules": rules,
        },
        {
            "apiVersion": f"{RBAC_GROUP}/v1",
            "kind": "RoleBinding",
            "metadata": _meta(f"{sa}-agent", namespace, labels),
            "roleRef": {"apiGroup": RBAC_GROUP, "kind": "Role", "name": f"{sa}-agent"},
            "subjects": [{"kind": "ServiceAccount", "name": sa, "namespace": namespace}],
        },
    ]
    if pod_labels:
        objs.append(_fence(namespace, settings, labels, pod_labels))
    if settings.redeploy:
        objs += [
            agent_admission.policy(namespace, (sa,), settings.allowed_secrets, dict(labels)),
            agent_admission.binding(namespace, dict(labels)),
        ]
    return objs


def _fence(
    namespace: str, settings: AgentSettings, labels: Mapping[str, str], pods: Mapping[str, str]
) -> Obj:
    """The agent pods' NetworkPolicy (policies add up, so a slot's own allowances remain)."""
    internet = {
        "ipBlock": {
            "cidr": settings.egress_cidr,
            "except": [*settings.egress_except, *settings.cluster_cidrs],
        }
    }
    dns = {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
        "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
    }
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": _meta(f"{settings.service_account}-agent-egress", namespace, labels),
        "spec": {
            "podSelector": {"matchLabels": dict(pods)},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [],
            "egress": [
                {"to": [internet]},
                {"to": [{"podSelector": {}}]},
                {"to": [dns], "ports": [dict(p) for p in DNS_PORTS]},
            ],
        },
    }


@dataclass(frozen=True)
class AgentWorkload:
    """What the program learned from the agent service's Deployment."""

    pod_labels: Mapping[str, str] = field(default_factory=dict)
    service_account: str = ""


def find_workload(objs: Iterable[Mapping[str, Any]], service: str) -> AgentWorkload | None:
    """The Deployment named like the agent service (codexctl's ``deploy/codex``), if any."""
    for obj in objs:
        meta = obj.get("metadata") or {}
        if obj.get("kind") == "Deployment" and meta.get("name") == service:
            spec = obj.get("spec") or {}
            pod = ((spec.get("template") or {}).get("spec")) or {}
            labels = ((spec.get("selector") or {}).get("matchLabels")) or {}
            return AgentWorkload(
                {str(k): str(v) for k, v in labels.items()},
                str(pod.get("serviceAccountName") or ""),
            )
    return None


def bind_service_account(objs: list[Obj], service: str, service_account: str) -> list[Obj]:
    """Set the agent Deployment's service account when its manifest names none."""
    for obj in objs:
        meta = obj.get("metadata") or {}
        if obj.get("kind") == "Deployment" and meta.get("name") == service:
            pod = obj.setdefault("spec", {}).setdefault("template", {}).setdefault("spec", {})
            pod.setdefault("serviceAccountName", service_account)
    return objs


def _binds(obj: Mapping[str, Any], namespace: str, service_account: str) -> bool:
    """Whether any subject of a binding includes the agent's service account."""
    user = f"system:serviceaccount:{namespace}:{service_account}"
    groups = {"system:serviceaccounts", f"system:serviceaccounts:{namespace}"}
    groups |= {"system:authenticated"}
    for s in obj.get("subjects") or ():
        kind, name = s.get("kind"), s.get("name")
        if kind == "ServiceAccount" and name == service_account:
            bound_ns = s.get("namespace") or (obj.get("metadata") or {}).get("namespace")
            if (bound_ns or namespace) == namespace:
                return True
        if (kind == "User" and name == user) or (kind == "Group" and name in groups):
            return True
    return False


def cluster_rbac(objs: Iterable[Mapping[str, Any]]) -> list[str]:
    """``Kind/name`` of every cluster-scoped RBAC object (refused in a slot stack)."""
    return [
        f"{o.get('kind')}/{(o.get('metadata') or {}).get('name', '?')}"
        for o in objs
        if o.get("kind") in ("ClusterRole", "ClusterRoleBinding")
        and str(o.get("apiVersion", "")).startswith(RBAC_GROUP)
    ]


def binding_problems(
    objs: Iterable[Mapping[str, Any]], namespace: str, service_account: str
) -> list[str]:
    """Problems with grants that the stack's own manifests give the agent's account.

    The lint would be pointless if a manifest could bind the agent to a broader role: every
    binding to it must be a RoleBinding to a Role of the same stack, and that Role is linted.
    """
    objs = list(objs)
    roles = {(o.get("metadata") or {}).get("name"): o for o in objs if o.get("kind") == "Role"}
    problems: list[str] = []
    for obj in objs:
        if obj.get("kind") not in ("RoleBinding", "ClusterRoleBinding"):
            continue
        if not _binds(obj, namespace, service_account):
            continue
        name = (obj.get("metadata") or {}).get("name")
        ref = obj.get("roleRef") or {}
        if obj.get("kind") == "ClusterRoleBinding":
            problems.append(f"ClusterRoleBinding {name}: the agent gets no cluster-wide grants")
        elif ref.get("kind") != "Role" or ref.get("name") not in roles:
            problems.append(
                f"RoleBinding {name}: binds {ref.get('kind')} {ref.get('name')}, "
                "which is not a Role of this stack and cannot be checked"
            )
        else:
            role = roles[ref.get("name")]
            problems.extend(
                f"Role {ref.get('name')}: {p}" for p in lint_rules(role.get("rules") or ())
            )
    return problems
