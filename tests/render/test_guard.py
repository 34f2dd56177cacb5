"""The structure guard (battery S7): multi-line values may fill scalars, never add structure."""

from __future__ import annotations

from typing import Any

import pytest

from codexstack.errors import ConfigError
from codexstack.yamlio.guard import STAND_IN, check_structure, skeleton, stand_in

INJECTED = "x\nkind: ClusterRoleBinding"


def cm(**data: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": data}


def test_stand_in_replaces_only_multiline_values() -> None:
    assert stand_in("a\nb") == STAND_IN
    assert stand_in("a\rb") == STAND_IN
    assert stand_in("one line: ok") == "one line: ok"


def test_same_keys_different_values_pass() -> None:
    real = [cm(cert="line1\nline2\n")]
    check = [cm(cert="line1 line2")]
    check_structure(
        "m.yaml", "cert: |\n  line1\n  line2\n", real, check, {"CERT": "line1\nline2\n"}
    )


def test_an_added_key_is_refused_with_the_value_name_and_line() -> None:
    real_text = "data:\n  a: x\n  kind: ClusterRoleBinding\n"
    real = [cm(a="x", kind="ClusterRoleBinding")]
    check = [cm(a=STAND_IN)]
    with pytest.raises(ConfigError) as err:
        check_structure("m.yaml", real_text, real, check, {"EVIL": INJECTED, "OTHER": "p\nq"})
    loc = err.value.location
    assert loc is not None
    assert (loc.file, loc.line, loc.key) == ("m.yaml", 3, "EVIL")
    assert "data.kind" in str(err.value)


def test_an_added_document_is_refused() -> None:
    rb = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRoleBinding",
        "metadata": {"name": "pwn"},
    }
    with pytest.raises(ConfigError, match="2 documents instead of 1"):
        check_structure("m.yaml", "", [cm(a="x"), rb], [cm(a="x ---")], {"EVIL": "x\n---"})


def test_added_list_items_are_refused() -> None:
    real = [cm(items=["a", "b"])]
    check = [cm(items=["a b"])]
    with pytest.raises(ConfigError, match=r"items\[1\]"):
        check_structure("m.yaml", "", real, check, {"V": "a\nb"})


def test_skeleton_ignores_values_but_not_identity() -> None:
    assert skeleton([cm(a="1")]) == skeleton([cm(a="2")])
    other = cm(a="1")
    other["metadata"]["name"] = "d"
    assert skeleton([cm(a="1")]) != skeleton([other])
