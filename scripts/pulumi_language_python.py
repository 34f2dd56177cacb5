"""A stand-in for Pulumi's Go ``pulumi-language-python`` host, for plain ``pulumi up``.

The Go module of the real host is not served by the module proxy this project can reach (see
codexstack/cluster/versions.env), and the pulumi CLI needs a language host to run a project on
disk. This one speaks the same LanguageRuntime gRPC protocol using the stubs that ship in the
``pulumi`` Python SDK, and runs programs exactly as the Go host does: it starts the SDK's own
``pulumi-language-python-exec`` (copied from the sdk Go module by scripts/engine) with the
project's virtualenv Python, passing config through ``PULUMI_CONFIG`` and the engine, monitor,
project, stack and flags as arguments. Plugins are not pre-computed (``GetRequiredPackages``
answers empty), so the engine loads each provider when the program first registers it, as it
does for inline Automation API programs. scripts/engine installs it beside the pulumi binary,
behind a small shell wrapper that picks a Python with the SDK installed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from concurrent import futures
from importlib import metadata
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import json_format
from pulumi.runtime.proto import language_pb2, language_pb2_grpc, plugin_pb2

EXEC = Path(__file__).with_name("pulumi-language-python-exec")
# The exec script's way of saying "I already showed the user an actionable error".
BAIL_EXIT_CODE = 32
MAX_MESSAGE = 400 * 1024 * 1024  # the Go host's limit; large programs send big config


def _program_python(info: Any) -> str:
    """The project's virtualenv Python (runtime option ``virtualenv``) or our own."""
    options: dict[str, Any] = {}
    if info.HasField("options"):
        options = json_format.MessageToDict(info.options)
    venv = options.get("virtualenv")
    if venv:
        root = Path(info.root_directory or os.getcwd())
        candidate = (root / venv).resolve() / "bin" / "python"
        if candidate.exists():
            return str(candidate)
    return sys.executable


class LanguageHost(language_pb2_grpc.LanguageRuntimeServicer):
    """The LanguageRuntime calls the engine makes during preview, up, refresh and destroy."""

    def __init__(self, engine_address: str) -> None:
        self.engine_address = engine_address

    def Handshake(self, request: Any, context: Any) -> Any:
        return language_pb2.LanguageHandshakeResponse()

    def GetPluginInfo(self, request: Any, context: Any) -> Any:
        return plugin_pb2.PluginInfo(version=metadata.version("pulumi"))

    def GetRequiredPlugins(self, request: Any, context: Any) -> Any:
        return language_pb2.GetRequiredPluginsResponse()

    def GetRequiredPackages(self, request: Any, context: Any) -> Any:
        return language_pb2.GetRequiredPackagesResponse()

    def Run(self, request: Any, context: Any) -> Any:
        info = request.info
        argv = [
            _program_python(info),
            "-u",
            str(EXEC),
            f"--monitor={request.monitor_address}",
            f"--engine={self.engine_address}",
            f"--project={request.project}",
            f"--stack={request.stack}",
            f"--pwd={request.pwd}",
            f"--dry_run={'true' if request.dryRun else 'false'}",
            f"--parallel={request.parallel}",
            f"--organization={request.organization}",
            f"--root_directory={info.root_directory or request.pwd}",
            request.program or ".",
            *request.args,
        ]
        env = dict(os.environ)
        env["PULUMI_CONFIG"] = json.dumps(dict(request.config))
        env["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(list(request.configSecretKeys))
        # The program's output is the user's output: let it through unchanged.
        code = subprocess.run(argv, env=env, cwd=request.pwd or None, check=False).returncode
        if code == 0:
            return language_pb2.RunResponse()
        if code == BAIL_EXIT_CODE:
            return language_pb2.RunResponse(bail=True)
        return language_pb2.RunResponse(error=f"Program exited with non-zero exit code: {code}")


def main(argv: list[str]) -> int:
    """Serve on a loopback port and announce it on stdout, as every Pulumi plugin does."""
    positional = [arg for arg in argv if not arg.startswith("-")]
    engine_address = positional[-1] if positional else ""
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=4),
        options=[
            ("grpc.max_receive_message_length", MAX_MESSAGE),
            ("grpc.max_send_message_length", MAX_MESSAGE),
        ],
    )
    language_pb2_grpc.add_LanguageRuntimeServicer_to_server(LanguageHost(engine_address), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(port, flush=True)
    # The engine ends plugins with SIGINT (or SIGTERM): that is a normal shutdown, not an error.
    signal.signal(signal.SIGTERM, lambda *_: server.stop(0))
    try:
        server.wait_for_termination()
    except KeyboardInterrupt:
        server.stop(0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
