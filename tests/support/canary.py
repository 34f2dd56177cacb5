"""Canary secrets for battery S4: a value, every form it may leak in, and where to look.

``Canary()`` makes a fresh secret-looking value; ``forms`` are the value, its base64 (with and
without padding, with a trailing newline as ``echo | base64`` makes it, URL-safe) and its
URL-encoded forms. ``ArgvSampler`` reads every process's ``/proc/<pid>/cmdline`` in a thread
while a run goes on (a secret in argv is visible to every user of the machine).
``assert_nowhere`` checks named texts and files and says which form was found where.
"""

from __future__ import annotations

import base64
import secrets
import threading
import time
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType


@dataclass(frozen=True)
class Canary:
    """A secret value that must appear nowhere, in any of its common forms."""

    value: str = field(default_factory=lambda: f"cnry-{secrets.token_hex(6)}+S4/z=")

    @property
    def forms(self) -> list[str]:
        raw = self.value.encode()
        found = {
            self.value,
            urllib.parse.quote(self.value, safe=""),
            urllib.parse.quote_plus(self.value),
        }
        for data in (raw, raw + b"\n"):
            for encode in (base64.b64encode, base64.urlsafe_b64encode):
                text = encode(data).decode()
                found |= {text, text.rstrip("=")}
        return sorted(found, key=len, reverse=True)

    def assert_nowhere(self, places: Mapping[str, str], files: Iterable[Path] = ()) -> None:
        """Fail naming the form and the place when any form is in any text or file."""
        texts = dict(places)
        for path in files:
            if path.is_file():
                texts[str(path)] = path.read_bytes().decode(errors="replace")
        for form in self.forms:
            for place, text in texts.items():
                assert form not in text, f"canary form {form!r} found in {place}"


class ArgvSampler:
    """Samples every process's command line every ``interval`` s while the block runs."""

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self.seen: set[str] = set()
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="argv-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for entry in Path("/proc").iterdir():
                if entry.name.isdigit():
                    try:
                        raw = (entry / "cmdline").read_bytes()
                    except OSError:
                        continue
                    self.seen.add(raw.replace(b"\0", b" ").decode(errors="replace"))
            self.samples += 1
            time.sleep(self.interval)

    def __enter__(self) -> ArgvSampler:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def text(self) -> str:
        return "\n".join(sorted(self.seen))
