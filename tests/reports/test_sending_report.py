"""Report 07 (the sending plan) on the publishing layer: it reads the events, rules and volumes the study names,
is skipped without them (reading no sample file), publishes nothing about a unit of fewer than min_n persons,
and draws its figures from its published tables."""

import json
import re
import shutil

import pandas as pd
import pyarrow.parquet as pq
import pytest

import workbench as wb
from workbench import reports
from conftest import ROOT

SAMPLES = ROOT / "data" / "samples"
FIXTURES = ROOT / "tests" / "data"
LAB = "Kainuu / laboratory"  # 4 events of 4 persons in the sample, of a unit the sample's volumes lack


def test_without_events_the_report_is_skipped_naming_what_to_add_and_reading_no_sample(tmp_path, monkeypatch):
    import papermill

    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    wb.reports.load_inputs(str(FIXTURES / "tidy.study.toml"))  # starts recording the files this process opens
    before = set(wb.reports.files_read())
    with pytest.raises(reports.ReportSkipped, match=r"Report '07_sending_plan' cannot run on this study: add a "
                       r"\[events\] table with its `path` to the study; add a \[rules\] table with its `path` to the "
                       r"study\.$"):
        reports.run_report("sending_plan", study=FIXTURES / "tidy.study.toml", out=tmp_path / "out")
    opened = set(wb.reports.files_read()) - before
    assert not any(path.startswith(str(SAMPLES)) for path in opened), opened
    assert not (tmp_path / "out").exists()
    with pytest.raises(reports.ReportSkipped, match=r"add a \[events\] table .*add a \[rules\] table .*add a "
                       r"\[volumes\] table"):
        reports.run_report("sending_plan", data=FIXTURES / "tidy.csv", out=tmp_path / "out")


def test_the_notebook_declares_its_inputs_and_reads_no_path_parameters():
    spec = reports.find_report("sending_plan")
    assert spec.requires == {"inputs": ["events", "rules", "volumes"]}
    assert not {"events_path", "rules_path", "volumes_path", "mapping"} & set(spec.parameters)
    assert {"study_path", "data_path", "results_path", "language", "period", "metric", "target_moe", "confidence",
            "step", "draws", "seed", "min_n", "start", "end"} <= set(spec.parameters)
    source = "\n".join(c.source for c in __import__("nbformat").read(spec.path, as_version=4).cells)
    assert "sample_file" not in source and "display(" not in source and "Markdown" not in source


def _page_text(html_path):
    page = html_path.read_text(encoding="utf-8")
    alts = re.findall(r'<img[^>]*alt="([^"]*)"', page)
    return page, [a.replace("&#x27;", "'").replace("&amp;", "&") for a in alts]


def _visible(rows):
    return [r for r in rows if not r["suppressed"]]


@pytest.mark.slow
def test_the_sending_plan_builds_from_the_sample_study(tmp_path):
    html_path, json_path = reports.run_report("sending_plan", out=tmp_path)
    results = json.loads(json_path.read_text(encoding="utf-8"))
    page, alts = _page_text(html_path)
    assert "Synthetic sample data" in page and "tqdm" not in page and "Warning" not in page
    assert str(SAMPLES / "events.parquet") in results["files_read"]  # read by DuckDB, listed and hashed all the same
    assert "events.parquet (SHA-256" in re.sub(r"<[^>]+>", "", page)
    # every sentence quoting a level, threshold or period is computed: here half-year, 95 %, ±20.0, min_n 5
    text = re.sub(r"<[^>]+>", "", page)
    assert "A margin of ±20.0 NPS points of the Net Promoter Score per half-year at 95% confidence needs" in text
    assert "counts of fewer than 5 persons are hidden" in text
    # words, not the rules file's or the data's codes: channel and survey names, categories of the R-indicators
    assert "in_session" not in text and \
        "channels in order: link in the chat or video session &gt; SMS &gt; e-mail" in text
    assert {r["category"] for r in results["r_categories"] if r["variable"] == "language"} == {"fi", "sv", "other"}
    assert "<td>language</td>" not in page and '<td class="">language</td><td class="">Swedish</td>' in page
    check = results["check"]
    assert len(check) == 32 and {r["status"] for r in check} == {"ok", "infeasible"}
    # the figures are drawn from the published tables: the alternative texts count their visible rows
    assert alts[0].startswith(f"{len(_visible(check))} unit-periods drawn")
    shown_rates = _visible(results["rates"])
    assert alts[1].startswith(f"{len(shown_rates)} units and touchpoints drawn") and \
        alts[1].endswith(f"Hidden as too small: {len(results['rates']) - len(shown_rates)}.")
    assert f"Of {len(_visible(results['r_categories']))} categories" in alts[3]
    assert f"Of {len(_visible(results['effects']))} rules" in alts[4]
    # the planted infeasible unit: advice in words, on the page and on the overview
    assert [r["unit"] for r in results["advice"]] == ["Kainuu / social services"]
    advice = [i for i in results["overview"] if i["kind"] == "advice"]
    assert [i["anchor"] for i in advice] == ["infeasible"] and advice[0]["text"].startswith(
        "Kainuu / social services: at most 23 of the 87 responses needed per half-year")
    shortfall = [i for i in results["overview"] if i["kind"] == "shortfall"]
    assert len(shortfall) == 1 and shortfall[0]["anchor"] == "requirement" and "Kainuu / social services" in \
        shortfall[0]["text"]
    assert 'id="infeasible"' in page and 'id="requirement"' in page
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Planning shortfalls" in index and "Recommendations" in index and "07_sending_plan.html#infeasible" in index


