"""Where the GitHub token, repository and API base come from, and the client's tuning knobs.

Token chain (codexctl §9.1): ``CODEXCTL_GH_PAT`` → ``GH_TOKEN`` → ``GITHUB_TOKEN``, with the
≤0.8 name ``CODEX_GH_PAT`` last. Repository chain: the ``--repo`` value → ``CODEXCTL_REPO``
→ ``GITHUB_REPOSITORY``, always ``owner/name``. The API base is ``GITHUB_API_URL`` (GitHub
Enterprise, Actions, and the tests' stand-in), else PyGithub's default. Every token found is
registered with :mod:`codexstack.redact` at once, so no later log line or error can show it.

Knobs (seconds): ``CODEXSTACK_GITHUB_WAIT`` how long rate limits and outages may be waited out
in total (default 300), ``CODEXSTACK_GITHUB_TIMEOUT`` per HTTP request (default 30),
``CODEXSTACK_GITHUB_THROTTLE`` pause between requests (default 0.25; writes wait 4x that,
as GitHub asks of integrations; 0 turns it off).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from codexstack.errors import ConfigError
from codexstack.github.errors import MissingAccess
from codexstack.redact import register

TOKEN_CHAIN = ("CODEXCTL_GH_PAT", "GH_TOKEN", "GITHUB_TOKEN", "CODEX_GH_PAT")
REPO_CHAIN = ("CODEXCTL_REPO", "GITHUB_REPOSITORY")
_REPO_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")


@dataclass(frozen=True)
class Access:
    """What a GitHub client needs: the token (never printed), the repository, the API base."""

    repo: str
    token: str = field(repr=False)
    api_url: str | None = None
    wait_budget: float = 300.0
    timeout: float = 30.0
    throttle: float = 0.25

    @property
    def owner(self) -> str:
        return self.repo.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.repo.split("/", 1)[1]


def _first(env: Mapping[str, str], names: tuple[str, ...]) -> tuple[str, str]:
    for name in names:
        value = env.get(name, "").strip()
        if value:
            return name, value
    return "", ""


def find_token(env: Mapping[str, str] | None = None) -> str:
    """The first non-blank token of the chain, registered for redaction; '' when none."""
    _, token = _first(os.environ if env is None else env, TOKEN_CHAIN)
    register(token)
    return token


def find_repo(flag: str | None, env: Mapping[str, str] | None = None) -> str:
    """The repository from ``--repo`` or the chain; '' when none; bad syntax is an error."""
    source, repo = ("--repo", flag.strip()) if flag and flag.strip() else ("", "")
    if not repo:
        source, repo = _first(os.environ if env is None else env, REPO_CHAIN)
    if repo and not _REPO_RE.match(repo):
        raise ConfigError(f"{source}: repository must be owner/name, got {repo!r}")
    return repo


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(f"{name}: expected a number of seconds, got {text!r}") from None
    if value < 0:
        raise ConfigError(f"{name}: must not be negative, got {text!r}")
    return value


def resolve_access(repo_flag: str | None = None, env: Mapping[str, str] | None = None) -> Access:
    """The :class:`Access` of this process; a missing token or repository is a clear error."""
    env = os.environ if env is None else env
    token = find_token(env)
    if not token:
        raise MissingAccess(
            "no GitHub token: set CODEXCTL_GH_PAT, GH_TOKEN or GITHUB_TOKEN",
            hint="in a workflow: env: CODEXCTL_GH_PAT: ${{ secrets.CODEXCTL_GH_PAT }}",
        )
    repo = find_repo(repo_flag, env)
    if not repo:
        raise MissingAccess(
            "no repository: pass --repo owner/name or set CODEXCTL_REPO or GITHUB_REPOSITORY"
        )
    api_url = env.get("GITHUB_API_URL", "").strip().rstrip("/") or None
    return Access(
        repo=repo,
        token=token,
        api_url=api_url,
        wait_budget=_seconds(env, "CODEXSTACK_GITHUB_WAIT", 300.0),
        timeout=_seconds(env, "CODEXSTACK_GITHUB_TIMEOUT", 30.0),
        throttle=_seconds(env, "CODEXSTACK_GITHUB_THROTTLE", 0.25),
    )
