"""Real SPARQL servers for the tests and benchmarks: an Oxigraph server process on 127.0.0.1, stopped by its PID."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` server binary of the PyPI package ``oxigraph`` (beside this Python, or on PATH)."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def oxigraph_server(location: Path, *, union: bool = True) -> Iterator[str]:
    """Run ``oxigraph serve`` on a free loopback port for the block; yields its base URL (``http://127.0.0.1:N``)."""
    binary = oxigraph_binary()
    if binary is None:
        raise FileNotFoundError("the oxigraph server is not installed: pip install 'oxigraph>=0.5,<0.6'")
    port = free_port()
    command = [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command + (["--union-default-graph"] if union else []),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process, "oxigraph serve")
        yield base
    finally:
        stop_process(process, 10)


def wait_until_up(base: str, process: subprocess.Popen, what: str, seconds: float = 20.0) -> None:
    """Wait until the SPARQL server ``process`` (``what`` names it in errors) answers an ASK at ``base``/query;
    RuntimeError when it exits first or is not up within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read() if process.stderr is not None else ""
            err = err.decode(errors="replace") if isinstance(err, bytes) else err
            raise RuntimeError(f"{what} exited: {err[-500:]}")
        try:
            with urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not answer at {base} within {seconds:g} s")


def stop_process(process: subprocess.Popen, seconds: float) -> None:
    """Stop a server: SIGTERM, then SIGKILL if it has not exited within ``seconds``."""
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
