"""Every line the CLI prints has the environment's secrets masked (issue 14, defect 3; S4).

A real ``codexstack`` process: a secret-named variable's value (and its base64 and URL-encoded
forms) reaches stdout through ``render`` and stderr through an error message, and must appear
in neither. Before, both printed the value as it was.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

CLI = Path(sys.executable).parent / "codexstack"
CANARY = "canary-Zq7-4f1e9b"

SERVICES = """\
project: demo
environments:
  dev: {}
services:
  - name: api
    manifests: [{path: api.yaml}]
"""
MANIFEST = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: api}
data:
  plain: '{{ envOr "DEMO_API_TOKEN" "" }}'
  b64: '{{ envOr "DEMO_B64" "" }}'
  url: '{{ envOr "DEMO_URL" "" }}'
"""


def forms() -> list[str]:
    return [
        CANARY,
        base64.b64encode(CANARY.encode()).decode(),
        urllib.parse.quote(f"{CANARY}/x", safe="").split("%2F")[0],
    ]


def test_render_and_errors_never_print_a_secret(tmp_path: Path) -> None:
    (tmp_path / "services.yaml").write_text(SERVICES)
    (tmp_path / "api.yaml").write_text(MANIFEST)
    env = {
        **os.environ,
        "DEMO_API_TOKEN": CANARY,
        "DEMO_B64": base64.b64encode(CANARY.encode()).decode(),
        "DEMO_URL": "https://x/?t=" + urllib.parse.quote(CANARY),
    }
    done = subprocess.run(
        [str(CLI), "render", "--env", "dev"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "plain: ***" in done.stdout
    failed = subprocess.run(
        [str(CLI), "render", "--env", "dev", "--namespace", CANARY],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert failed.returncode != 0
    assert "not a DNS-1123 label" in failed.stderr
    for text in (done.stdout, done.stderr, failed.stdout, failed.stderr):
        for form in forms():
            assert form not in text, (form, text)
