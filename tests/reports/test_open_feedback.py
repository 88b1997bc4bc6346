"""Report 06 (open feedback) on the publishing layer: the study's roles, published tables and figures, no
identifier in any output, and the planted emerging issue on the overview page."""

import json
import re
import shutil

import nbformat
import pytest

from workbench import reports
from conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "06_open_feedback.ipynb"
FIXTURES = ROOT / "tests" / "data"
# what the sample's comments plant: valid identity codes, mobile numbers, e-mail addresses
IDENTIFIERS = re.compile(r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b|\+358 ?\d|\b0\d{2} \d{2,3} ?\d{3,4}\b|@example\.fi")


def _code(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", []))


def test_every_figure_of_report_06_is_drawn_from_a_published_table():
    code = _code(nbformat.read(NOTEBOOK, as_version=4))
    calls = re.findall(r"plots\.plot_\w+\(\s*([\w.]+)", code)
    assert len(calls) == 8, calls
    published = set(re.findall(r"^\s*(\w+) = page\.table\(", code, re.M))
    for argument in calls:
        name, _, attribute = argument.partition(".")
        assert attribute.split(".")[0] == "frame" and name in published, argument


def test_report_06_reads_the_study_roles_and_uses_every_parameter():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["workbench"]["requires"] == {"roles": ["comment", "service", "unit"], "metrics": ["nps"]}
    spec = reports.find_report("open_feedback")
    assert not {"text_column", "score_column", "service_column", "taxonomy_path"} & set(spec.parameters)
    code = _code(nb)
    for name in spec.parameters:
        assert re.search(rf"\b{name}\b", code), name
    assert "load_data" not in code and 'inputs.path("taxonomy")' in code


def test_a_study_without_a_comment_column_skips_report_06_before_a_kernel_starts(tmp_path, monkeypatch):
    import papermill

    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    for name in ("tidy.csv", "volumes.csv", "margins.csv"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    text = (FIXTURES / "tidy.study.toml").read_text(encoding="utf-8")
    (tmp_path / "s.study.toml").write_text(re.sub(r"^comment = .*\n", "", text, flags=re.M), encoding="utf-8")
    with pytest.raises(reports.ReportSkipped, match=r"Report '06_open_feedback' cannot run on this study: map the "
                                                    r"response column\(s\) comment in \[responses\.columns\]\."):
        reports.run_report("open_feedback", study=tmp_path / "s.study.toml", out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_report_06_on_the_sample_finds_the_emerging_issue_and_leaks_no_identifier(tmp_path):
    html_path, json_path = reports.run_report("open_feedback", out=tmp_path)
    page, text = html_path.read_text(encoding="utf-8"), json_path.read_text(encoding="utf-8")
    assert not IDENTIFIERS.search(page) and not IDENTIFIERS.search(text)
    assert "[email]" in page  # the e-mail topic's quote is shown, redacted
    assert "Traceback" not in page and "Warning" not in page
    results = json.loads(text)
    items = results["overview"]
    assert [i["anchor"] for i in items[:3]] == ["themes"] * 3 and all(i["kind"] == "theme" for i in items)
    assert items[0]["text"].startswith("Access to care: 31.7% of the comments (95% interval 30.5% to 32.8%")
    emerging = [i["text"] for i in items if i["anchor"] == "emerging"]
    assert emerging and emerging[0].startswith("Emerging: New topic 1 (taksi") and "most in Pohjois-Savo" in emerging[0]
    assert 'id="emerging"' in page and 'id="themes"' in page
    # figures with alternative text stating a finding; every quote cell wraps instead of widening the table
    alts = re.findall(r'<img alt="([^"]+)"', page)
    assert len(alts) == 8 and "Access to care is mentioned most often" in alts[0]
    assert '<span class="wrap prose">' in page
    assert results["taxonomy"]["default"] and "the default taxonomy shipped with workbench" in page
    assert all(r["comments"] >= 5 for r in results["topic_examples"]) and len(results["comment_rate_unit"]) == 176
    assert all(r["suppressed"] or r["n"] >= 5 for r in results["comment_rate_unit"])


@pytest.mark.slow
def test_report_06_runs_where_no_comment_names_a_theme(tmp_path):
    # the tidy fixture: one repeated comment that no theme catches, no suggestion, no new topic
    html_path, json_path = reports.run_report("open_feedback", study=FIXTURES / "tidy.study.toml", out=tmp_path)
    results = json.loads(json_path.read_text(encoding="utf-8"))
    assert results["overview"] == [] and results["topics"] == [] and results["suggestions"] is None
    assert results["summary"] == "260 comments (18.1% of respondents); no theme can be published; 0 new topics; 0 suggestions."
    page = html_path.read_text(encoding="utf-8")
    assert "No comment mentions any theme of the taxonomy." in page and "No comment makes a suggestion." in page
