"""Shared test helpers: free ports, polling, serving Panel apps for browser tests.

`serve_in_thread` runs `pn.serve` in a background thread of the test process (fast,
lets a test inspect server-side objects). `serve_subprocess` runs a command such as
`python -m app serve --no-show --port P` and waits for the port (tests the real CLI).
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout: float = 10.0, interval: float = 0.05, page=None):
    """Poll `predicate` until truthy; with a Playwright page, poll via its clock so
    the browser keeps processing events while we wait."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as exc:  # the predicate may race with the page
            last_error = exc
        if page is not None:
            page.wait_for_timeout(interval * 1000)
        else:
            time.sleep(interval)
    raise TimeoutError(f"condition not met within {timeout}s (last error: {last_error!r})")


def wait_for_http(url: str, timeout: float = 30.0) -> None:
    def answers():
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    wait_until(answers, timeout=timeout, interval=0.1)


@contextlib.contextmanager
def serve_in_thread(apps, port: int | None = None, **kwargs):
    """Serve `apps` (a callable or {slug: callable}) with Panel in a thread.

    Yields the base URL ("http://127.0.0.1:PORT"). Each browser page gets a fresh
    session because callables are served, never shared instances.
    """
    import panel as pn

    port = port or free_port()
    origins = [f"127.0.0.1:{port}", f"localhost:{port}"]
    server = pn.serve(apps, port=port, address="127.0.0.1", websocket_origin=origins,
                      show=False, threaded=True, verbose=False, liveness=True, **kwargs)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/liveness")
        yield base
    finally:
        server.stop()
        server.join(timeout=30)  # its sessions are destroyed before the next server starts


@contextlib.contextmanager
def serve_subprocess(args: list[str], port: int, timeout: float = 60.0):
    """Run `python ARGS...` from the repo root and wait until PORT answers HTTP."""
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    # A file, not a pipe: a chatty server must never block on a full pipe buffer.
    log = tempfile.TemporaryFile(mode="w+")
    proc = subprocess.Popen([sys.executable, *args], cwd=REPO_ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, text=True)
    proc.log = log
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"server exited early:\n{log.read()}")
            try:
                with urllib.request.urlopen(base + "/", timeout=2):
                    break
            except Exception:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{base} did not answer within {timeout}s")
                time.sleep(0.2)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
