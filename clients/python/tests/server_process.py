"""The real ``swinserve serve`` the conformance runner starts (once per test session, and a
second one with a TLS config for the ``tls`` case) from the SWINSERVE_CONFORMANCE_* environment,
on port 0 with a port file; stopped with SIGTERM (SIGKILL after 10 s). Only the processes started
here are ever signalled."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

ENVIRONMENT = (
    "SWINSERVE_CONFORMANCE_SERVE",
    "SWINSERVE_CONFORMANCE_REPOSITORY",
    "SWINSERVE_CONFORMANCE_EXPECTED",
    "SWINSERVE_CONFORMANCE_TLS_CONFIG",
    "SWINSERVE_CONFORMANCE_TLS_CA",
    "SWINSERVE_CONFORMANCE_TLS_CLIENT_CERT",
    "SWINSERVE_CONFORMANCE_TLS_CLIENT_KEY",
)

HOW_TO_SET = (
    "the conformance runner needs {missing}; set, for example:\n"
    "  export SWINSERVE_CONFORMANCE_SERVE=/path/to/serve.sh   (runs `swinserve serve` with its args)\n"
    "  export SWINSERVE_CONFORMANCE_REPOSITORY=/path/to/model-repository\n"
    "  export SWINSERVE_CONFORMANCE_EXPECTED=/path/to/expected.json\n"
    "(mvn verify in the interop module prepares and sets them; see clients/python/README.md)"
)


def missing_environment() -> list[str]:
    return [name for name in ENVIRONMENT if not os.environ.get(name)]


class ServerProcess:
    def __init__(
        self,
        serve: str,
        repository: str,
        ready_within_s: float,
        extra_args: tuple[str, ...] = (),
    ) -> None:
        self.serve = serve
        self.repository = repository
        self.ready_within_s = ready_within_s
        self._extra_args = extra_args
        self._folder = Path(tempfile.mkdtemp(prefix="swinserve-conformance-"))
        self.log = self._folder / "server.log"
        self._process: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, port: int = 0) -> None:
        port_file = self._folder / "port"
        port_file.unlink(missing_ok=True)
        with open(self.log, "ab") as log:
            self._process = subprocess.Popen(
                [
                    self.serve,
                    "--model-repository", self.repository,
                    "--host", "127.0.0.1",
                    "--port", str(port),
                    "--port-file", str(port_file),
                    *self._extra_args,
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        ready_by = time.monotonic() + self.ready_within_s
        while time.monotonic() < ready_by:
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"the server exited with {self._process.returncode}; log: {self.log}"
                )
            text = port_file.read_text().strip() if port_file.exists() else ""
            if text.isdigit():
                self.port = int(text)
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the server was not ready within {self.ready_within_s} s; log: {self.log}")

    def kill(self) -> None:
        """SIGKILL, as the stream_restart case asks, and waits for the process to end."""
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGKILL)
            self._process.wait()

    def restart_same_port(self) -> None:
        self.kill()
        self.start(self.port)

    def stop(self) -> None:
        process = self._process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
