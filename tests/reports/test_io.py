"""A report's inputs: what the study names, and every file a report reads listed for the provenance."""

import workbench as wb
from conftest import ROOT

SAMPLE = ROOT / "data" / "samples"
FIXTURES = ROOT / "tests" / "data"


def test_events_and_rules_come_from_the_study_with_their_column_mapping():
    inputs = wb.reports.load_inputs()  # no data given: the bundled sample
    assert inputs.path("rules") == SAMPLE / "sending_rules.toml"
    assert inputs.columns("events") == {"person_id": "person_id", "timestamp": "timestamp", "unit": "unit",
                                        "touchpoint": "touchpoint"}
    # DuckDB opens the events outside Python, so asking for the path is what lists (and hashes) the file
    assert inputs.path("events") == SAMPLE / "events.parquet"
    assert str(SAMPLE / "events.parquet") in wb.reports.files_read()


def test_a_study_without_events_names_none_and_maps_nothing():
    inputs = wb.reports.load_inputs(str(FIXTURES / "tidy.study.toml"))
    assert inputs.path("events") is None and inputs.path("rules") is None and inputs.columns("events") == {}
    assert inputs.columns("volumes") == {"unit": "unit", "customers_per_year": "customers_per_year"}


def test_the_message_catalogues_are_not_listed_as_files_read(tmp_path):
    wb.reports.load_inputs(str(FIXTURES / "tidy.study.toml"))  # starts watching the files this process opens
    own = tmp_path / "own.csv"
    own.write_text("a\n1\n", encoding="utf-8")
    own.read_text(encoding="utf-8")
    (wb.reports.i18n._FOLDER / "fi.toml").read_text(encoding="utf-8")  # what Page does on first use
    read = wb.reports.files_read()
    assert str(own.resolve()) in read
    assert not any(path.startswith(str(wb.reports.i18n._FOLDER)) for path in read), read
