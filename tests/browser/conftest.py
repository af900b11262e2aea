"""Browser fixtures: Debian's Chromium driven by Playwright (STACK.md §3).

Fixtures: `browser` (one per test session), `page` (fresh context per test, all
non-loopback requests aborted so "works offline" is tested every time),
`dashboard_url` (the full tapescope dashboard served in-process, once per module),
`serve` (a factory: `with serve(callable_or_dict) as base_url:` for any Panel app),
and `screenshot(page, name)` saving into tests/browser/screenshots/.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.util import serve_in_thread

CHROMIUM = os.environ.get("TAPESCOPE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).parent / "screenshots"


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _is_local(url):
    return url.startswith(("file:", "data:", "blob:")) or \
        urlparse(url).hostname in ("127.0.0.1", "localhost")


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    tab.console_errors = []

    def route(request_route):
        """Loopback only, so every test also checks the page works offline; a blocked
        request is an error of its own, named by its address."""
        if _is_local(request_route.request.url):
            request_route.continue_()
        else:
            tab.console_errors.append(f"blocked external request: {request_route.request.url}")
            request_route.abort()

    def console(msg):
        # An aborted request is reported by the route above when it was external; a
        # loopback one aborted (not refused with a status) means the shared machine was
        # slow to answer, not that the page is wrong.
        if msg.type == "error" and "net::ERR_FAILED" not in msg.text:
            tab.console_errors.append(msg.text)

    context.route("**/*", route)
    tab.on("console", console)
    tab.on("pageerror", lambda exc: tab.console_errors.append(str(exc)))
    yield tab
    context.close()


@pytest.fixture
def serve():
    """Factory fixture: `with serve(app_callable) as base_url: ...`."""
    return serve_in_thread


@pytest.fixture(scope="module")
def dashboard_url():
    """The whole dashboard (graph lab + training lab), served once per test module: Panel
    falls back to a process-wide current document, so two servers in one process may
    serve each other's stylesheets, and only one runs at a time."""
    from app.main import build_apps
    with serve_in_thread(build_apps(device="cpu"), **_server_kwargs()) as base:
        yield base + "/"


def _server_kwargs():
    from app.main import server_kwargs
    return server_kwargs()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(exist_ok=True)

    def save(tab, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path
    return save
