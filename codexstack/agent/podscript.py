"""The commands ``prompt run`` sends into the agent pod: fixed shell texts plus plain arguments.

Each step is ``sh -c <fixed script> sh <args…>``: the scripts are constants of this module and
every value travels as a positional argument, never spliced into shell text; the config and
the prompt travel on stdin, never in argv (D-CODEX-EXEC). A script reads exactly the announced
number of bytes from stdin (``head -c``), so end-of-input works on the v4 exec protocol too.
The workspace is ``$CODEXSTACK_WORKSPACE`` or ``/workspace``; codexstack's own files live in
``<workspace>/.codexstack/`` (kept out of git through ``.git/info/exclude``): the Codex home
(``codex/``: ``config.toml``, sessions — so a resumed run survives a pod restart), the last
session id and the agent's pid (for a remote stop). The ``codex`` CLI is the pinned version:
the one on ``PATH`` when it reports exactly that version, else ``npx --yes @openai/codex@<v>``.
Lines starting ``codexstack-step:`` on stderr report each set-up step to the caller.
"""

from __future__ import annotations

from collections.abc import Sequence

CODEX_CLI_VERSION = "0.169.0"
"""The ``@openai/codex`` version used unless ``codex.cliVersion`` pins another."""
STEP_PREFIX = "codexstack-step:"
SETUP_FAILED = 120
"""Exit status of a script whose own step failed (before the agent ran)."""

_COMMON = r"""
set -u
ws="${CODEXSTACK_WORKSPACE:-/workspace}"
state="$ws/.codexstack"
export CODEX_HOME="$state/codex"
step() { printf 'codexstack-step: %s\n' "$*" >&2; }
codex_cmd() {
  if command -v codex >/dev/null 2>&1 && [ "$(codex --version 2>/dev/null)" = "codex-cli $1" ]; then
    echo codex
  elif command -v npx >/dev/null 2>&1; then
    echo "npx --yes @openai/codex@$1"
  else
    return 1
  fi
}
"""

PREPARE = (
    _COMMON
    + r"""
# $1 config size in bytes, $2 codex version, $3 git user.name, $4 git user.email
umask 077
mkdir -p "$CODEX_HOME" || { step "config failed: cannot create $CODEX_HOME"; exit 120; }
head -c "$1" > "$CODEX_HOME/config.toml.new" || { step "config failed: write"; exit 120; }
got=$(wc -c < "$CODEX_HOME/config.toml.new")
if [ "$got" -ne "$1" ]; then step "config failed: got $got of $1 bytes"; exit 120; fi
mv "$CODEX_HOME/config.toml.new" "$CODEX_HOME/config.toml"
mkdir -p "$HOME/.codex" && cp "$CODEX_HOME/config.toml" "$HOME/.codex/config.toml"
step "config ok"
if [ -d "$ws/.git" ]; then
  grep -qx '/.codexstack/' "$ws/.git/info/exclude" 2>/dev/null \
    || printf '/.codexstack/\n' >> "$ws/.git/info/exclude"
fi
if command -v git >/dev/null 2>&1; then
  git config --global --get-all safe.directory 2>/dev/null | grep -qx "$ws" \
    || git config --global --add safe.directory "$ws"
  if git config --global user.name "$3" && git config --global user.email "$4"; then
    step "git ok"
  else
    step "git warn: setting the identity failed"
  fi
else
  step "git warn: git is not installed"
fi
pat="${CODEXCTL_GH_PAT:-${CODEX_GH_PAT:-}}"
if [ -z "$pat" ]; then
  step "gh skip: no CODEXCTL_GH_PAT in the pod"
elif ! command -v gh >/dev/null 2>&1; then
  step "gh warn: gh is not installed"
elif printf '%s' "$pat" | gh auth login --with-token >/dev/null 2>&1; then
  step "gh ok"
else
  step "gh warn: gh auth login failed"
fi
unset pat
if [ -z "${OPENAI_API_KEY:-}" ]; then
  step "codex-login skip: no OPENAI_API_KEY in the pod"
elif ! cmd=$(codex_cmd "$2"); then
  step "codex-login warn: neither codex $2 nor npx is installed"
elif printenv OPENAI_API_KEY | $cmd login --with-api-key >/dev/null 2>&1; then
  step "codex-login ok"
else
  step "codex-login warn: codex login failed"
fi
"""
)

