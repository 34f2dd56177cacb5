"""gRPC's late "Exception calling application" about an engine that already exited is dropped
(also once codexstack.redact has turned its traceback into text); every other record of that
logger still gets through."""

from __future__ import annotations

import logging
import sys

import grpc
import pytest

from codexstack.deploy.workspace import ENGINE_GONE


def _as_grpc_logs(exc: BaseException) -> logging.LogRecord:
    """The record grpc._server writes when a handler raised ``exc`` (its _LOGGER.exception)."""
    try:
        raise exc
    except BaseException:
        info = sys.exc_info()
    details = f"Exception calling application: {exc}"
    return logging.LogRecord("grpc._server", logging.ERROR, __file__, 1, details, (), info)


def _engine_gone() -> grpc.RpcError:
    """A real UNAVAILABLE from a unary call to a port nothing listens on (the exited engine)."""
    with grpc.insecure_channel("127.0.0.1:1") as channel:
        call = channel.unary_unary("/pulumirpc.Engine/Log")
        try:
            call(b"", timeout=5)
        except grpc.RpcError as exc:
            return exc
    pytest.fail("a call to a closed port answered")


def test_the_exited_engine_report_is_dropped() -> None:
    exc = _engine_gone()
    assert exc.code() == grpc.StatusCode.UNAVAILABLE
    record = _as_grpc_logs(exc)
    assert ENGINE_GONE.filter(record) is False
    record.exc_text, record.exc_info = "Traceback ...", None  # as codexstack.redact leaves it
    assert ENGINE_GONE.filter(record) is False


def test_other_records_pass() -> None:
    assert ENGINE_GONE.filter(_as_grpc_logs(RuntimeError("a real handler bug"))) is True
    plain = logging.LogRecord("grpc._server", logging.WARNING, __file__, 1, "no exc", (), None)
    assert ENGINE_GONE.filter(plain) is True
