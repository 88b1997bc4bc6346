"""A headless Chromium process and the Chrome DevTools Protocol (CDP) over its debugging pipe.

Chromium is Debian's ``chromium`` (a test tool's own browser download cannot run here), started
with ``--remote-debugging-pipe``: commands go in on the browser's fd 3, replies and events come
out on fd 4, each a JSON message ending in NUL. No chromedriver (whose version would have to match
the browser's), no port, no Python dependency. tests/browser.py builds page audits on top.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["CHROMIUM_FLAGS", "CHROMIUM_VARIABLE", "SKIP_VARIABLE", "BrowserError", "BrowserUnavailable",
           "Chromium", "Connection", "find_chromium"]

SKIP_VARIABLE = "WORKBENCH_SKIP_BROWSER"
CHROMIUM_VARIABLE = "WORKBENCH_CHROMIUM"
VIEWPORT = {"width": 1280, "height": 800}
# Without the first eight Chromium opens background connections that the closed network refuses (noise).
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--disable-extensions", "--disable-default-apps",
    "--no-default-browser-check", "--mute-audio", "--hide-scrollbars", "--lang=en-US",
    "--force-color-profile=srgb", f"--window-size={VIEWPORT['width']},{VIEWPORT['height']}",
)
INSTALL_HINT = (f"Install it with `apt-get install chromium` (Debian/Ubuntu; `.ci/run` does this in CI) or name "
                f"the binary in {CHROMIUM_VARIABLE}. On a machine without a browser, {SKIP_VARIABLE}=1 skips "
                f"the browser tests (CI never sets it).")


class BrowserError(RuntimeError):
    """Chromium failed, timed out, or answered a command with an error."""


class BrowserUnavailable(BrowserError):
    """Chromium or axe-core is not installed."""


def find_chromium() -> str:
    """The Chromium binary: ``$WORKBENCH_CHROMIUM``, else ``chromium`` on PATH.

    Raises
    ------
    BrowserUnavailable
        Not found; the message names the command and how to install it.
    """
    name = os.environ.get(CHROMIUM_VARIABLE) or "chromium"
    path = shutil.which(name)
    if path is None:
        raise BrowserUnavailable(f"The browser tests need the command `{name}`, which is not on PATH. {INSTALL_HINT}")
    return path


Listener = Callable[[str, dict[str, Any], str], None]


class Connection:
    """CDP messages over two pipes; events go to the listener registered for their session."""

    def __init__(self, to_browser: int, from_browser: int, describe_exit: Callable[[], str]) -> None:
        self._out, self._in = to_browser, from_browser
        self._describe_exit = describe_exit
        self._buffer = b""
        self._next_id = 0
        self._replies: dict[int, dict[str, Any]] = {}
        self._awaited: set[int] = set()
        self.listeners: dict[str, Listener] = {}

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> int:
        """Send a command without waiting for its reply (event handlers must not wait: no re-entrancy)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self._out, data):]
        except OSError as error:
            raise BrowserError(f"Chromium stopped reading commands ({error}). {self._describe_exit()}") from None
        return self._next_id

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             *, timeout: float = 30) -> dict[str, Any]:
        """Send a command and return its result, handling the events that arrive meanwhile."""
        ident = self.send(method, params, session)
        self._awaited.add(ident)
        try:
            self.wait(lambda: ident in self._replies, timeout, f"the reply to {method}")
        finally:
            self._awaited.discard(ident)
        reply = self._replies.pop(ident)
        if "error" in reply:
            error = reply["error"]
            raise BrowserError(f"{method} failed: {error.get('message')} {error.get('data', '')}".rstrip())
        return reply["result"]

    def wait(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        """Handle messages until ``condition()`` holds; BrowserError after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while not condition():
            if not self._receive(deadline - time.monotonic()):
                raise BrowserError(f"Timed out after {timeout} s waiting for {what}.")

    def pump(self, seconds: float) -> None:
        """Handle the messages that arrive within ``seconds``."""
        deadline = time.monotonic() + seconds
        while self._receive(deadline - time.monotonic()):
            pass

    def _receive(self, seconds: float) -> bool:
        """Handle one message; False if none arrived within ``seconds``."""
        while b"\0" not in self._buffer:
            if seconds <= 0 or not select.select([self._in], [], [], seconds)[0]:
                return False
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise BrowserError(f"Chromium closed the DevTools pipe. {self._describe_exit()}")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message = json.loads(raw)
        if "id" in message:
            if message["id"] in self._awaited:  # replies to fire-and-forget commands are dropped
                self._replies[message["id"]] = message
        elif (listener := self.listeners.get(message.get("sessionId", ""))) is not None:
            listener(message["method"], message.get("params", {}), message["sessionId"])
        return True


class Chromium:
    """One headless Chromium with a fresh profile in a temporary folder; :meth:`close` removes both."""

    def __init__(self, executable: str | None = None, *, timeout: float = 30) -> None:
        self.executable = executable or find_chromium()
        started = time.perf_counter()
        self.folder = Path(tempfile.mkdtemp(prefix="workbench-chromium-"))
        self.log_path = self.folder / "chromium.log"
        browser_reads, ours_to_browser = _pipe_above_ten()
        ours_from_browser, browser_writes = _pipe_above_ten()
        # Chromium reads the pipe on fds 3 and 4. bash puts it there (dash takes single-digit fds only)
        # instead of a preexec_fn, which is unsafe in a process with threads (papermill's kernel clients).
        script = f'exec "$0" "$@" 3<&{browser_reads} 4>&{browser_writes} {browser_reads}<&- {browser_writes}>&-'
        args = [shutil.which("bash") or "/bin/bash", "-c", script, self.executable, *CHROMIUM_FLAGS,
                f"--user-data-dir={self.folder / 'profile'}", "--remote-debugging-pipe", "about:blank"]
        with open(self.log_path, "wb") as log:
            self._process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                             pass_fds=(browser_reads, browser_writes), start_new_session=True)
        os.close(browser_reads)
        os.close(browser_writes)
        self._fds = (ours_to_browser, ours_from_browser)
        self.connection = Connection(ours_to_browser, ours_from_browser, self.describe_exit)
        try:
            self.version = self.connection.call("Browser.getVersion", timeout=timeout)["product"]
        except BrowserError:
            self.close()
            raise
        self.startup_seconds = time.perf_counter() - started

    @property
    def running(self) -> bool:
        return self._process.poll() is None

    def describe_exit(self) -> str:
        """Whether Chromium still runs, and the end of its log, for error messages."""
        code = self._process.poll()
        state = f"Chromium exited with code {code}" if code is not None else "Chromium is still running"
        try:
            tail = self.log_path.read_text(errors="replace").strip().splitlines()[-15:]
        except OSError:
            tail = []
        return f"{state}; the end of {self.log_path}:\n" + "\n".join(tail)

    def close(self) -> None:
        """Close Chromium (politely, then by force) and delete its profile."""
        if self.running:
            with contextlib.suppress(BrowserError):
                self.connection.call("Browser.close", timeout=5)
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self._process.pid, signal.SIGKILL)  # the group we started (start_new_session)
                self._process.wait(timeout=10)
        for fd in self._fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        self._fds = ()
        shutil.rmtree(self.folder, ignore_errors=True)


def _pipe_above_ten() -> tuple[int, int]:
    """A pipe whose fds are at least 10, so no redirection `3<&N 4>&M` can clobber the other end."""
    read, write = os.pipe()
    high = fcntl.fcntl(read, fcntl.F_DUPFD_CLOEXEC, 10), fcntl.fcntl(write, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(read)
    os.close(write)
    return high
