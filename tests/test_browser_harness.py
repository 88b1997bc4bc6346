"""The browser harness (tests/browser.py) on small pages whose faults are known: it must report each
fault, and nothing on a clean page."""

import http.server
import os
import struct
import subprocess
import sys
import textwrap
import threading

import pytest

import browser
from browser import AxeViolation, ConsoleMessage, Request
from conftest import ROOT

# A 1x1 transparent GIF: a real image that needs no file and no network.
PIXEL = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


def _page(folder, name, body, *, head="<title>A test page</title>", lang=' lang="en"'):
    path = folder / f"{name}.html"
    path.write_text(f'<!DOCTYPE html>\n<html{lang}>\n<head><meta charset="utf-8">{head}</head>\n'
                    f"<body>\n<main>\n<h1>{name}</h1>\n{body}\n</main>\n</body>\n</html>\n", encoding="utf-8")
    return path


CLEAN_BODY = f"""<p>Three units, filtered by area.</p>
<img src="{PIXEL}" alt="A transparent pixel">
<label for="area">Area</label>
<select id="area"><option value="all">All areas</option><option value="north">North</option>
<option value="south">South</option></select>
<ul><li class="unit" data-area="north">Kainuu</li><li class="unit" data-area="south">Helsinki</li>
<li class="unit" data-area="north">Lappi</li></ul>
<div style="height: 2000px">A tall block, so that the page is longer than the viewport.</div>
<script>
document.getElementById('area').addEventListener('change', event => {{
  for (const unit of document.querySelectorAll('.unit'))
    unit.hidden = event.target.value !== 'all' && unit.dataset.area !== event.target.value;
}});
</script>"""


