"""Real git in a slot's source tree: check out, stage, commit and push with a safe token path.

The token never goes into a remote URL, an argument list or ``.git/config``: :func:`push`
gives git a throw-away ``GIT_ASKPASS`` script that prints the token from the push process's
own environment, disables credential helpers for that one command (so no helper stores it)
and disables hooks (a hook in the agent's tree would otherwise see that environment). No other
git command gets any secret variable, and a push whose URL the tree's config rewrites
(``url.*.insteadOf``, ``pushurl``) is refused, so the token cannot be sent elsewhere. What
gets staged is a list of ``git add`` arguments: ``-u`` (tracked files), ``-A`` (everything
not ignored) or paths; missing paths are warnings, as in codexctl. Every error text is
redacted.
"""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from codexstack.errors import CodexstackError, ConfigError, ToolMissingError
from codexstack.redact import is_secret_name, redact

DEFAULT_STAGE = ("-u", "docs", "proto", "services", "libs")
_SAFE_GIT = ("-c", "core.hooksPath=/dev/null", "-c", "credential.helper=")
_ASKPASS = """#!/bin/sh
case "$1" in
  Username*) printf '%s\\n' "${CODEXSTACK_GIT_USER:-x-access-token}" ;;
  *) printf '%s\\n' "$CODEXSTACK_GIT_TOKEN" ;;
esac
"""


class GitError(CodexstackError):
    """A git command failed; the message holds its redacted output."""


def parse_stage(text: str | None) -> tuple[str, ...]:
    """``git add`` arguments from a comma or space list; blank gives codexctl's set."""
    items = tuple(part for part in (text or "").replace(",", " ").split() if part)
    for item in items:
        if item.startswith("-") and item not in ("-u", "-A"):
            raise ConfigError(f"stage list: only -u, -A and paths are allowed, got {item!r}")
        if item.startswith("/") or ".." in Path(item).parts:
            raise ConfigError(f"stage list: paths must stay inside the tree, got {item!r}")
    return items or DEFAULT_STAGE


class Git:
    """git commands in one work tree, output captured, errors redacted."""

    def __init__(self, workdir: Path, env: Mapping[str, str] | None = None) -> None:
        self.workdir = workdir
        # No secret of this process reaches git: a filter or other command the tree's own
        # config names would run with this environment (the token is given to the push only).
        base = {k: v for k, v in os.environ.items() if not is_secret_name(k)}
        self.env = {**base, **(env or {}), "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}

    def run(
        self, *args: str, extra_env: Mapping[str, str] | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        try:
            done = subprocess.run(
                ["git", *_SAFE_GIT, *args],
                cwd=self.workdir,
                env={**self.env, **(extra_env or {})},
                capture_output=True,
                text=True,
                check=False,
            )
        except FileNotFoundError:
            raise ToolMissingError("git is not installed", hint="apt-get install git") from None
        if check and done.returncode != 0:
            text = (done.stderr or done.stdout).strip()
            raise GitError(redact(f"git {args[0]} failed ({done.returncode}): {text}"))
        return done

    def current_branch(self) -> str:
        return self.run("rev-parse", "--abbrev-ref", "HEAD").stdout.strip()

    def checkout(self, branch: str) -> None:
        if self.current_branch() != branch:
            self.run("checkout", branch, "--")

    def stage(self, items: Sequence[str], warn: Callable[[str], None]) -> None:
        for item in items:
            if item in ("-u", "-A"):
                self.run("add", item)
            elif not (self.workdir / item).exists():
                warn(f"git add {item}: no such path in {self.workdir}; skipped")
            else:
                self.run("add", "--", item)

    def has_staged(self) -> bool:
        return self.run("diff", "--cached", "--quiet", check=False).returncode == 1

    def commit(self, message: str, name: str, email: str) -> str:
        identity = {
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
        }
        self.run("commit", "--no-verify", "-m", message, extra_env=identity)
        return self.run("rev-parse", "HEAD").stdout.strip()

    def push(self, remote: str, branch: str, token: str) -> None:
        """Push ``branch`` to the same name on ``remote``, the token fed by askpass."""
        ref = f"refs/heads/{branch}"
        configured = self.run("config", "--get", f"remote.{remote}.url", check=False).stdout
        effective = self.run("remote", "get-url", "--push", remote).stdout
        if not configured.strip() or effective.strip() != configured.strip():
            raise GitError(
                redact(
                    f"the push URL of {remote!r} is rewritten ({effective.strip()!r} instead of "
                    f"{configured.strip()!r}: url.*.insteadOf or pushurl); not sending the token"
                )
            )
        with _askpass() as script:
            self.run(
                "push",
                "--no-verify",
                remote,
                f"{ref}:{ref}",
                extra_env={"GIT_ASKPASS": str(script), "CODEXSTACK_GIT_TOKEN": token},
            )


@contextmanager
def _askpass() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="codexstack-askpass-") as tmp:
        script = Path(tmp) / "askpass.sh"
        script.write_text(_ASKPASS, encoding="utf-8")
        script.chmod(stat.S_IRWXU)
        yield script


def describe(items: Sequence[str]) -> str:
    """The stage list as a shell-like string for messages."""
    return " ".join(shlex.quote(item) for item in items)
