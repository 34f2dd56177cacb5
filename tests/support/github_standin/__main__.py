"""``python -m tests.support.github_standin``: the stand-in as a separate process."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from . import start


def main() -> int:
    parser = argparse.ArgumentParser(prog="github_standin", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--state-file", type=Path, help="JSON seed (see state.py)")
    parser.add_argument("--dump-file", type=Path, help="where to write the state at exit")
    parser.add_argument("--git-root", type=Path, help="bare repos as <owner>/<name>.git")
    args = parser.parse_args()
    seed = json.loads(args.state_file.read_text()) if args.state_file else {}
    git_root = args.git_root or Path(tempfile.mkdtemp(prefix="github-standin-git-"))
    server = start(seed, git_root, args.port)
    print(server.url, flush=True)
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    stop.wait()
    server.stop()
    if args.dump_file:
        args.dump_file.write_text(json.dumps(server.state.snapshot(), indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