def _png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_clean_page_reports_nothing(chromium, tmp_path):
    page = _page(tmp_path, "clean", CLEAN_BODY)
    audit = browser.audit_page(page, screenshot=tmp_path / "clean.png", browser=chromium)
    assert audit.console == ()
    assert audit.external_requests == ()
    assert audit.violations == ()
    assert (audit.title, audit.lang) == ("A test page", "en")
    assert {"image-alt", "color-contrast", "html-has-lang", "document-title"} <= set(audit.axe_passes)  # axe looked
    assert audit.axe_version == "4.14.1"
    width, height = _png_size(audit.screenshot)
    assert width == 1280 and height > 2000  # the whole page, not the 800 px viewport


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        self.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_external_requests_are_reported_and_refused(chromium, tmp_path):
    server = http.server.HTTPServer(("127.0.0.1", 0), _CountingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    loopback = f"http://127.0.0.1:{server.server_address[1]}/counted.png"
    try:
        page = _page(tmp_path, "external", f'<img src="http://example.com/x.png" alt="An external image">\n'
                                           f'<img src="{loopback}" alt="A loopback image">\n'
                                           f'<script>fetch("https://api.example.net/data").catch(() => null);</script>')
        audit = browser.audit_page(page, browser=chromium)
    finally:
        server.shutdown()
        server.server_close()
    assert sorted(audit.external_requests, key=lambda r: r.url) == sorted([
        Request("http://example.com/x.png", "GET", "Image"),
        Request(loopback, "GET", "Image"),
        Request("https://api.example.net/data", "GET", "Fetch"),
    ], key=lambda r: r.url)
    assert _CountingHandler.hits == []  # refused in the browser: nothing reached even a server that was there
    assert audit.console == ()  # a refused load is reported once, as an external request
    assert audit.violations == ()


def test_console_errors_warnings_and_exceptions_are_reported(chromium, tmp_path):
    body = ('<script>console.error("boom", 42); console.warn("careful"); console.log("fine"); '
            'console.info("fine too");</script>\n'
            '<script>throw new TypeError("not caught");</script>\n'
            '<img src="missing.png" alt="A local image that is missing">')
    page = _page(tmp_path, "console", body)
    audit = browser.audit_page(page, browser=chromium)
    url = page.as_uri()
    assert sorted(audit.console, key=str) == sorted([
        ConsoleMessage("error", "console", "boom 42", url, 7),  # line 7: the first <script> (see _page)
        ConsoleMessage("warning", "console", "careful", url, 7),
        ConsoleMessage("error", "exception", "Uncaught TypeError: not caught", url, 8),
        ConsoleMessage("error", "network", "Failed to load resource: net::ERR_FILE_NOT_FOUND",
                       (tmp_path / "missing.png").as_uri()),
    ], key=str)
    assert [m.text for m in audit.errors] == [m.text for m in audit.console if m.level == "error"]
    assert audit.external_requests == () and audit.violations == ()


def test_axe_violations_are_reported_with_impact_rule_and_wcag_tags(chromium, tmp_path):
    body = (f'<img src="{PIXEL}">\n'
            '<p style="color: #b0b0b0; background: #ffffff">Pale grey text on white.</p>')
    audit = browser.audit_page(_page(tmp_path, "inaccessible", body), browser=chromium)
    by_rule = {v.id: v for v in audit.violations}
    assert sorted(by_rule) == ["color-contrast", "image-alt"]
    image, contrast = by_rule["image-alt"], by_rule["color-contrast"]
    assert (image.impact, image.nodes, image.targets) == ("critical", 1, ("img",))
    assert {"wcag2a", "wcag111"} <= set(image.wcag)
    assert (contrast.impact, contrast.nodes, contrast.targets) == ("serious", 1, ("p",))
    assert {"wcag2aa", "wcag143"} <= set(contrast.wcag)
    assert audit.serious_violations == tuple(v for v in audit.violations)  # both serious or worse
    assert isinstance(image, AxeViolation) and image.help_url.startswith("https://dequeuniversity.com/rules/axe/")
    assert audit.console == () and audit.external_requests == ()


def test_missing_title_and_lang_are_reported(chromium, tmp_path):
    audit = browser.audit_page(_page(tmp_path, "bare", "<p>No title, no language.</p>", head="", lang=""),
                               browser=chromium)
    assert (audit.title, audit.lang) == (None, None)
    assert sorted(v.id for v in audit.violations) == ["document-title", "html-has-lang"]


def test_interaction_changes_a_select_and_reads_back_the_dom(chromium, tmp_path):
    with browser.open_page(_page(tmp_path, "filter", CLEAN_BODY), browser=chromium) as page:
        assert page.count_visible(".unit") == 3
        page.select("#area", "north")
        assert page.count_visible(".unit") == 2
        assert page.call("(s) => document.querySelector(s).textContent", ".unit:not([hidden])") == "Kainuu"
        page.select("#area", "all")
        assert page.count_visible(".unit") == 3
        with pytest.raises(browser.BrowserError, match=r"Cannot select 'east' in '#area' .*: it has no such option"):
            page.select("#area", "east")
        with pytest.raises(browser.BrowserError, match=r"JavaScript failed in file:.*ReferenceError: nothing"):
            page.evaluate("nothing.here")
        assert page.console == ()


def test_only_the_pages_own_files_are_opened(chromium, tmp_path):
    with pytest.raises(ValueError, match=r"got 'https://example.com/', which the harness would refuse"):
        browser.audit_page("https://example.com/", browser=chromium)
    with pytest.raises(FileNotFoundError, match=r"No page to open at .*absent\.html"):
        browser.audit_page(tmp_path / "absent.html", browser=chromium)


def test_missing_axe_core_names_the_fix(monkeypatch, tmp_path):
    monkeypatch.setattr(browser, "AXE_JS", tmp_path / "axe.min.js")
    with pytest.raises(browser.BrowserUnavailable, match=r"axe-core is not installed: .* Run `make setup`"):
        browser.find_axe()


USES_BROWSER = """
from browser import chromium  # noqa: F401

def test_uses_the_browser(chromium):
    assert chromium.running
"""


def _run_pytest(tmp_path, **environment):
    (tmp_path / "test_uses_browser.py").write_text(textwrap.dedent(USES_BROWSER))
    env = {k: v for k, v in os.environ.items() if k not in ("WORKBENCH_SKIP_BROWSER", "WORKBENCH_CHROMIUM")}
    env.update(environment, PYTHONPATH=str(ROOT / "tests"), PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "-c", os.devnull,
                           "--rootdir", str(tmp_path), str(tmp_path)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


def test_missing_chromium_fails_the_browser_tests_naming_the_command(tmp_path):
    run = _run_pytest(tmp_path, WORKBENCH_CHROMIUM="chromium-not-installed-here")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 error" in run.stdout
    assert ("The browser tests need the command `chromium-not-installed-here`, which is not on PATH. "
            "Install it with `apt-get install chromium`") in run.stdout


def test_the_skip_variable_skips_the_browser_tests(tmp_path):
    run = _run_pytest(tmp_path, WORKBENCH_SKIP_BROWSER="1", WORKBENCH_CHROMIUM="chromium-not-installed-here")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 skipped" in run.stdout and "WORKBENCH_SKIP_BROWSER=1: browser tests switched off" in run.stdout
