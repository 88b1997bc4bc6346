"""One open page in Chromium: what it does (console, requests) and what axe-core finds on it.

A :class:`Page` listens to its CDP session from before the first request, and to the sessions of
the workers and out-of-process frames it starts: console errors and warnings, uncaught
exceptions, the browser's own errors, and every request. A request that would leave the page's
own files (``file:``, ``data:``, ``blob:``, ``about:``) is recorded and refused (``Fetch.failRequest``),
so nothing reaches the network. :meth:`Page.audit` runs axe-core in an isolated JavaScript world,
so that the page's scripts (require.js, for one) neither see it nor disturb it. The results are
the frozen dataclasses below. tests/browser.py opens pages; tests/cdp.py is the protocol.
"""

from __future__ import annotations

import base64
import contextlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cdp import VIEWPORT, BrowserError, Connection

__all__ = ["AXE_TAGS", "AxeViolation", "ConsoleMessage", "Page", "PageAudit", "Request", "is_own"]

AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
OWN_SCHEMES = frozenset({"file", "data", "blob", "about"})
QUIET_SECONDS = 0.25  # no request in flight and no event for this long: the page has settled
SESSION_DOMAINS = (("Runtime.enable", {}), ("Log.enable", {}), ("Network.enable", {}),
                   ("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}))


@dataclass(frozen=True)
class ConsoleMessage:
    """A console error or warning: ``console.error``/``warn``, an uncaught exception, or the browser's own."""

    level: str  # "error" or "warning"
    source: str  # "console", "exception", or the browser's: "network", "javascript", "security", ...
    text: str
    url: str | None = None
    line: int | None = None  # 1-based

    def __str__(self) -> str:
        where = f" ({self.url}:{self.line})" if self.url and self.line else f" ({self.url})" if self.url else ""
        return f"[{self.level}/{self.source}] {self.text}{where}"


@dataclass(frozen=True)
class Request:
    """A request to an address outside the page's own files; the harness refused it."""

    url: str
    method: str
    resource_type: str  # CDP's: "Image", "Script", "Stylesheet", "Font", "Fetch", "XHR", "Document", ...


@dataclass(frozen=True)
class AxeViolation:
    """One failed axe-core rule and the elements that fail it."""

    id: str
    impact: str | None  # "minor", "moderate", "serious" or "critical"
    help: str
    wcag: tuple[str, ...]  # the rule's WCAG tags, e.g. ("wcag2a", "wcag111")
    nodes: int
    targets: tuple[str, ...]  # CSS selectors of the first five failing elements
    help_url: str

    def __str__(self) -> str:
        return f"{self.id} ({self.impact}; {self.nodes} element(s); {', '.join(self.wcag)}): {self.help}"


@dataclass(frozen=True)
class PageAudit:
    """What a reader's browser meets on one page."""

    url: str
    title: str | None  # None: no <title> element
    lang: str | None  # None: no lang attribute on <html>
    console: tuple[ConsoleMessage, ...]
    external_requests: tuple[Request, ...]
    violations: tuple[AxeViolation, ...]
    axe_version: str
    axe_passes: tuple[str, ...]  # rules that found elements to check and no violation: evidence that axe looked
    axe_incomplete: tuple[str, ...]  # rules axe could not decide ("needs review")
    screenshot: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)  # seconds: load, axe, screenshot, total

    @property
    def errors(self) -> tuple[ConsoleMessage, ...]:
        return tuple(m for m in self.console if m.level == "error")

    @property
    def warnings(self) -> tuple[ConsoleMessage, ...]:
        return tuple(m for m in self.console if m.level == "warning")

    @property
    def serious_violations(self) -> tuple[AxeViolation, ...]:
        return tuple(v for v in self.violations if v.impact in ("serious", "critical"))

    def summary(self) -> str:
        """A few lines for an assertion message or a test log."""
        lines = [self.url, f"  title={self.title!r} lang={self.lang!r}; axe {self.axe_version}: "
                 f"{len(self.violations)} violation(s), {len(self.axe_passes)} rule(s) passed"]
        lines += [f"  console {m}" for m in self.console]
        lines += [f"  external request {r.method} {r.url} ({r.resource_type})" for r in self.external_requests]
        lines += [f"  axe {v}" for v in self.violations]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["screenshot"] = str(self.screenshot) if self.screenshot else None
        return data


def is_own(url: str) -> bool:
    return urlsplit(url).scheme in OWN_SCHEMES


class Page:
    """One open tab. Records console errors and warnings and external requests while it is open."""

    def __init__(self, connection: Connection, target_id: str, axe_source: str) -> None:
        self._connection = connection
        self._target = target_id
        self._axe_source = axe_source
        self.url = "about:blank"
        self._console: list[ConsoleMessage] = []
        self._external: dict[tuple[str, str], Request] = {}  # (request id, url): a redirect is a new request
        self._external_ids: set[str] = set()
        self._pending: set[str] = set()
        self._last_event = time.monotonic()
        self._loaded = False
        self.session = connection.call("Target.attachToTarget", {"targetId": target_id, "flatten": True})["sessionId"]
        self._sessions = [self.session]
        connection.listeners[self.session] = self._on_event
        for method, params in (*SESSION_DOMAINS, ("Page.enable", {}),
                               ("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True,
                                                         "flatten": True}),
                               ("Emulation.setDeviceMetricsOverride",
                                {**VIEWPORT, "deviceScaleFactor": 1, "mobile": False})):
            self._call(method, params)

    def _call(self, method: str, params: dict[str, Any] | None = None, *, timeout: float = 30) -> dict[str, Any]:
        return self._connection.call(method, params, self.session, timeout=timeout)

    # -- events -------------------------------------------------------------------------------------

    def _on_event(self, method: str, params: dict[str, Any], session: str) -> None:
        self._last_event = time.monotonic()
        if method == "Fetch.requestPaused":
            request, paused = params["request"], params["requestId"]
            if is_own(request["url"]):
                self._connection.send("Fetch.continueRequest", {"requestId": paused}, session)
            else:
                self._record_external(params.get("networkId") or paused, request, params["resourceType"],
                                      final=False)
                self._connection.send("Fetch.failRequest", {"requestId": paused, "errorReason": "BlockedByClient"},
                                      session)
        elif method == "Network.requestWillBeSent":
            self._pending.add(params["requestId"])
            if not is_own(params["request"]["url"]):
                self._record_external(params["requestId"], params["request"], params.get("type", "Other"))
        elif method in ("Network.loadingFinished", "Network.loadingFailed"):
            self._pending.discard(params["requestId"])
        elif method == "Network.webSocketCreated":  # Fetch cannot intercept a WebSocket; it is a request all the same
            self._record_external(params["requestId"], {"url": params["url"]}, "WebSocket")
        elif method == "Page.loadEventFired" and session == self.session:
            self._loaded = True
        elif method == "Runtime.consoleAPICalled":
            self._on_console(params)
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            description = (details.get("exception") or {}).get("description") or ""
            text = f"{details.get('text', 'Uncaught')} {description.splitlines()[0] if description else ''}".strip()
            self._console.append(ConsoleMessage("error", "exception", text, details.get("url") or None,
                                                _line(details.get("lineNumber"))))
        elif method == "Log.entryAdded":
            self._on_log(params["entry"])
        elif method == "Target.attachedToTarget":  # a worker or an out-of-process frame: watch it the same way
            child = params["sessionId"]
            self._sessions.append(child)
            self._connection.listeners[child] = self._on_event
            for command, command_params in (*SESSION_DOMAINS, ("Runtime.runIfWaitingForDebugger", {})):
                self._connection.send(command, command_params, child)

    def _record_external(self, request_id: str, request: dict[str, Any], resource_type: str, *,
                         final: bool = True) -> None:
        # Fetch and Network both report a request (Fetch's networkId is Network's requestId), in either order:
        # record it once, with Network's resource type (Fetch calls a fetch() "XHR").
        key = (request_id, request["url"])
        if final or key not in self._external:
            self._external[key] = Request(request["url"], request.get("method", "GET"), resource_type)
        self._external_ids.add(request_id)

    def _on_console(self, params: dict[str, Any]) -> None:
        level = {"error": "error", "assert": "error", "warning": "warning"}.get(params["type"])
        if level is None:
            return
        text = " ".join(_remote_text(arg) for arg in params.get("args", []))
        if params["type"] == "assert":
            text = f"Assertion failed: {text}".strip()
        frame = ((params.get("stackTrace") or {}).get("callFrames") or [{}])[0]
        self._console.append(ConsoleMessage(level, "console", text, frame.get("url") or None,
                                            _line(frame.get("lineNumber"))))

    def _on_log(self, entry: dict[str, Any]) -> None:
        if entry["level"] not in ("error", "warning"):
            return
        # A refused request is reported once, as an external request, not again as a failed load; a worker's
        # console arrives from the worker's own session.
        refused = entry.get("networkRequestId") in self._external_ids or not is_own(entry.get("url") or "about:")
        if entry["source"] == "worker" or (entry["source"] == "network" and refused):
            return
        self._console.append(ConsoleMessage(entry["level"], entry["source"], entry["text"], entry.get("url") or None,
                                            _line(entry.get("lineNumber"))))

    # -- commands -----------------------------------------------------------------------------------

    def navigate(self, url: str, *, timeout: float = 30) -> None:
        """Load ``url``; return once the load event has fired and the page has settled."""
        self._loaded = False
        result = self._call("Page.navigate", {"url": url}, timeout=timeout)
        if result.get("errorText"):
            raise BrowserError(f"Could not open {url}: {result['errorText']}")
        self.url = url
        self._connection.wait(lambda: self._loaded, timeout, f"the load event of {url}")
        self.settle(timeout=timeout)

    def settle(self, *, timeout: float = 30) -> None:
        """Wait until nothing has happened for QUIET_SECONDS with no request in flight, fonts are ready, and a
        frame has been painted."""
        deadline = time.monotonic() + timeout
        while self._pending or time.monotonic() - self._last_event < QUIET_SECONDS:
            if time.monotonic() > deadline:
                raise BrowserError(f"{self.url} did not settle within {timeout} s; "
                                   f"{len(self._pending)} request(s) still in flight.")
            self._connection.pump(QUIET_SECONDS / 5)
        self.evaluate("document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => r(null))))",
                      timeout=timeout)

    def evaluate(self, expression: str, *, timeout: float = 30, context: int | None = None) -> Any:
        """The JSON value of a JavaScript expression in the page (a promise is awaited).

        Raises
        ------
        BrowserError
            The expression throws; the message carries the JavaScript error.
        """
        params: dict[str, Any] = {"expression": expression, "awaitPromise": True, "returnByValue": True}
        if context is not None:
            params["contextId"] = context
        result = self._call("Runtime.evaluate", params, timeout=timeout)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            message = (details.get("exception") or {}).get("description") or details.get("text")
            raise BrowserError(f"JavaScript failed in {self.url}: {message}")
        return result["result"].get("value")

    def call(self, function: str, *args: Any, timeout: float = 30) -> Any:
        """``function(...args)`` in the page, the arguments passed as JSON: ``page.call("(s) => ...", "#id")``."""
        return self.evaluate(f"({function})(...{json.dumps(list(args))})", timeout=timeout)

    def select(self, selector: str, value: str) -> None:
        """Choose ``value`` in the ``<select>`` at ``selector`` as a user would (input and change events), then
        let the page settle."""
        outcome = self.call("""(selector, value) => {
            const element = document.querySelector(selector);
            if (!element) return 'no element matches';
            if (![...element.options].some(option => option.value === value)) return 'it has no such option';
            element.value = value;
            element.dispatchEvent(new Event('input', {bubbles: true}));
            element.dispatchEvent(new Event('change', {bubbles: true}));
            return 'ok';
        }""", selector, value)
        if outcome != "ok":
            raise BrowserError(f"Cannot select {value!r} in {selector!r} on {self.url}: {outcome}.")
        self.settle()

    def count_visible(self, selector: str) -> int:
        """How many elements matching ``selector`` are rendered (not display:none, hidden or visibility:hidden)."""
        return self.call("(s) => [...document.querySelectorAll(s)]"
                         ".filter(e => e.checkVisibility({visibilityProperty: true})).length", selector)

    @property
    def console(self) -> tuple[ConsoleMessage, ...]:
        """Console errors and warnings so far."""
        return tuple(self._console)

    @property
    def external_requests(self) -> tuple[Request, ...]:
        """External requests so far (all refused)."""
        return tuple(self._external.values())

    def screenshot(self, path: Path) -> Path:
        """A PNG of the whole page, not only the viewport, at ``path``."""
        size = self._call("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": max(size["width"], VIEWPORT["width"]),
                "height": max(size["height"], VIEWPORT["height"]), "scale": 1}
        data = self._call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip},
                          timeout=60)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def audit(self, *, screenshot: Path | None = None, timeout: float = 60) -> PageAudit:
        """Run axe-core (in an isolated world) and collect what the page did so far."""
        timings = {}
        started = time.perf_counter()
        frame = self._call("Page.getFrameTree")["frameTree"]["frame"]["id"]
        world = self._call("Page.createIsolatedWorld", {"frameId": frame, "worldName": "workbench-axe"})
        context = world["executionContextId"]
        self.evaluate(self._axe_source + "\n;null", context=context, timeout=timeout)
        axe = self.evaluate(f"""axe.run(document, {{
                runOnly: {{type: 'tag', values: {json.dumps(AXE_TAGS)}}},
                resultTypes: ['violations'], iframes: false,
            }}).then(r => ({{
                version: axe.version,
                passes: r.passes.map(p => p.id),
                incomplete: r.incomplete.map(i => i.id),
                violations: r.violations.map(v => ({{
                    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, tags: v.tags,
                    nodes: v.nodes.length, targets: v.nodes.slice(0, 5).map(n => n.target.join(' '))}}))
            }}))""", context=context, timeout=timeout)
        timings["axe"] = time.perf_counter() - started
        head = self.evaluate("({title: document.querySelector('title') ? document.title : null, "
                             "lang: document.documentElement.getAttribute('lang')})")
        shot = None
        if screenshot is not None:
            started = time.perf_counter()
            shot = self.screenshot(Path(screenshot))
            timings["screenshot"] = time.perf_counter() - started
        violations = tuple(
            AxeViolation(v["id"], v["impact"], v["help"], tuple(t for t in v["tags"] if t.startswith("wcag")),
                         v["nodes"], tuple(v["targets"]), v["helpUrl"])
            for v in axe["violations"])
        return PageAudit(self.url, head["title"], head["lang"], self.console, self.external_requests, violations,
                         axe["version"], tuple(axe["passes"]), tuple(axe["incomplete"]), shot, timings)

    def close(self) -> None:
        with contextlib.suppress(BrowserError):
            self._connection.call("Target.closeTarget", {"targetId": self._target}, timeout=10)
        for session in self._sessions:
            self._connection.listeners.pop(session, None)


def _line(number: int | None) -> int | None:
    return None if number is None else number + 1


def _remote_text(arg: dict[str, Any]) -> str:
    if "value" in arg:
        return arg["value"] if isinstance(arg["value"], str) else json.dumps(arg["value"])
    return arg.get("unserializableValue") or arg.get("description") or arg.get("type", "")

