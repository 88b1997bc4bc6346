"""Your data, end to end: every report from every export shape through its study, no sample file read,
and a report without an input says what to add instead of substituting anything."""

import json
import shutil

import pytest

import workbench as wb
from workbench import cli, reports
from conftest import ROOT

FIXTURES = ROOT / "tests" / "data"
SAMPLES = str(ROOT / "data" / "samples")
SHAPES = ["webropol", "excel_fi", "latin1", "totals"]


def _results(folder):
    out = {}
    for path in sorted(folder.glob("[0-9][0-9]_*.json")):  # the reports' results, not overview.json
        payload = json.loads(path.read_text(encoding="utf-8"))
        out[path.stem] = (payload.pop("files_read"), payload)
    return out


@pytest.fixture(scope="module")
def tidy_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("tidy")
    reports.build(out, study=FIXTURES / "tidy.study.toml", progress=lambda _: None)
    return _results(out)


@pytest.mark.slow
@pytest.mark.parametrize("shape", SHAPES)
def test_every_report_from_an_export_equals_the_tidy_file_and_reads_no_sample(shape, tidy_build, tmp_path):
    lines = []
    reports.build(tmp_path, study=FIXTURES / f"{shape}.study.toml", progress=lines.append)
    built = _results(tmp_path)
    # every report but the sending plan, which needs contact events and rules that these studies do not name
    assert set(built) == set(tidy_build) and len(built) == len(reports.list_reports()) - 1
    assert "07_sending_plan" not in built and any("07_sending_plan skipped: " in line for line in lines)
    for name, (files, payload) in built.items():
        assert payload == tidy_build[name][1], name  # the same numbers as from the tidy file
        assert not any(f.startswith(SAMPLES) for f in files), (name, files)  # watched: no sample file opened
        assert any(f.endswith(f"{shape}.study.toml") for f in files) and len(files) >= 2, (name, files)
    page = (tmp_path / "01_metrics_and_margins.html").read_text(encoding="utf-8")
    assert "Synthetic sample data" not in page and f"{shape}.study.toml" in page


@pytest.mark.slow
def test_a_report_that_lacks_an_input_shows_the_notice_or_is_skipped_with_the_reason(tmp_path):
    for name in ("tidy.csv", "margins.csv"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    text = (FIXTURES / "tidy.study.toml").read_text(encoding="utf-8")
    start = text.index("[volumes]")
    (tmp_path / "novolumes.study.toml").write_text(text[:start] + text[text.index("[margins]"):], encoding="utf-8")
    lines = []
    reports.build(tmp_path / "out", study=tmp_path / "novolumes.study.toml", progress=lines.append)
    skipped = [line for line in lines if "skipped" in line]
    total = len(reports.list_reports())
    assert skipped == ["[4/%d] 03_volume_weighting skipped: Report '03_volume_weighting' cannot run on this study: add "
                       "a [volumes] table with its `path` to the study." % total,
                       "[%d/%d] 07_sending_plan skipped: Report '07_sending_plan' cannot run on this study: add a "
                       "[events] table with its `path` to the study; add a [rules] table with its `path` to the study; "
                       "add a [volumes] table with its `path` to the study." % (total, total)]
    page = (tmp_path / "out" / "02_sample_size_planning.html").read_text(encoding="utf-8")
    assert "Not shown: the measurement plan" in page and "<code>[volumes]</code>" in page
    assert json.loads((tmp_path / "out" / "02_sample_size_planning.json").read_text())["plan"] is None
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "Reports not built on this data" in index and "03_volume_weighting: Report" in index
    for path in (tmp_path / "out").glob("[0-9][0-9]_*.json"):
        assert not any(f.startswith(SAMPLES) for f in json.loads(path.read_text())["files_read"]), path.name


@pytest.mark.slow
def test_a_tidy_data_file_alone_never_reads_sample_files(tmp_path, capsys):
    assert cli.main(["report", "metrics_and_margins", "--data", str(FIXTURES / "tidy.csv"), "-p", "coverage_ns", "20,30",
                     "--out", str(tmp_path)]) == 0
    files = json.loads((tmp_path / "01_metrics_and_margins.json").read_text())["files_read"]
    assert files == [str(FIXTURES / "tidy.csv")]
    assert cli.main(["report", "volume_weighting", "--data", str(FIXTURES / "tidy.csv"), "--out", str(tmp_path)]) == 1
    assert "cannot run on this study: add a [volumes] table" in capsys.readouterr().err


def test_a_missing_input_file_is_caught_before_the_kernel_starts(tmp_path, monkeypatch):
    import papermill

    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    text = (FIXTURES / "tidy.study.toml").read_text(encoding="utf-8").replace('path = "tidy.csv"',
                                                                              f'path = "{FIXTURES / "tidy.csv"}"')
    (tmp_path / "s.study.toml").write_text(text, encoding="utf-8")
    with pytest.raises(wb.StudyError, match=r"names files that cannot be read: volumes: '.*volumes\.csv' does not exist"):
        reports.run_report("metrics_and_margins", study=tmp_path / "s.study.toml", out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_both_a_study_and_a_data_file_are_refused(tmp_path):
    with pytest.raises(wb.StudyError, match=r"Give either a study file or a data file, not both"):
        reports.run_report("metrics_and_margins", study=FIXTURES / "tidy.study.toml", data=FIXTURES / "tidy.csv",
                           out=tmp_path)


def test_list_parameters_accept_comma_separated_values():
    spec = reports.find_report("metrics_and_margins")
    params = reports.check_parameters(spec, {"group_keys": "alue, palvelu", "coverage_ns": "20,30,40"})
    assert params == {"group_keys": ["alue", "palvelu"], "coverage_ns": [20, 30, 40]}
