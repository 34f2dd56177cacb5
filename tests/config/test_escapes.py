"""README-style ``\\"`` inside actions (§3.2): fixed where Go would reject, untouched elsewhere."""

from __future__ import annotations

import pytest

from codexstack.config.escapes import unescape_readme_actions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'local: "{{ envOr \\"REGISTRY_HOST\\" \\"r.local:32000\\" }}/busybox"\n',
            'local: "{{ envOr "REGISTRY_HOST" "r.local:32000" }}/busybox"\n',
        ),
        (
            'tag: "{{ printf \\"%s-%s\\" .Env (index .Versions \\"app\\") }}"',
            'tag: "{{ printf "%s-%s" .Env (index .Versions "app") }}"',
        ),
        # a YAML-escaped backslash inside the action becomes one backslash
        ('x: "{{ printf \\"a\\\\\\"b\\" }}"', 'x: "{{ printf "a\\"b" }}"'),
    ],
)
def test_escaped_actions_are_unescaped(text: str, expected: str) -> None:
    assert unescape_readme_actions(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        'plain: text with \\" but no action\n',
        'ok: \'{{ envOr "A" "b" }}\'\n',
        # \" inside a Go string literal is Go's own escape
        'lit: \'{{ printf "say \\"hi\\"" }}\'\n',
        "raw: '{{ `a\\\"b` }}'\n",
        "c: '{{/* a \\\" comment */}}'\n",
        'outside: "\\"" {{ .Env }}\n',
    ],
)
def test_valid_go_actions_are_untouched(text: str) -> None:
    assert unescape_readme_actions(text) == text


def test_only_the_escaped_action_changes() -> None:
    text = 'a: \'{{ "x" }}\'\nb: "{{ envOr \\"K\\" \\"d\\" }}"\nc: \'{{ "\\"" }}\'\n'
    out = unescape_readme_actions(text).splitlines()
    assert out[0] == "a: '{{ \"x\" }}'"
    assert out[1] == 'b: "{{ envOr "K" "d" }}"'
    assert out[2] == 'c: \'{{ "\\"" }}\''
