"""Secret values and secret file paths that must never reach a prompt, a log or our output.

A prompt, the config summary and the run's human output are scrubbed with one
:class:`Scrubber`, built from the environment the run can see (which names hold secrets is
:func:`codexstack.redact.is_secret_name`): the known token and key variables
(``CODEXCTL_GH_PAT``, ``GH_TOKEN``, ``GITHUB_TOKEN``, ``OPENAI_API_KEY``, …), every variable
whose name says it holds a secret (``*TOKEN*``, ``*SECRET*``, ``*PASSWORD*``, ``*_KEY``, …),
and the paths of secret files (``*_FILE`` variables of such names, ``KUBECONFIG``). Each value
is matched raw and in its base64 and URL-encoded forms (battery S4, S8). Short values (under six
characters) are not secrets worth the false positives, and are left alone.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from codexstack.redact import encoded_forms, is_secret_name

MIN_LENGTH = 6
MASK = "[redacted]"


def _forms(value: str) -> set[str]:
    """The value's common encodings, plus base64 of the value with a newline (``echo | base64``)."""
    extra = base64.b64encode(value.encode() + b"\n").decode().rstrip("=")
    return {f for f in (*encoded_forms(value), extra) if len(f) >= MIN_LENGTH}


@dataclass(frozen=True)
class Scrubber:
    """Replaces every known secret (and its encodings) with ``[redacted]``."""

    needles: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, *envs: Mapping[str, str], extra: Iterable[str] = ()) -> Scrubber:
        """Secrets named by any of ``envs`` plus ``extra`` values (e.g. resolved envRefs)."""
        values = [v for env in envs for k, v in env.items() if is_secret_name(k)]
        return cls.of([*values, *extra])

    @classmethod
    def of(cls, values: Iterable[str]) -> Scrubber:
        """A scrubber for exactly these values."""
        needles: set[str] = set()
        for raw in values:
            value = raw.strip()
            if len(value) >= MIN_LENGTH:
                needles |= _forms(value)
        # Longest first, so a value is masked whole before any shorter form inside it.
        return cls(tuple(sorted(needles, key=lambda n: (-len(n), n))))

    def __call__(self, text: str) -> str:
        for needle in self.needles:
            if needle in text:
                text = text.replace(needle, MASK)
        return text

    def found(self, text: str) -> bool:
        """Whether ``text`` still contains any secret."""
        return any(needle in text for needle in self.needles)
