"""Git smart-HTTP through ``git http-backend``: ``/git/<owner>/<name>.git/...``.

The handler has already checked HTTP Basic auth (any user name, a valid token as the
password, like GitHub); the authenticated login becomes ``REMOTE_USER``, which
``http-backend`` needs before it accepts a push.
"""

from __future__ import annotations

import os
import subprocess
import urllib.parse
from pathlib import Path
from typing import Any


def serve(
    handler: Any, git_root: Path, parsed: urllib.parse.SplitResult, body: bytes, login: str
) -> tuple[int, dict[str, str], bytes]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "GIT_PROJECT_ROOT": str(git_root),
        "GIT_HTTP_EXPORT_ALL": "1",
        "PATH_INFO": parsed.path.removeprefix("/git"),
        "QUERY_STRING": parsed.query,
        "REQUEST_METHOD": handler.command,
        "CONTENT_TYPE": handler.headers.get("Content-Type", ""),
        "CONTENT_LENGTH": str(len(body)),
        "REMOTE_USER": login,
        "REMOTE_ADDR": "127.0.0.1",
        "GIT_HTTP_MAX_REQUEST_BUFFER": "100M",
    }
    for header in ("Content-Encoding", "Git-Protocol"):
        value = handler.headers.get(header)
        if value:
            env["HTTP_" + header.upper().replace("-", "_")] = value
    done = subprocess.run(
        ["git", "http-backend"], input=body, env=env, capture_output=True, check=False
    )
    head, _, out = done.stdout.partition(b"\r\n\r\n")
    if not _:
        head, _, out = done.stdout.partition(b"\n\n")
    status = 200
    headers: dict[str, str] = {}
    for line in head.decode("latin-1").splitlines():
        name, _, value = line.partition(":")
        if name.lower() == "status":
            status = int(value.strip().split()[0])
        elif name:
            headers[name.strip()] = value.strip()
    if done.returncode != 0 and status == 200:
        return 500, {"Content-Type": "text/plain"}, done.stderr
    return status, headers, out