def _own_study(folder):
    """The sample's events under the county's own column names, its rules, volumes with the laboratory unit added
    (so that its 4 events count), and the tidy responses of the fixtures (for the build's audit)."""
    table = pq.read_table(SAMPLES / "events.parquet")
    table = table.rename_columns([{"person_id": "asiakas", "timestamp": "aika", "unit": "yksikkö",
                                   "touchpoint": "kontakti"}.get(c, c) for c in table.column_names])
    pq.write_table(table, folder / "kontaktit.parquet")
    shutil.copy(SAMPLES / "sending_rules.toml", folder / "lähetyssäännöt.toml")
    volumes = pd.read_csv(SAMPLES / "volumes.csv")
    volumes = pd.concat([volumes, pd.DataFrame({"area": ["Kainuu"], "service": ["laboratory"], "unit": [LAB],
                                                "customers_per_year": [4]})])
    volumes.rename(columns={"unit": "Yksikkö", "customers_per_year": "Asiakkaita"}).to_csv(folder / "volyymit.csv",
                                                                                          index=False)
    shutil.copy(FIXTURES / "tidy.csv", folder / "tidy.csv")
    study = (FIXTURES / "tidy.study.toml").read_text(encoding="utf-8")
    study = study[:study.index("[volumes]")] + """
[volumes]
path = "volyymit.csv"
columns = { unit = "Yksikkö", customers_per_year = "Asiakkaita" }

[events]
path = "kontaktit.parquet"
columns = { person_id = "asiakas", timestamp = "aika", unit = "yksikkö", touchpoint = "kontakti" }

[rules]
path = "lähetyssäännöt.toml"
"""
    (folder / "oma.study.toml").write_text(study, encoding="utf-8")
    return folder / "oma.study.toml"


@pytest.mark.slow
def test_on_a_users_study_a_unit_below_min_n_publishes_nothing_and_no_sample_file_is_read(tmp_path):
    study = _own_study(tmp_path)
    html_path, json_path = reports.run_report("sending_plan", {"draws": 1}, study=study, out=tmp_path / "out")
    results = json.loads(json_path.read_text(encoding="utf-8"))
    assert not any(f.startswith(str(SAMPLES)) for f in results["files_read"]), results["files_read"]
    assert str(tmp_path / "kontaktit.parquet") in results["files_read"]
    page, alts = _page_text(html_path)
    assert "Synthetic sample data" not in page
    lab_rows = 0
    for name, rows in results.items():
        if not isinstance(rows, list) or not rows or not isinstance(rows[0], dict) or "unit" not in rows[0]:
            continue
        for row in rows:
            if row["unit"] == LAB:
                lab_rows += 1
                keys = {"unit", "period", "touchpoint", "suppressed", "suppression"}
                assert row["suppressed"] and all(v is None for k, v in row.items() if k not in keys), (name, row)
    assert lab_rows >= 3  # two periods of the check table, and its touchpoints in the rates table
    assert sum(r["unit"] == LAB for r in results["check"]) == 2
    hidden = sum(r["suppressed"] for r in results["check"])
    assert alts[0].endswith(f"Hidden as too small: {hidden}.") and hidden >= 2
    assert LAB not in " ".join(i["text"] for i in results["overview"])
    assert '<td class="">Kainuu / laboratory</td><td class="">2025H1</td><td class="hidden-cell">&lt; 5</td>' in page
