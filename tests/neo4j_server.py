"""A Neo4j server of one's own, started with ``tests/neo4j-server/start``: for the tests
that stop, kill or restart a server, or read its files, and for the benchmarks.

Not a fixture module: the fault and erasure tests and ``bench/run.py`` import
:class:`Neo4jServer` from here. The shared test server (``NETMAP_TEST_NEO4J_URI``) is
never touched by it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Self

START = Path(__file__).resolve().parent / "neo4j-server" / "start"
URI_LINE = "NETMAP_TEST_NEO4J_URI="


class Neo4jServer:
    """One Neo4j process on 127.0.0.1, with its files in ``home`` (kept after a stop).

    ``heap`` is the JVM's heap (``2g``); ``settings`` are Neo4j settings
    (``{"server.memory.pagecache.size": "1g"}``). Start it again on the same ``home``
    and ``port`` to find the same data at the same address.
    """

    def __init__(
        self,
        home: Path | None = None,
        port: int | None = None,
        heap: str | None = None,
        settings: dict[str, str] | None = None,
        password: str = "netmap-test-password",
    ):
        self.home = Path(home or tempfile.mkdtemp(prefix="netmap-neo4j-"))
        self.port = port
        self.heap = heap
        self.settings = dict(settings or {})
        self.password = password
        self.process: subprocess.Popen | None = None
        self.uri: str | None = None
        self.log = self.home.parent / f"{self.home.name}.log"

    def start(self, timeout: float = 600) -> str:
        """Start the server; return its URI once Bolt answers (AssertionError if not)."""
        arguments = [str(START), "--home", str(self.home), "--password", self.password]
        if self.port:
            arguments += ["--port", str(self.port)]
        for key, value in self.settings.items():
            arguments += ["--setting", f"{key}={value}"]
        environment = dict(os.environ)
        if self.heap:
            environment["NETMAP_TEST_NEO4J_HEAP"] = self.heap
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                arguments,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                env=environment,
            )
        deadline = time.monotonic() + timeout
        assert self.process.stdout is not None
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if line.startswith(URI_LINE):
                self.uri = line[len(URI_LINE) :].strip()
                self.port = int(self.uri.rsplit(":", 1)[1])
                return self.uri
            if not line and self.process.poll() is not None:
                break
        self.stop(kill=True)
        raise AssertionError(f"the Neo4j server did not start:\n{self.log.read_text()[-3000:]}")

    @property
    def pid(self) -> int:
        assert self.process is not None, "not started"
        return self.process.pid

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, kill: bool = False, timeout: float = 120) -> None:
        """Stop the server: SIGTERM (a clean shutdown), or SIGKILL (a crash) with ``kill``."""
        if not self.running():
            return
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def peak_rss_mb(self) -> float:
        """The JVM's peak resident memory since start (or :meth:`reset_peak`), in MB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def reset_peak(self) -> None:
        """Start counting the peak resident memory afresh (Linux)."""
        try:
            Path(f"/proc/{self.pid}/clear_refs").write_text("5")
        except OSError:
            pass

    def files(self) -> list[Path]:
        """Every file the server keeps: store files, transaction logs, its own logs."""
        return [path for path in self.home.rglob("*") if path.is_file()]

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
