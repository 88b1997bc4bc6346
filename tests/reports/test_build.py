"""End to end: `workbench build` on the sample data, reproducibility, and nothing private leaks."""

import html
import json
import re
import shutil

import numpy as np
import pandas as pd
import pytest

from workbench import cli, reports
from conftest import ROOT

NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IDENTIFIERS = ("131052-308T", "765 4321", "leak.test@example.org")


def _records(value):
    """Every dict inside a results file."""
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from _records(v)
    elif isinstance(value, list):
        for v in value:
            yield from _records(v)


def _no_code(page: str) -> bool:
    return not re.search(r'class="[^"]*(jp-InputArea-editor|hl-ipython3)', page)


@pytest.mark.slow
def test_build_writes_every_report_and_is_reproducible(tmp_path, capsys):
    assert cli.main(["build", "--out", str(tmp_path / "a")]) == 0
    progress = capsys.readouterr().out
    assert cli.main(["build", "--out", str(tmp_path / "b")]) == 0
    index = (tmp_path / "a" / "index.html").read_text(encoding="utf-8")
    for name in NOTEBOOKS:
        assert f"[{NOTEBOOKS.index(name) + 1}/{len(NOTEBOOKS)}] {name} done" in progress
        page = (tmp_path / "a" / f"{name}.html").read_text(encoding="utf-8")
        assert _no_code(page), name
        results = json.loads((tmp_path / "a" / f"{name}.json").read_text(encoding="utf-8"))
        # the provenance names every file the report read, with its hash (report 07 reads events, not responses)
        assert "Provenance" in page and "SHA-256" in page and results["files_read"]
        for path in results["files_read"]:
            assert reports.sha256(path) in page, (name, path)
        assert (str(reports.SAMPLE_DATA) in results["files_read"]) == (name != "07_sending_plan"), name
        assert "What this report answers" in page and "Methods and references" in page
        assert f'href="{name}.html"' in index
        assert results["summary"]
        # two builds from the same data and parameters give identical results files
        assert (tmp_path / "a" / f"{name}.json").read_bytes() == (tmp_path / "b" / f"{name}.json").read_bytes(), name


@pytest.mark.slow
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_report_and_the_overview_build_in_the_language(language, tmp_path):
    # issue 14: every report renders in Finnish and Swedish (English is the build above); one report at a time
    # (each audited on its own), as `workbench build -p language fi` runs them, without the build's second audit
    messages = reports.catalogue(language)
    for name in NOTEBOOKS:
        assert cli.main(["report", name, "--out", str(tmp_path), "-p", "language", language]) == 0
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert f'lang="{language}"' in index and "Customer experience" not in index
    for name in NOTEBOOKS:
        page = (tmp_path / f"{name}.html").read_text(encoding="utf-8")
        section = "r" + name[:2]
        assert f'lang="{language}"' in page, name
        assert f"<title>{html.escape(messages(f'{section}.title'), quote=False)}" in page, name
        assert messages("page.provenance") in page and "Provenance" not in page, name
        assert "What this report answers" not in page and "Methods and references" not in page, name
        # numbers in the language: a decimal comma somewhere in a table, no decimal point between digits
        cells = re.findall(r'<td class="num"[^>]*>([^<]*)</td>', page)
        assert cells and not any(re.fullmatch(r"\u2212?\d+\.\d+", c) for c in cells), name


@pytest.mark.slow
def test_build_sets_the_language_of_every_report_and_the_overview(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(ROOT / "notebooks" / "03_volume_weighting.ipynb", notebooks)
    out = tmp_path / "out"
    assert cli.main(["--notebooks", str(notebooks), "build", "--out", str(out), "-p", "language", "sv"]) == 0
    for page in ("index.html", "03_volume_weighting.html"):
        assert '<html lang="sv"' in (out / page).read_text(encoding="utf-8"), page


def _leaky_data(tmp_path):
    responses = pd.read_parquet(reports.SAMPLE_DATA)
    tiny = responses[responses["unit"] == "Kainuu / imaging"].head(3).copy()
    tiny["area"], tiny["unit"] = "Testila", "Testila / imaging"
    data = pd.concat([responses, tiny], ignore_index=True)
    data["comment"] = np.where(data["comment"].notna(),
                               "Soita +358 40 765 4321 tai leak.test@example.org, hetu 131052-308T.", None)
    data_path = tmp_path / "leaky.parquet"
    data.to_parquet(data_path)
    volumes = pd.read_csv(ROOT / "data" / "samples" / "volumes.csv")
    volumes = pd.concat([volumes, pd.DataFrame({"area": ["Testila"], "service": ["imaging"], "unit": ["Testila / imaging"],
                                                "customers_per_year": [400]})], ignore_index=True)
    volumes.to_csv(tmp_path / "volumes.csv", index=False)
    sample_study = (ROOT / "data" / "samples" / "study.toml").read_text(encoding="utf-8")
    study = tmp_path / "leaky.study.toml"
    study.write_text(sample_study.replace('path = "responses.parquet"', 'path = "leaky.parquet"')
                     .replace('path = "population_margins.csv"', f'path = "{ROOT / "data" / "samples" / "population_margins.csv"}"')
                     .replace('path = "framework.toml"', f'path = "{ROOT / "data" / "samples" / "framework.toml"}"')
                     .replace('path = "events.parquet"', f'path = "{ROOT / "data" / "samples" / "events.parquet"}"')
                     .replace('path = "sending_rules.toml"', f'path = "{ROOT / "data" / "samples" / "sending_rules.toml"}"'),
                     encoding="utf-8")
    return study


@pytest.mark.slow
def test_small_cells_and_identifiers_do_not_leak(tmp_path):
    study = _leaky_data(tmp_path)
    out = tmp_path / "out"
    checked_rows = checked_records = 0
    for name in NOTEBOOKS:
        html_path, json_path = reports.run_report(name, study=study, out=out)
        page = html_path.read_text(encoding="utf-8")
        for identifier in IDENTIFIERS:
            assert identifier not in page, (name, identifier)
            assert identifier not in json_path.read_text(encoding="utf-8"), (name, identifier)
        for row in re.findall(r"<tr>.*?</tr>", page, flags=re.S):
            if "Testila" in row and ("&lt; 5" in row or "< 5" in row):
                assert "suppressed" in row, (name, row[:300])
                checked_rows += 1
        for record in _records(json.loads(json_path.read_text(encoding="utf-8"))):
            n = record.get("n")
            if isinstance(n, (int, float)):
                assert n >= 5, (name, record)
            if any(isinstance(v, str) and "Testila" in v for v in record.values()):
                for key in ("estimate", "shrunk", "raw", "adjusted", "alpha"):
                    assert record.get(key) is None, (name, key, record)
                checked_records += 1
    assert checked_rows >= 3 and checked_records >= 3, (checked_rows, checked_records)
    comments = json.loads((out / "05_harmonization_review.json").read_text(encoding="utf-8"))["comments"]
    assert comments and all("[phone]" in c["comment"] and "[id code]" in c["comment"] for c in comments)
