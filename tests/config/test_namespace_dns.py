"""Namespaces are DNS-1123 labels before they reach any hook or API call (issue 14, defect 2).

Before, ``--namespace 'x; touch /tmp/p'`` or a pattern fed by an environment value was taken as
it was and handed to hooks (``$CODEXCTL_NAMESPACE``, kubectl argv) and to the API.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codexstack.errors import ConfigError
from codexstack.naming import is_dns_label
from tests.config.test_load import load, write_project

SERVICES = """
project: demo
namespace:
  patterns:
    dev: '{{ envOr "NS" "demo-dev" }}'
environments:
  dev: {}
services:
  - name: api
    manifests: [{path: api.yaml}]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "proj", SERVICES, {"api.yaml": "kind: ConfigMap\n"})


def test_a_flag_namespace_that_is_no_dns_label_is_refused(project: Path) -> None:
    with pytest.raises(ConfigError, match="not a DNS-1123 label") as caught:
        load(project, env="dev", namespace="x; touch /tmp/p")
    assert caught.value.location is not None
    assert caught.value.location.key == "--namespace"


def test_a_pattern_fed_by_the_environment_is_checked_at_the_pattern(project: Path) -> None:
    assert load(project, env="dev").namespace == "demo-dev"
    with pytest.raises(ConfigError, match="not a DNS-1123 label") as caught:
        load(project, env="dev", process_env={"NS": "$(id)"})
    loc = caught.value.location
    assert loc is not None
    assert (loc.file, loc.line, loc.key) == ("services.yaml", 5, "namespace.patterns.dev")


def test_dns_labels() -> None:
    assert is_dns_label("demo-dev-12")
    for bad in ("", "-a", "a-", "A", "a_b", "a.b", "a" * 64, "a\n"):
        assert not is_dns_label(bad), bad
