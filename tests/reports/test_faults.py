"""Builds that fail safely (issue 12): a bad --out, two builds at once, a kill mid-build, and the audit
catching a planted disclosure in a build."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from workbench import cli, reports
from workbench.reports.build import DisclosureError, OutputError, _lock


def test_an_out_that_is_a_file_is_a_workbench_error(tmp_path, capsys):
    target = tmp_path / "reports.html"
    target.write_text("not a folder")
    with pytest.raises(OutputError, match=r"--out '.*reports\.html' is a file, not a folder"):
        reports.build(target)
    assert cli.main(["build", "--out", str(target)]) == 1
    err = capsys.readouterr().err
    assert "workbench: error: --out" in err and "Traceback" not in err
    assert target.read_text() == "not a folder"


def test_an_out_that_cannot_be_created_is_a_workbench_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match=r"--out '.*file/sub/out' cannot be created \(Not a directory\)"):
        reports.run_report("metrics_and_margins", out=tmp_path / "file" / "sub" / "out")


def test_a_second_build_into_the_same_out_is_refused(tmp_path):
    out = tmp_path / "out"
    with _lock(out.absolute()):
        with pytest.raises(OutputError, match=r"Another build is writing to '.*out' \(lock '.*\.out\.lock'\)"):
            reports.build(out)
    assert not out.exists()


def _kernels_of(marker: str) -> list[int]:
    pids = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if marker.encode() in (entry / "cmdline").read_bytes():
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


@pytest.mark.slow
def test_a_build_killed_mid_way_leaves_the_previous_build_and_nothing_else(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("previous build")
    before = set(Path(os.environ.get("TMPDIR", "/tmp")).glob("workbench-private-*"))
    log = tmp_path / "stderr.txt"
    with open(log, "w") as stderr:  # a file, not a pipe: kernels' warnings could fill a pipe and stall the build
        process = subprocess.Popen([sys.executable, "-m", "workbench", "--notebooks",
                                    str(_planted(tmp_path / "nb", "import time\ntime.sleep(600)")), "build", "--out", str(out)],
                                   stdout=subprocess.DEVNULL, stderr=stderr, text=True)
    deadline = time.time() + 300
    private = []
    while time.time() < deadline:  # wait until a report kernel runs, then stop the build
        private = [p for p in Path(os.environ.get("TMPDIR", "/tmp")).glob("workbench-private-*") if p not in before]
        if (private and _kernels_of(str(private[0]))) or process.poll() is not None:
            break
        time.sleep(0.5)
    assert private, f"the build never started a kernel: {log.read_text()[-2000:]}"
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=120)
    err = log.read_text()
    assert process.returncode == 1, err[-2000:]
    assert "Build stopped by signal SIGTERM; nothing was kept." in err
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]
    assert (out / "index.html").read_text() == "previous build"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.building")]
    assert not private[0].exists()  # ledger, hide plans and kernel connection files removed
    time.sleep(1)
    assert not _kernels_of(str(private[0])), "an orphaned kernel survived"


PARAMETERS = 'study_path: str = ""\ndata_path: str = ""\nresults_path: str = ""\nlanguage: str = ""\nmin_n: int = 5'

# Publishes each unit's monthly NPS and, separately, its quarterly NPS, the way a careless report would:
# on its own each table is safe, together they give a hidden month back by subtraction.
MONTHS_AND_QUARTERS = '''import workbench as wb
inputs = wb.reports.load_inputs(study_path, data_path)
page = wb.reports.Page("r01", language=language or inputs.study.language, min_n=min_n)
data = inputs.responses()
data = data[data["unit"] == "Helsinki / phone service"]
data = data[(data["month"] != "2025-01") | (data.index.isin(data[data["month"] == "2025-01"].index[:3]))]
data = data.assign(quarter=wb.data.period_of(data["month"], "quarter"))
months = page.table(wb.estimate(data, "nps", by=["unit", "month"]), "months", metric="nps", keys=["unit", "month"])
quarters = page.table(wb.estimate(data, "nps", by=["unit", "quarter"]), "quarters", metric="nps",
                      keys=["unit", "quarter"])
page.save(results_path, summary="planted", months=months, quarters=quarters)'''

# The same tables, but the report ignores the audit's hide plan: the build must fail naming the cell.
IGNORES_THE_PLAN = MONTHS_AND_QUARTERS.replace(
    "import workbench as wb", "import os\nimport workbench as wb\nos.environ.pop('WORKBENCH_HIDE', None)")


def _planted(folder: Path, code: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell(PARAMETERS)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("Planted disclosure"), params, nbformat.v4.new_code_cell(code),
                nbformat.v4.new_markdown_cell("References")]
    folder.mkdir()
    nbformat.write(nb, folder / "08_planted.ipynb")
    return folder


@pytest.mark.slow
def test_the_build_audit_catches_a_planted_disclosure_and_hides_more(tmp_path):
    lines = []
    reports.build(tmp_path / "out", notebook_dir=_planted(tmp_path / "nb", MONTHS_AND_QUARTERS), progress=lines.append)
    assert any(line.startswith("audit: 08_planted hides") for line in lines), lines
    results = json.loads((tmp_path / "out" / "08_planted.json").read_text(encoding="utf-8"))
    months, quarters = results["months"], results["quarters"]
    january = next(m for m in months if m["month"] == "2025-01")
    assert january["n"] is None and january["estimate"] is None
    # the subtraction no longer works: the first quarter, or another of its months, is hidden too
    q1 = next(q for q in quarters if q["quarter"] == "2025-Q1")
    others = [m for m in months if m["month"] in ("2025-02", "2025-03")]
    assert q1["n"] is None or any(m["n"] is None for m in others)


@pytest.mark.slow
def test_a_build_whose_report_ignores_the_audit_fails_naming_the_cell(tmp_path):
    with pytest.raises(DisclosureError, match=r"08_planted / months: the (count|mean) of the hidden cell "
                                              r"\(month = 2025-01, unit = Helsinki / phone service\)"):
        reports.build(tmp_path / "out", notebook_dir=_planted(tmp_path / "nb", IGNORES_THE_PLAN), progress=lambda _: None)
    assert not (tmp_path / "out").exists()
