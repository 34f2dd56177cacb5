"""The agent's JSONL event stream, read as it passes: session id, turns, tokens, last message.

``codex exec --json`` prints one JSON event per line (``thread.started`` with the session id,
``turn.started``/``turn.completed`` with token ``usage``/``turn.failed``, ``item.completed`` for
messages and commands). ``prompt run`` forwards every line to stdout unchanged and feeds it to
an :class:`EventTally` here, which keeps what the human summary and ``--resume`` need. Lines
that are not JSON objects are counted but otherwise ignored (older CLIs print some text).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

SESSION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
"""What a session id may look like before it is stored or passed back to ``resume``."""
_USAGE_KEYS = ("input_tokens", "cached_input_tokens", "output_tokens")


@dataclass
class EventTally:
    """Running totals over the event lines of one run."""

    session_id: str = ""
    turns: int = 0
    failed_turns: int = 0
    events: int = 0
    other_lines: int = 0
    tokens: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_USAGE_KEYS, 0))
    last_message: str = ""
    _partial: bytes = b""

    def feed(self, chunk: bytes) -> None:
        """Take a chunk of stdout (lines may span chunks)."""
        data = self._partial + chunk
        *lines, self._partial = data.split(b"\n")
        for line in lines:
            self.line(line.decode("utf-8", errors="replace"))

    def close(self) -> None:
        """Account for a last line without a newline."""
        if self._partial.strip():
            self.line(self._partial.decode("utf-8", errors="replace"))
        self._partial = b""

    def line(self, text: str) -> None:
        """Take one line."""
        if not text.strip():
            return
        try:
            event = json.loads(text)
        except json.JSONDecodeError:
            self.other_lines += 1
            return
        if not isinstance(event, dict):
            self.other_lines += 1
            return
        self.events += 1
        self._event(event)

    def _event(self, event: dict[str, object]) -> None:
        kind = event.get("type")
        if kind == "thread.started":
            candidate = str(event.get("thread_id", ""))
            if SESSION_ID.match(candidate):
                self.session_id = candidate
        elif kind == "turn.completed":
            self.turns += 1
            usage = event.get("usage")
            if isinstance(usage, dict):
                for key in _USAGE_KEYS:
                    value = usage.get(key)
                    if isinstance(value, int):
                        self.tokens[key] += value
        elif kind == "turn.failed":
            self.turns += 1
            self.failed_turns += 1
        elif kind == "item.completed":
            item = event.get("item")
            if isinstance(item, dict) and item.get("type") == "agent_message":
                self.last_message = str(item.get("text", ""))

    @property
    def has_usage(self) -> bool:
        """Whether any event carried token usage."""
        return any(self.tokens.values())
