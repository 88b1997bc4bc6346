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
import re
import time
import warnings
from pathlib import Path

import pytest

import browser
from browser import AxeViolation, ConsoleMessage, PageAudit, Request
from workbench import reports

# Every report, with parameters that keep its build quick, and two in the other languages.
PAGES = {
    "00_metric_framework": {},
    "01_metrics_and_margins": {"coverage_ns": [20, 50], "group_keys": ["area"]},
    "01_metrics_and_margins-fi": {"coverage_ns": [20, 50], "language": "fi", "metric": "csat", "confidence": 0.9},
    "02_sample_size_planning": {},
    "03_volume_weighting": {"margins": ["age_group"]},
    "04_benchmarks_and_targets": {},
    "05_harmonization_review-sv": {"language": "sv"},
    "06_open_feedback": {},
    "07_sending_plan": {},
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
SWITCHED_ON = ("no_console_errors", "no_external_requests", "no_serious_axe_violations", "no_axe_violations",
               "html_lang", "title_names_the_report")
PENDING: dict[str, str] = {}


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


def _artifacts(tmp_path: Path) -> Path:
    keep = os.environ.get("WORKBENCH_BROWSER_ARTIFACTS")
    folder = Path(keep) if keep else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _check(name: str, audit: PageAudit, heading: str | None) -> None:
    """Every switched-on check passes; pending ones warn, and fail once they pass."""
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


@pytest.mark.slow
@pytest.mark.parametrize("page_name", PAGES)
def test_report_page_in_a_browser(chromium, page_name, tmp_path, monkeypatch):
    # conftest's MPLBACKEND=Agg would reach the report's kernel and replace the inline backend: no figures.
    monkeypatch.delenv("MPLBACKEND", raising=False)
    name = page_name.split("-")[0]
    parameters = PAGES[page_name]
    html, _ = reports.run_report(name, parameters, out=tmp_path / "out")
    folder = _artifacts(tmp_path)
    with browser.open_page(html, browser=chromium) as page:
        heading = page.evaluate(HEADING)
        page_images = page.count_visible("img")
        alt_texts = page.evaluate("Array.from(document.images).map(i => i.alt)")
        text = page.evaluate("document.body.innerText")
        audit = page.audit(screenshot=folder / f"{page_name}.png")
    (folder / f"{page_name}.audit.json").write_text(json.dumps(audit.to_dict(), indent=2), encoding="utf-8")
    print(audit.summary())  # shown with -s or on failure: the violations and requests of this build
    _check(page_name, audit, heading)
    assert heading and page_images >= 1  # the page rendered, with its heading and figures
    assert audit.lang == parameters.get("language", "en")
    assert all(alt and "No description" not in alt for alt in alt_texts), alt_texts
    if "confidence" in parameters:  # issue 14: the coverage section said "A 95 % interval" at any level
        level = f"{parameters['confidence']:.0%}".replace("%", "")
        assert re.search(rf"\b{level}\s?%", text) and not re.search(r"(?<![–-])\b95\s?%", text)  # "5–95 %" is a range of true shares


_MARKS = "g.mark-symbol path"
_LABELS = f"Array.from(document.querySelectorAll('{_MARKS}')).map(p => p.getAttribute('aria-label'))"


def _marks_after(page, count_before: int, tries: int = 50) -> int:
    """The number of points once Vega has redrawn (it renders asynchronously after a change)."""
    for _ in range(tries):
        count = page.count_visible(_MARKS)
        if count != count_before:
            return count
        time.sleep(0.1)
    return count_before


@pytest.mark.slow
def test_overview_page_and_its_explorer_filter_in_a_browser(chromium, tmp_path, monkeypatch):
    monkeypatch.delenv("MPLBACKEND", raising=False)
    out = tmp_path / "out"
    reports.run_report("01_metrics_and_margins", {"coverage_ns": [20, 50], "language": "fi"}, out=out)
    with browser.open_page(out / "index.html", browser=chromium) as page:
        heading = page.evaluate(HEADING)
        links = page.evaluate("Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))")
        every_period = page.count_visible(_MARKS)
        areas = page.evaluate("Array.from(document.querySelector('select[name=choose_area]').options)"
                              ".map(o => [o.value, o.text])")
        assert areas[0][1] == "kaikki" and len(areas) > 2  # "all" in the page's language, then each area
        page.select("select[name=choose_area]", areas[1][0])
        one_area = _marks_after(page, every_period)
        labels = page.evaluate(_LABELS)
        audit = page.audit(screenshot=_artifacts(tmp_path) / "index.png")
    print(audit.summary())
    _check("index", audit, heading)
    assert audit.lang == "fi" and "01_metrics_and_margins.html" in links
    assert 0 < one_area < every_period
    # every point left is a unit of the chosen area, its service in Finnish and its number with a decimal comma
    assert labels and all(f"{areas[1][1]} / " in label for label in labels), labels[:3]
    assert not any("emergency department" in label for label in labels)
    assert all(re.search(r"\d,\d", label) for label in labels), labels[:3]
