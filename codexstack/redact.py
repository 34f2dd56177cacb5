"""The one place secret values are hidden from text that leaves the process.

A secret is registered once (:func:`register`, usually by the code that reads it from the
environment) and from then on :func:`redact` replaces it, and the forms it commonly travels
in (base64 of the value and of ``user:value`` basic-auth pairs, URL-encoding), with ``***``
in any text: log records (once :func:`install_log_redaction` has run), error messages and
anything else printed. Values shorter than 6 characters are not registered: replacing them
would mangle ordinary text and they are no secrets worth the name.

Which variables hold secrets is decided here too (:func:`is_secret_name`: the known token and
key variables and every name that says so), so the CLI registers the process environment and
the config loader its env files and ``--vars`` the same way; :func:`install_stream_redaction`
then masks every line the process writes to stdout or stderr (hook output, engine messages,
errors), whatever printed it.
"""

from __future__ import annotations

import base64
import io
import logging
import re
import sys
import threading
import urllib.parse
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

MASK = "***"
_MIN_LENGTH = 6
# Basic-auth user names git and GitHub use with a token as the password.
_BASIC_USERS = ("x-access-token", "git", "oauth2", "token", "x-oauth-basic")

KNOWN_SECRETS = frozenset(
    {
        "CODEXCTL_GH_PAT",
        "CODEX_GH_PAT",
        "GH_TOKEN",
        "GITHUB_TOKEN",
        "OPENAI_API_KEY",
        "CONTEXT7_API_KEY",
        "PULUMI_CONFIG_PASSPHRASE",
        "PULUMI_ACCESS_TOKEN",
    }
)
SECRET_NAME = re.compile(
    r"(TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|PRIVATE|API_?KEY|ACCESS_KEY|_PAT$|_KEY$)"
)
SECRET_FILES = frozenset({"KUBECONFIG", "GOOGLE_APPLICATION_CREDENTIALS"})

_lock = threading.Lock()
_forms: set[str] = set()


def encoded_forms(secret: str) -> set[str]:
    """The secret and the encodings it is commonly found in (plain, base64, URL-encoded)."""
    raw = secret.encode()
    forms = {
        secret,
        urllib.parse.quote(secret, safe=""),
        urllib.parse.quote_plus(secret),
    }
    for data in (raw, *(f"{user}:{secret}".encode() for user in _BASIC_USERS)):
        for encoder in (base64.b64encode, base64.urlsafe_b64encode):
            text = encoder(data).decode()
            forms.add(text)
            forms.add(text.rstrip("="))
    return {form for form in forms if len(form) >= _MIN_LENGTH}


def register(*secrets: str | None) -> None:
    """Remember secret values; blank and very short values are ignored."""
    with _lock:
        for secret in secrets:
            if secret and len(secret.strip()) >= _MIN_LENGTH:
                _forms.update(encoded_forms(secret.strip()))


def is_secret_name(name: str) -> bool:
    """Whether a variable of this name is treated as holding a secret (or a secret file)."""
    upper = name.upper()
    return upper in KNOWN_SECRETS or upper in SECRET_FILES or bool(SECRET_NAME.search(upper))


def register_environment(env: Mapping[str, str]) -> None:
    """Register the value of every secret-named variable of ``env`` (files: their paths)."""
    register(*(value for name, value in env.items() if is_secret_name(name)))


def registered() -> Iterable[str]:
    """A snapshot of every form being masked (for tests)."""
    with _lock:
        return tuple(_forms)


def contains_secret(text: str) -> bool:
    """Whether ``text`` holds any registered secret form."""
    with _lock:
        forms = tuple(_forms)
    return any(form in text for form in forms)


def redact(text: str) -> str:
    """``text`` with every registered secret form replaced by ``***``, longest first."""
    with _lock:
        forms = sorted(_forms, key=len, reverse=True)
    for form in forms:
        if form in text:
            text = text.replace(form, MASK)
    return text


def _redact_record(record: logging.LogRecord) -> logging.LogRecord:
    message = record.getMessage()
    cleaned = redact(message)
    if cleaned != message:
        record.msg, record.args = cleaned, None
    if record.exc_info and record.exc_info[1] is not None:
        # The formatted traceback carries the exception text; keep it redacted too.
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        record.exc_info = None
    return record


_installed = False


def install_log_redaction() -> None:
    """Redact every log record of the process as it is created (idempotent).

    A record factory rather than a handler filter: it covers loggers and handlers that are
    configured later (PyGithub's, ``--debug``'s), and runs only for records that pass the
    level check, so it costs nothing when logging is quiet.
    """
    global _installed  # noqa: PLW0603 - one process-wide installation
    with _lock:
        if _installed:
            return
        _installed = True
        previous = logging.getLogRecordFactory()

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        return _redact_record(previous(*args, **kwargs))

    logging.setLogRecordFactory(factory)


class _RedactingStream(io.TextIOBase):
    """A text stream that masks registered secrets in everything written through it."""

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner

    def write(self, text: str) -> int:
        self.inner.write(redact(text))
        return len(text)

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.inner.encoding

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def install_stream_redaction() -> None:
    """Mask registered secrets in all later writes to ``sys.stdout`` and ``sys.stderr``."""
    if not isinstance(sys.stdout, _RedactingStream):
        sys.stdout = _RedactingStream(sys.stdout)
    if not isinstance(sys.stderr, _RedactingStream):
        sys.stderr = _RedactingStream(sys.stderr)
