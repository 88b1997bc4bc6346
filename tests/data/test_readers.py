"""Readers: every export shape reads to the same table; every unreadable file gives a DataError that says why."""

import filecmp
import importlib.util
import shutil

import pandas as pd
import pytest

import workbench as wb
from workbench.data.readers import ReadOptions, read_table
from conftest import ROOT

FIXTURES = ROOT / "tests" / "data"


def _make_fixtures():
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_fixtures_are_what_the_script_writes(tmp_path):
    written = _make_fixtures().write(tmp_path)
    assert len(written) == 13
    for path in written:
        assert filecmp.cmp(path, FIXTURES / path.name, shallow=False), path.name


@pytest.mark.parametrize("name, options", [
    ("excel_fi.csv", {"separator": ";", "decimal": ",", "encoding": "utf-8-sig"}),
    ("totals.csv", {"separator": ";", "decimal": ","}),
    ("tidy.csv", {"separator": ",", "decimal": "."}),
])
def test_csv_separator_decimal_and_encoding_are_detected(name, options):
    read = read_table(FIXTURES / name)
    assert {k: read.options[k] for k in options} == options
    assert read.format == "csv"


def test_decimal_comma_becomes_numbers():
    frame = read_table(FIXTURES / "excel_fi.csv").frame
    tidy = read_table(FIXTURES / "tidy.csv").frame
    assert pd.api.types.is_float_dtype(frame["Paino"])
    assert frame["Paino"].tolist() == pytest.approx(tidy["weight"].tolist())


def test_byte_order_mark_does_not_reach_the_first_header():
    assert read_table(FIXTURES / "excel_fi.csv").frame.columns[0] == "Hyvinvointialue"


def test_total_row_and_empty_trailing_rows_are_set_aside_and_counted():
    read = read_table(FIXTURES / "totals.csv")
    assert read.dropped == {"empty row": 2, "total row": 1}
    assert read.rows_read == 1443 and len(read.frame) == 1440


def test_excel_with_a_title_row_and_a_named_sheet():
    read = read_table(FIXTURES / "webropol.xlsx", ReadOptions(sheet="Vastaukset", header_row=2))
    assert read.format == "xlsx" and len(read.frame) == 1440
    assert read.frame.columns[0] == "Vastausaika"
    assert read.frame["Palvelu"].iloc[0] in ("phone service", "emergency department", "primary care visit")


def test_latin1_bytes_are_read_when_the_study_says_so():
    read = read_table(FIXTURES / "latin1.csv", ReadOptions(encoding="cp1252"))
    assert "Ikäryhmä" in read.frame.columns


def test_latin1_bytes_without_the_option_name_the_encoding():
    with pytest.raises(wb.DataError, match=r"latin1\.csv' is not UTF-8: byte 0xe4 at position \d+ cannot be decoded\. "
                                           r"The bytes look like cp1252 \(Windows Excel, Latin-1\); set encoding = "
                                           r"\"cp1252\""):
        read_table(FIXTURES / "latin1.csv")


def test_truncated_parquet(tmp_path):
    path = tmp_path / "cut.parquet"
    data = (ROOT / "data" / "samples" / "responses.parquet").read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(wb.DataError, match=r"cut\.parquet' is not a readable Parquet file \(truncated or damaged"):
        read_table(path)


def test_empty_file(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(wb.DataError, match=r"empty\.csv' is empty \(0 bytes\)"):
        read_table(tmp_path / "empty.csv")


def test_header_only(tmp_path):
    (tmp_path / "header.csv").write_text("area;nps\n", encoding="utf-8")
    with pytest.raises(wb.DataError, match=r"header\.csv' has a header but no rows"):
        read_table(tmp_path / "header.csv")


def test_ragged_csv_names_the_line(tmp_path):
    (tmp_path / "ragged.csv").write_text("area;unit;nps\na;b;5\na;b;6\na;b;7;9\n", encoding="utf-8")
    with pytest.raises(wb.DataError, match=r"ragged\.csv' is ragged: line 4 has 4 fields where the header has 3 "
                                           r"\(separator ';'\)"):
        read_table(tmp_path / "ragged.csv")


def test_a_folder_named_like_a_csv(tmp_path):
    (tmp_path / "x.csv").mkdir()
    with pytest.raises(wb.DataError, match=r"x\.csv' is a folder, not a file"):
        read_table(tmp_path / "x.csv")


def test_missing_file(tmp_path):
    with pytest.raises(wb.DataError, match=r"nowhere\.csv' does not exist"):
        read_table(tmp_path / "nowhere.csv")


def test_old_excel_and_unknown_formats(tmp_path):
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(wb.DataError, match=r"old\.xls' is an old \.xls workbook; save it as \.xlsx"):
        read_table(tmp_path / "old.xls")
    (tmp_path / "data.sav").write_bytes(b"x")
    with pytest.raises(wb.DataError, match=r"data\.sav': expected a \.csv, \.xlsx or \.parquet file"):
        read_table(tmp_path / "data.sav")


def test_damaged_workbook_and_missing_sheet(tmp_path):
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(wb.DataError, match=r"bad\.xlsx' is not a readable Excel workbook"):
        read_table(tmp_path / "bad.xlsx")
    with pytest.raises(wb.DataError, match=r"webropol\.xlsx' has no sheet 'Answers'; sheets: \['Vastaukset'\]"):
        read_table(FIXTURES / "webropol.xlsx", ReadOptions(sheet="Answers"))


def test_duplicate_column_names(tmp_path):
    (tmp_path / "dup.csv").write_text("nps,area,nps \n5,a,6\n", encoding="utf-8")
    with pytest.raises(wb.DataError, match=r"dup\.csv' has duplicate column names \['nps'\]"):
        read_table(tmp_path / "dup.csv")


def test_a_one_column_file_reads_as_one_column(tmp_path):
    (tmp_path / "one.csv").write_text("nps\n5\n6\n", encoding="utf-8")
    assert read_table(tmp_path / "one.csv").frame["nps"].tolist() == [5, 6]


@pytest.mark.parametrize("options, match", [
    (dict(format="sav"), r"Unknown file format 'sav'; valid: 'csv', 'xlsx', 'parquet'"),
    (dict(separator=";;"), r"`separator` must be one character; got ';;'"),
    (dict(decimal=";"), r"`decimal` must be '\.' or ','; got ';'"),
    (dict(encoding="klingon"), r"Unknown encoding 'klingon'"),
    (dict(header_row=0), r"`header_row` must be a whole number from 1; got 0"),
])
def test_bad_read_options(options, match):
    with pytest.raises(wb.ParameterError, match=match):
        ReadOptions(**options)


def test_read_responses_keeps_a_dataframe_as_it_is():
    frame = pd.DataFrame({"nps": [1]})
    assert wb.read_responses(frame) is frame


def test_input_files_are_not_modified(tmp_path):
    copy = tmp_path / "excel_fi.csv"
    shutil.copy(FIXTURES / "excel_fi.csv", copy)
    read_table(copy)
    assert filecmp.cmp(copy, FIXTURES / "excel_fi.csv", shallow=False)
