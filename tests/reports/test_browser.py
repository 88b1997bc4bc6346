"""Report pages in a real browser: no console errors, no request leaving the page's own files,
WCAG 2.1 A/AA by axe-core, a language and a title that names the report.

CHECKS holds every check as it must hold. SWITCHED_ON lists those the pages pass and must keep
passing. The others are known defects of the page template (PENDING says which and why); they run
too, each failure is shown as a PendingCheck warning, and a pending check that starts to pass fails
the test until it is moved to SWITCHED_ON. Set WORKBENCH_BROWSER_ARTIFACTS to a folder to keep
each page's audit (JSON) and full-page screenshot.
"""

import dataclasses
import json
import os
import warnings
from pathlib import Path

import pytest

import browser
from browser import AxeViolation, ConsoleMessage, PageAudit, Request
from workbench import reports

# Each report with parameters that keep its build quick.
PAGES = {
    "01_metrics_and_margins": {"coverage_ns": [20, 50], "group_keys": ["area"]},
}

HEADING = """(() => {
    const heading = document.querySelector('h1');
    if (!heading) return null;
    const copy = heading.cloneNode(true);
    copy.querySelectorAll('.anchor-link').forEach(link => link.remove());  // nbconvert's pilcrow links
    return copy.textContent.trim();
})()"""


def _title_names_the_report(audit, heading):
    if heading and audit.title and heading in audit.title:
        return []
    return [f"<title> is {audit.title!r}; it should contain the page's <h1>, {heading!r}"]


# check -> the problems it finds on a page (none: it passes)
CHECKS = {
    "no_console_errors": lambda audit, heading: [str(m) for m in audit.errors],
    "no_external_requests": lambda audit, heading: [f"{r.method} {r.url} ({r.resource_type})"
                                                    for r in audit.external_requests],
    "no_serious_axe_violations": lambda audit, heading: [str(v) for v in audit.serious_violations],
    "no_axe_violations": lambda audit, heading: [str(v) for v in audit.violations],
    "html_lang": lambda audit, heading: [] if audit.lang else ["<html> has no lang attribute"],
    "title_names_the_report": _title_names_the_report,
}
# To switch a check on, move it from PENDING to SWITCHED_ON.
SWITCHED_ON = ("no_console_errors", "no_serious_axe_violations", "no_axe_violations", "html_lang")
PENDING = {
    "no_external_requests": "nbconvert's lab template loads require.js and MathJax from cdnjs.cloudflare.com",
    "title_names_the_report": "nbconvert's lab template titles every page 'Notebook'",
}


class PendingCheck(UserWarning):
    """A report-page check that is not switched on yet, and fails."""


def test_every_check_is_switched_on_or_pending_with_a_reason():
    assert set(SWITCHED_ON) | set(PENDING) == set(CHECKS)
    assert not set(SWITCHED_ON) & set(PENDING)
    assert all(reason.strip() for reason in PENDING.values())


def _audit(**changes):
    clean = PageAudit(url="file:///report.html", title="Margins: how precise? - workbench", lang="en", console=(),
                      external_requests=(), violations=(), axe_version="4.14.1", axe_passes=("image-alt",),
                      axe_incomplete=())
    return dataclasses.replace(clean, **changes)


def _violation(impact):
    return AxeViolation("image-alt", impact, "Images must have alternative text", ("wcag2a", "wcag111"), 1, ("img",),
                        "https://dequeuniversity.com/rules/axe/4.14/image-alt")


def test_each_check_passes_a_clean_page_and_finds_its_problem():
    heading = "Margins: how precise?"
    warning = ConsoleMessage("warning", "console", "careful")
    assert {check: find(_audit(console=(warning,)), heading) for check, find in CHECKS.items()} == {
        check: [] for check in CHECKS}
    faults = {
        "no_console_errors": {"console": (warning, ConsoleMessage("error", "exception", "Uncaught Error: boom"))},
        "no_external_requests": {"external_requests": (Request("https://cdn.example.org/x.js", "GET", "Script"),)},
        "no_serious_axe_violations": {"violations": (_violation("serious"),)},
        "no_axe_violations": {"violations": (_violation("minor"),)},
        "html_lang": {"lang": None},
        "title_names_the_report": {"title": "Notebook"},
    }
    assert set(faults) == set(CHECKS)
    for check, fault in faults.items():
        assert len(CHECKS[check](_audit(**fault), heading)) == 1, check
    assert CHECKS["no_serious_axe_violations"](_audit(violations=(_violation("moderate"),)), heading) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", PAGES)
def test_report_page_in_a_browser(chromium, name, tmp_path, monkeypatch):
    # conftest's MPLBACKEND=Agg would reach the report's kernel and replace the inline backend: no figures.
    monkeypatch.delenv("MPLBACKEND", raising=False)
    html, _ = reports.run_report(name, PAGES[name], out=tmp_path / "out")
    keep = os.environ.get("WORKBENCH_BROWSER_ARTIFACTS")
    folder = Path(keep) if keep else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    with browser.open_page(html, browser=chromium) as page:
        heading = page.evaluate(HEADING)
        page_images = page.count_visible("img")
        audit = page.audit(screenshot=folder / f"{name}.png")
    (folder / f"{name}.audit.json").write_text(json.dumps(audit.to_dict(), indent=2), encoding="utf-8")
    print(audit.summary())  # shown with -s or on failure: the violations and requests of this build

    problems = {check: find(audit, heading) for check, find in CHECKS.items()}
    for check, reason in PENDING.items():
        if problems[check]:
            warnings.warn(PendingCheck(f"{name}: check {check!r} is pending ({reason}) and fails: "
                                       + "; ".join(problems[check])), stacklevel=1)
    failed = {check: problems[check] for check in SWITCHED_ON if problems[check]}
    assert not failed, f"{name} fails switched-on checks:\n" + "\n".join(
        f"  {check}: {problem}" for check, found in failed.items() for problem in found)
    now_passing = [check for check in PENDING if not problems[check]]
    assert not now_passing, (f"{name} now passes the pending check(s) {now_passing}: move them from PENDING to "
                             f"SWITCHED_ON in {__name__} so that they stay passed")
    assert heading and page_images >= 1  # the page rendered, with its heading and figures
