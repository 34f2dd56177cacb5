"""Keep secret build-arg values out of every line codexstack shows or raises.

A value is masked in its plain form and in the encodings a tool may print it in (standard
and URL-safe base64, with and without padding, and percent-encoding), so that a builder
echoing a token, or an error quoting a URL with credentials, shows ``***`` instead.
Values shorter than four characters are not masked: they would blank out ordinary text.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

MASK = "***"


def _forms(value: str) -> set[str]:
    raw = value.encode()
    forms = {value, quote(value, safe=""), quote_plus(value)}
    for encoded in (base64.b64encode(raw), base64.urlsafe_b64encode(raw)):
        text = encoded.decode()
        forms.update({text, text.rstrip("=")})
    return {f for f in forms if len(f) >= 4}


class Redactor:
    """Replaces every known secret form in a text (longest forms first)."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        found: set[str] = set()
        for value in secrets:
            if value and len(value) >= 4:
                found |= _forms(value)
        self._forms = sorted(found, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for form in self._forms:
            if form in text:
                text = text.replace(form, MASK)
        return text

    def __bool__(self) -> bool:
        return bool(self._forms)