RUN = (
    _COMMON
    + r"""
# $1 prompt size in bytes, $2 codex version; the rest: arguments of `codex`
size=$1 version=$2
shift 2
tmp=$(mktemp "${TMPDIR:-/tmp}/codexstack-prompt.XXXXXX") \
  || { step "prompt failed: mktemp"; exit 120; }
head -c "$size" > "$tmp"
got=$(wc -c < "$tmp")
if [ "$got" -ne "$size" ] || [ "$size" -eq 0 ]; then
  rm -f "$tmp"; step "prompt failed: got $got of $size bytes"; exit 120
fi
exec 0< "$tmp"
rm -f "$tmp"
cd "$ws" || { step "agent failed: no workspace $ws"; exit 120; }
cmd=$(codex_cmd "$version") \
  || { step "agent failed: neither codex $version nor npx is installed"; exit 127; }
mkdir -p "$state"
echo "$$" > "$state/agent.pid"
step "agent started"
exec $cmd "$@"
"""
)

STOP = (
    _COMMON
    + r"""
# $1 grace seconds before SIGKILL
pid=$(cat "$state/agent.pid" 2>/dev/null) || exit 0
kill -TERM "$pid" 2>/dev/null || exit 0
i=0
while kill -0 "$pid" 2>/dev/null && [ "$i" -lt "$1" ]; do sleep 1; i=$((i + 1)); done
kill -KILL "$pid" 2>/dev/null
exit 0
"""
)

SAVE_SESSION = (
    _COMMON
    + r"""
# $1 session id
mkdir -p "$state" && printf '%s\n' "$1" > "$state/session-id.new" \
  && mv "$state/session-id.new" "$state/session-id"
"""
)

READ_SESSION = (
    _COMMON
    + r"""
cat "$state/session-id" 2>/dev/null || exit 3
"""
)


def sh(script: str, *args: str) -> list[str]:
    """``sh -c <script> sh <args…>`` (``$0`` is ``sh``; the values are ``$1``…)."""
    return ["sh", "-c", script, "sh", *args]


def prepare(config_size: int, version: str, git_name: str, git_email: str) -> list[str]:
    """Install config.toml (on stdin), the git identity, and the gh and codex logins."""
    return sh(PREPARE, str(config_size), version, git_name, git_email)


def codex_exec_args(*, model: str, effort: str, resume_id: str = "") -> list[str]:
    """``codex`` arguments: ``exec --json`` in the workspace, prompt from stdin (``-``)."""
    args = ["exec", "--json", "--skip-git-repo-check", "--cd", "."]
    if model:
        args += ["-m", model]
    if effort:
        args += ["-c", f'model_reasoning_effort="{effort}"']
    if resume_id:
        args += ["resume", resume_id]
    return [*args, "-"]


def run(prompt_size: int, version: str, codex_args: Sequence[str]) -> list[str]:
    """Run the agent with the prompt (``prompt_size`` bytes on stdin); its status is ours."""
    return sh(RUN, str(prompt_size), version, *codex_args)


def stop(grace_seconds: int = 10) -> list[str]:
    """Stop a running agent: SIGTERM, then SIGKILL after ``grace_seconds``."""
    return sh(STOP, str(grace_seconds))


def save_session(session_id: str) -> list[str]:
    """Remember the session id on the workspace (``--resume`` uses it)."""
    return sh(SAVE_SESSION, session_id)


def read_session() -> list[str]:
    """Print the stored session id (exit 3 when there is none)."""
    return sh(READ_SESSION)
