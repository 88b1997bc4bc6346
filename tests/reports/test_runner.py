"""Report machinery: strict parameters, failure handling, provenance, reproducibility."""

import json
import re

import nbformat
import pytest

import workbench as wb
from workbench import cli, reports
from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# Reports still written in the old style (English Markdown cells, wb.format_table), until they are converted to the
# publishing layer (Page, catalogue, page.table).
NOT_CONVERTED: set[str] = set()  # every report is on the publishing layer


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_are_thin_parameterised_and_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    assert not any(re.search(r"^\s*(def|class) ", c.source, re.M) for c in code)
    assert all(name in params[0].source for name in ("study_path", "data_path", "results_path"))
    if path.stem in NOT_CONVERTED:
        assert nb.cells[0].cell_type == "markdown" and nb.cells[-1].cell_type == "markdown"
        assert "reference" in nb.cells[-1].source.lower()
        return
    # Every word a reader sees comes from the catalogue: the one Markdown cell is the developer's note, not exported.
    markdown = [c for c in nb.cells if c.cell_type == "markdown"]
    assert markdown == [nb.cells[0]] and "remove" in nb.cells[0].metadata.get("tags", [])
    assert nb.cells[1] is params[0]
    source = "\n".join(c.source for c in code)
    section = "r" + path.stem[:2]
    assert f'wb.reports.Page("{section}"' in source and 'page.heading("methods")' in source
    assert "display(" not in source and "format_table" not in source and "Markdown(" not in source
    messages = reports.catalogue("en")
    assert all(messages.has(f"{section}.{key}") for key in ("title", "answers", "methods", "summary"))
    assert "What this report answers" in messages(f"{section}.answers")


def test_list_shows_parameters_with_types_and_defaults(capsys):
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    assert "01_metrics_and_margins" in out
    assert "confidence: float = 0.95" in out and "metric: str = 'nps'" in out


def test_unknown_parameter_is_rejected_before_running(tmp_path):
    with pytest.raises(wb.ParameterError, match=r"Unknown parameter\(s\) \['confidance'\] for report "
                       r"'01_metrics_and_margins'; valid: language \(str\), metric \(str\), column \(str\)"):
        reports.run_report("metrics_and_margins", {"confidance": 0.9}, out=tmp_path)
    assert not list(tmp_path.iterdir())


def test_a_build_parameter_no_report_has_is_rejected_before_running(tmp_path, capsys):
    assert cli.main(["build", "--out", str(tmp_path / "out"), "-p", "langauge", "fi"]) == 1
    assert "No report has the parameter(s) ['langauge']; see `workbench list`." in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("value", ["high", True, [0.9]])
def test_wrong_type_is_rejected(value, tmp_path):
    with pytest.raises(wb.ParameterError, match=r"Parameter 'confidence' must be of type float; got"):
        reports.run_report("metrics_and_margins", {"confidence": value}, out=tmp_path)


def test_command_line_values_are_parsed_by_type():
    spec = reports.find_report("metrics_and_margins")
    params = reports.check_parameters(spec, {"confidence": "0.9", "min_n": "10", "group_keys": '["area"]'})
    assert params == {"confidence": 0.9, "min_n": 10, "group_keys": ["area"]}


def test_cli_reports_errors_with_exit_code(capsys):
    assert cli.main(["report", "metrics_and_margins", "-p", "min_n", "ten"]) == 1
    assert "Parameter 'min_n' must be of type int; got 'ten'" in capsys.readouterr().err


def _failing_notebook(folder):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('study_path: str = ""\ndata_path: str = ""\nresults_path: str = ""\nlimit: int = 3')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Failing"), params,
                nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("raise RuntimeError('boom')"),
                nbformat.v4.new_markdown_cell("References")]
    folder.mkdir()
    nbformat.write(nb, folder / "09_failing.ipynb")


@pytest.mark.slow
def test_failing_notebook_stops_the_build_naming_report_and_cell(tmp_path, capsys):
    _failing_notebook(tmp_path / "nb")
    out = tmp_path / "out"
    code = cli.main(["--notebooks", str(tmp_path / "nb"), "build", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "Report '09_failing' failed in cell 4, line 1 (`raise RuntimeError('boom')`): RuntimeError: boom" in err
    assert not (out / "09_failing.html").exists() and not (out / "index.html").exists()


@pytest.mark.slow
def test_first_report_runs_end_to_end_and_is_reproducible(tmp_path):
    params = {"coverage_ns": [20, 50], "group_keys": ["area"], "min_n": 5}
    html_a, json_a = reports.run_report("01_metrics_and_margins", params, out=tmp_path / "a")
    html_b, json_b = reports.run_report("01_metrics_and_margins", params, out=tmp_path / "b")
    assert json_a.read_bytes() == json_b.read_bytes()
    page = html_a.read_text(encoding="utf-8")
    assert "Provenance" in page and reports.sha256(reports.SAMPLE_DATA) in page
    provenance = re.sub(r"<[^>]+>", "", re.search(r"Provenance.*?Generated: [^<]+", page, re.S).group(0))
    assert "coverage_ns = [20, 50] (set)" in provenance and "confidence = 0.95," in provenance  # defaults too
    assert "numpy 2.4.6" in provenance and "Commit: " in provenance
    assert not re.search(r'class="[^"]*(jp-InputArea-editor|hl-ipython3)', page) and "wb.estimate(" not in page
    results = json.loads(json_a.read_text())
    assert len(results["estimates"]) == 22 and results["summary"]


@pytest.mark.slow
def test_a_failure_names_the_line_in_the_cell(tmp_path, capsys):
    _failing_notebook(tmp_path / "nb")
    import nbformat as nbf

    path = tmp_path / "nb" / "09_failing.ipynb"
    nb = nbf.read(path, as_version=4)
    nb.cells[3].source = "y = 2\nz = y * 3\nraise ValueError(f'bad {z}')\nw = 4"
    nbf.write(nb, path)
    assert cli.main(["--notebooks", str(tmp_path / "nb"), "report", "09_failing", "--out", str(tmp_path / "o")]) == 1
    assert "Report '09_failing' failed in cell 4, line 3 (`raise ValueError(f'bad {z}')`): ValueError: bad 6" in \
        capsys.readouterr().err
