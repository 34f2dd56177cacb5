# Shared set-up for the project's scripts: a pinned uv, the locked virtualenv, and the
# environment every Pulumi run needs. Sourced, not executed. Everything is cached and
# idempotent: a warm call costs well under a second.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${CODEXSTACK_CACHE:-$HOME/.cache/codexstack}"
UV_VERSION="0.13.9"
UV_DIR="$CACHE/uv/$UV_VERSION"

say() { printf '==> %s\n' "$*" >&2; }

ensure_uv() {
  if [ ! -x "$UV_DIR/bin/uv" ]; then
    say "installing uv $UV_VERSION into $UV_DIR"
    mkdir -p "$UV_DIR"
    # The real interpreter, not a pyenv shim: a shim's rehash after pip can hang on a stale lock.
    local py
    py=$(python3 -c 'import sys; print(sys.executable)')
    "$py" -m pip install --quiet --disable-pip-version-check --target "$UV_DIR/lib" "uv==$UV_VERSION"
    mkdir -p "$UV_DIR/bin"
    ln -sf "$UV_DIR/lib/bin/uv" "$UV_DIR/bin/uv"
  fi
  export PATH="$UV_DIR/bin:$PATH"
}

ensure_venv() {
  ensure_uv
  # --frozen: install exactly uv.lock, never re-resolve. Bytecode is compiled at install
  # time because machines that set PYTHONDONTWRITEBYTECODE would otherwise recompile every
  # module on every run: that alone is ~80 ms of each `codexstack` start (--help 190 -> 110 ms).
  # A warm call skips what is already compiled.
  (cd "$ROOT" && uv sync --frozen --quiet --compile-bytecode)
  PYTHONDONTWRITEBYTECODE='' "$ROOT/.venv/bin/python" -m compileall -q -j 0 \
    "$ROOT/codexstack" "$ROOT/cli" >/dev/null
  export PATH="$ROOT/.venv/bin:$PATH"
}

ensure_engine() {
  # Pulumi CLI, Kubernetes provider and local-cluster binaries, built from Go modules.
  "$ROOT/scripts/engine"
  # shellcheck disable=SC1091
  if [ -f "$CACHE/bin/env.sh" ]; then . "$CACHE/bin/env.sh"; fi
}

ensure_image_tools() {
  # dockerd, docker-registry and busybox-static from Debian (apt-get, only when missing).
  "$ROOT/scripts/image-tools"
}

export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_SKIP_UPDATE_CHECK=true
