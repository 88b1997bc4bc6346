"""Browser tests: what a reader's browser meets on a page, from one headless Chromium.

``audit_page(path)`` opens a page in a fresh browser context, lets it settle and returns a
:class:`PageAudit`: console errors and warnings (uncaught exceptions included), every request
that leaves the page's own files (``file:``, ``data:``, ``blob:``, ``about:``) -- each one refused,
so nothing reaches the network --, the axe-core violations for WCAG 2.0/2.1 A and AA, the
``<title>`` and ``<html lang>``, and on request a full-page PNG. ``open_page(path)`` gives a
:class:`Page` for interactions (``select``, ``count_visible``, ``call``, ``evaluate``).

The browser runs once per test session (the ``chromium`` fixture, or ``shared_browser()``);
every page gets its own browser context (no cookies, storage or cache shared between pages).
axe-core is read from ``node_modules`` (exact version pinned in package-lock.json, installed by
``make setup``). Why this stack: Debian's ``chromium`` (a test tool's own browser download cannot
run here) driven over the Chrome DevTools Protocol by a small standard-library client
(tests/cdp.py): no chromedriver to keep in step with the browser, no port, no Python dependency,
and CDP reports console messages, exceptions and requests from a page's first request on and can
refuse requests. What a page does and what axe finds: tests/browser_page.py.

Not seen: requests of service workers, DNS pre-fetches and pre-connects (no request is sent),
requests a page makes after the audit.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser_page import AXE_TAGS, AxeViolation, ConsoleMessage, Page, PageAudit, Request, is_own
from cdp import SKIP_VARIABLE, BrowserError, BrowserUnavailable, Chromium, find_chromium

__all__ = [
    "AXE_JS", "AXE_TAGS", "AxeViolation", "Browser", "BrowserError", "BrowserUnavailable", "ConsoleMessage",
    "Page", "PageAudit", "Request", "audit_page", "chromium", "close_shared_browser", "find_axe", "open_page",
    "shared_browser",
]

ROOT = Path(__file__).resolve().parents[1]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def find_axe() -> Path:
    """axe.min.js from node_modules, checked against the version package-lock.json pins.

    Raises
    ------
    BrowserUnavailable
        Not installed, or another version; the message says to run ``make setup``.
    """
    hint = "Run `make setup` (it runs `npm ci` from package-lock.json; needs Node.js and npm)."
    if not AXE_JS.is_file():
        raise BrowserUnavailable(f"axe-core is not installed: {AXE_JS} is missing. {hint}")
    pinned = json.loads((ROOT / "package-lock.json").read_text())["packages"]["node_modules/axe-core"]["version"]
    installed = json.loads((AXE_JS.parent / "package.json").read_text())["version"]
    if installed != pinned:
        raise BrowserUnavailable(f"node_modules has axe-core {installed}; package-lock.json pins {pinned}. {hint}")
    return AXE_JS


def _page_url(path_or_url: str | os.PathLike[str]) -> str:
    text = os.fspath(path_or_url)
    if "://" in text or text.startswith(("data:", "about:", "blob:")):
        if not is_own(text):
            raise ValueError(f"Pages are opened from their own files (file:, data:, about:); got {text!r}, "
                             "which the harness would refuse as an external request.")
        return text
    path = Path(text).resolve()
    if not path.is_file():
        raise FileNotFoundError(f"No page to open at {path}")
    return path.as_uri()


class Browser:
    """One headless Chromium with axe-core ready; open pages with :meth:`open_page`."""

    def __init__(self, executable: str | None = None) -> None:
        problems = []  # name everything that is missing at once
        try:
            executable = executable or find_chromium()
        except BrowserUnavailable as error:
            problems.append(str(error))
        try:
            self.axe_source = find_axe().read_text(encoding="utf-8")
        except BrowserUnavailable as error:
            problems.append(str(error))
        if problems:
            raise BrowserUnavailable("\n".join(problems))
        self.chromium = Chromium(executable)
        self.version = self.chromium.version
        self.startup_seconds = self.chromium.startup_seconds

    @property
    def running(self) -> bool:
        return self.chromium.running

    @contextlib.contextmanager
    def open_page(self, path_or_url: str | os.PathLike[str], *, timeout: float = 30) -> Iterator[Page]:
        """A page loaded in a fresh browser context and settled; closed on exit."""
        url = _page_url(path_or_url)
        connection = self.chromium.connection
        context = connection.call("Target.createBrowserContext")["browserContextId"]
        try:
            target = connection.call("Target.createTarget", {"url": "about:blank", "browserContextId": context})
            page = Page(connection, target["targetId"], self.axe_source)
            try:
                page.navigate(url, timeout=timeout)
                yield page
            finally:
                page.close()
        finally:
            connection.call("Target.disposeBrowserContext", {"browserContextId": context})

    def close(self) -> None:
        self.chromium.close()


_shared: Browser | None = None


def shared_browser() -> Browser:
    """The process's browser, started on first use and closed at exit.

    Raises
    ------
    BrowserUnavailable
        Chromium or axe-core is missing; the message says what to install.
    """
    global _shared
    if _shared is None or not _shared.running:
        _shared = Browser()
    return _shared


def close_shared_browser() -> None:
    global _shared
    if _shared is not None:
        _shared.close()
        _shared = None


atexit.register(close_shared_browser)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """The test session's browser. A missing Chromium or axe-core fails the test (with what to install), unless
    WORKBENCH_SKIP_BROWSER=1 says this machine has no browser."""
    if os.environ.get(SKIP_VARIABLE) == "1":
        pytest.skip(f"{SKIP_VARIABLE}=1: browser tests switched off on this machine")
    try:
        browser = shared_browser()
    except BrowserUnavailable as error:
        pytest.fail(str(error), pytrace=False)
    yield browser
    close_shared_browser()


@contextlib.contextmanager
def open_page(path_or_url: str | os.PathLike[str], *, browser: Browser | None = None,
              timeout: float = 30) -> Iterator[Page]:
    """A settled page in the shared browser (or ``browser``), for interactions; closed on exit."""
    with (browser or shared_browser()).open_page(path_or_url, timeout=timeout) as page:
        yield page


def audit_page(path_or_url: str | os.PathLike[str], *, screenshot: Path | None = None,
               browser: Browser | None = None, timeout: float = 60) -> PageAudit:
    """Open a page (a file path or a ``file:`` URL), let it settle and audit it: see :class:`PageAudit`."""
    started = time.perf_counter()
    with open_page(path_or_url, browser=browser, timeout=timeout) as page:
        loaded = time.perf_counter() - started
        audit = page.audit(screenshot=screenshot, timeout=timeout)
    audit.timings.update(load=loaded, total=time.perf_counter() - started)
    return audit
