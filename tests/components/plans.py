"""Realistic Plans for component tests: what build_plan yields for a small project.

Written by hand (rather than loaded from examples/) so that these tests pin the program's
behaviour independently of the demo's evolution; ``test_demo_program`` covers the demo.
"""

from __future__ import annotations

from typing import Any

from codexstack.naming import stack_name
from codexstack.plan.model import Manifest, Plan, Unit


def deployment(name: str, ns: str, image: str = "nginx:1.27", **pod: Any) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": ns, "labels": {"app": name}},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": name, "image": image}], **pod},
            },
        },
    }


def service(name: str, ns: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": ns},
        "spec": {"selector": {"app": name}, "ports": [{"port": 80}]},
    }


def configmap(name: str, ns: str, **data: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": ns},
        "data": data,
    }


def unit(kind: str, name: str, *objs: dict[str, Any], selected: bool = True) -> Unit:
    path = f"deploy/{name}.yaml"
    return Unit(
        kind=kind,
        name=name,
        selected=selected,  # type: ignore[arg-type]
        manifests=tuple(Manifest(path, i, o) for i, o in enumerate(objs)),
    )


def make_plan(
    env: str,
    slot: int = 0,
    *,
    namespace: str | None = None,
    codex: bool = True,
    extra_services: tuple[Unit, ...] = (),
) -> Plan:
    ns = namespace or (f"demo-{env}-{slot}" if slot else f"demo-{env}")
    infra = (
        unit(
            "infra",
            "namespace",
            {
                "apiVersion": "v1",
                "kind": "Namespace",
                "metadata": {"name": ns, "labels": {"team": "core"}},
            },
        ),
        unit(
            "infra", "postgres", deployment("postgres", ns, "postgres:16"), service("postgres", ns)
        ),
        unit("infra", "redis", deployment("redis", ns, "redis:7"), service("redis", ns)),
    )
    services = [
        unit(
            "service",
            "api",
            deployment("api", ns),
            service("api", ns),
            configmap("api-config", ns, LOG_LEVEL="info"),
        ),
        unit("service", "web", deployment("web", ns), service("web", ns)),
    ]
    if codex:
        services.append(unit("service", "codex", deployment("codex", ns, "node:22")))
    return Plan(
        project="demo",
        env=env,
        slot=slot,
        namespace=ns,
        stack=stack_name(env, slot),
        infrastructure=infra,
        services=(*services, *extra_services),
    )
