"""Keep secret values out of everything the process prints (issue 14, defect 3; battery S4).

The CLI calls :func:`protect_output` once at start: the values of the environment's secret-named
variables (tokens, keys, passwords, the state passphrase…) are registered with
:mod:`codexstack.redact`, and from then on every line written to stdout or stderr and every log
record has them, and their base64 and URL-encoded forms, masked. The config loader registers
the secret-named values of env files and ``--vars`` the same way when it reads them.
"""

from __future__ import annotations

from collections.abc import Mapping

from codexstack import redact


def protect_output(environ: Mapping[str, str]) -> None:
    """Register ``environ``'s secrets and mask them in stdout, stderr and logs from now on."""
    redact.register_environment(environ)
    redact.install_log_redaction()
    redact.install_stream_redaction()
