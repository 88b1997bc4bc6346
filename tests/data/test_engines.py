"""Counting in DuckDB and through Ibis: files, globs, relations, tables, URLs, weights, quality, errors.

The property tests that every source gives the in-memory table are in ``test_counting.py``; here are the
cases a generator does not reach: file handling, weights, connections, and what estimators do with paths.
"""

import re
import subprocess
import sys
import textwrap

import duckdb
import ibis
import numpy as np
import pandas as pd
import pytest
from engine_sources import ENGINES, as_source

import workbench as wb
from workbench.data import load


@pytest.fixture
def responses() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 600
    return pd.DataFrame({
        "area": rng.choice(["Kainuu", "Lappi", "Pirkanmaa"], n),
        "unit": rng.integers(1, 9, n),
        "nps": rng.integers(0, 11, n),
        "s1": rng.choice([1, 2, 3, 4, 5, 6], n),
        "w": rng.uniform(0.5, 3.0, n),
    })


@pytest.mark.parametrize("engine", ENGINES)
def test_weighted_counts_equal_the_in_memory_ones(engine, responses, tmp_path):
    source = as_source(responses, engine, tmp_path)
    got = wb.count(source, "nps", by=["area", "unit"], weights="w")
    expected = wb.count(responses, "nps", by=["area", "unit"], weights="w")
    pd.testing.assert_frame_equal(got.keys, expected.keys)
    np.testing.assert_allclose(got.counts, expected.counts, rtol=1e-12)
    assert got.quality.rows == expected.quality.rows == len(responses)


@pytest.mark.parametrize("engine", ["parquet", "duckdb-csv", "ibis-polars"])
@pytest.mark.parametrize("weights, match", [
    ([1.0, -2.0, 1.0, np.nan], r"Weight column 'w' has missing, negative or non-numeric values \[-2\.0, nan\] "
                               r"in 2 of 4 rows"),
    ([0.0, 0.0, 0.0, 0.0], r"Weight column 'w': every one of the 4 weights is zero"),
])
def test_bad_weights_give_the_in_memory_message(engine, weights, match, tmp_path):
    df = pd.DataFrame({"unit": ["a", "a", "b", "b"], "nps": [1, 9, 10, 3], "w": weights})
    with pytest.raises(wb.DataError, match=match):
        wb.count(df, "nps", by="unit", weights="w")
    with pytest.raises(wb.DataError, match=match):
        wb.count(as_source(df, engine, tmp_path), "nps", by="unit", weights="w")


def test_an_array_of_weights_needs_a_frame(responses, tmp_path):
    responses.to_parquet(tmp_path / "r.parquet")
    with pytest.raises(wb.ParameterError, match=r"With a file, relation or table, `weights` must name a weight column"):
        wb.count(tmp_path / "r.parquet", "nps", weights=np.ones(len(responses)))


def test_a_glob_counts_every_file_it_matches(responses, tmp_path):
    for i in range(3):
        responses.iloc[i * 200:(i + 1) * 200].to_parquet(tmp_path / f"part-{i}.parquet")
    expected = wb.count(responses, "nps", by=["area", "unit"])
    for data in (str(tmp_path / "part-*.parquet"), sorted(tmp_path.glob("part-*.parquet"))):
        got = wb.count(data, "nps", by=["area", "unit"])
        pd.testing.assert_frame_equal(got.to_frame(), expected.to_frame())
    assert got.quality.source == "3 files" and got.quality.engine == "duckdb"


@pytest.mark.parametrize("data, match", [
    ("nowhere.parquet", r"Data file 'nowhere.parquet' does not exist"),
    ("{tmp}/*.parquet", r"Data file pattern '.*/\*\.parquet' matches no file"),
    ("{tmp}/folder.parquet", r"Data folder '.*folder\.parquet' holds no \.parquet file"),
    ("{tmp}/*.csv", r"Data file '.*r\.csv': DuckDB counts Parquet files; read a CSV or Excel export with "
                    r"workbench\.read_responses, or a large CSV file as a DuckDB relation \(duckdb\.read_csv"),
    ("{tmp}/damaged.parquet", r"Data file '.*damaged\.parquet' is not a readable Parquet file \("),
    ("postgres://analyst@db.example/feedback", r"'postgres://analyst@db.example/feedback' is a connection URL; "
                                               r"pass it to workbench.count_table with a table name"),
])
def test_paths_that_cannot_be_counted(data, match, responses, tmp_path):
    responses.to_csv(tmp_path / "r.csv", index=False)
    (tmp_path / "damaged.parquet").write_bytes(b"PAR1 not really")
    (tmp_path / "folder.parquet").mkdir()
    (tmp_path / "empty").mkdir()
    folder = tmp_path / "empty" if data == "{tmp}/*.parquet" else tmp_path
    with pytest.raises(wb.DataError, match=match):
        wb.count(data.format(tmp=folder), "nps")


def test_a_folder_of_parquet_files_as_spark_writes_it(responses, tmp_path):
    (tmp_path / "responses.parquet" / "year=2026").mkdir(parents=True)
    for i in range(2):
        responses.iloc[i * 300:(i + 1) * 300].to_parquet(tmp_path / "responses.parquet" / "year=2026" / f"part-{i}.parquet")
    got = wb.count(tmp_path / "responses.parquet", "nps", by="area")
    pd.testing.assert_frame_equal(got.to_frame(), wb.count(responses, "nps", by="area").to_frame())


def test_csv_exports_are_read_as_exported_and_counted_in_memory(tmp_path):
    (tmp_path / "export.csv").write_text("Alue;Suositteluhalukkuus\nKainuu;9\nLappi;10\nKainuu;3\nYhteensä;22\n",
                                         encoding="utf-8-sig")
    counts = wb.count(tmp_path / "export.csv", "nps", column="Suositteluhalukkuus", by="Alue")
    assert counts.keys["Alue"].tolist() == ["Kainuu", "Lappi"] and counts.n.tolist() == [2, 1]
    assert (counts.quality.engine, counts.quality.rows) == ("pandas", 3)  # the total row is set aside


@pytest.mark.parametrize("engine", ENGINES)
def test_missing_columns_are_named_with_the_rows_and_the_columns_there_are(engine, responses, tmp_path):
    source = as_source(responses, engine, tmp_path)
    with pytest.raises(wb.DataError, match=r"Group column \['region'\] not found in the data \(600 rows\); "
                                           r"available columns: \['area', 'unit', 'nps', 's1', 'w'\]"):
        wb.count(source, "nps", by=["area", "region"])
    with pytest.raises(wb.DataError, match=r"Answer column \['ltr'\] not found in the data \(600 rows\)"):
        wb.count(source, "nps", column="ltr")


def test_quality_figures_by_hand():
    df = pd.DataFrame({"unit": ["a", "a", "a", "b", "b", "c", "c", "c"],
                       "s1": [1, 6, None, 5, "eos", None, "", "x"]}).astype({"s1": "str"})
    for source in (df, duckdb.from_df(df)):
        counts = wb.count(source, "agreement", column="s1", by="unit", invalid="exclude")
        q = counts.quality
        assert (q.rows, q.empty, q.dont_know, q.invalid_rows, q.answered) == (8, 3, 2, 1, 2)
        assert (q.groups, q.groups_without_answers) == (2, 1)
        assert q.invalid.to_dict("list") == {"value": ["x"], "rows": [1]}
        assert q.to_frame()["value"].tolist() == [8, 2, 3, 2, 1, 2, 1]
        assert counts.keys["unit"].tolist() == ["a", "b"] and counts.n.tolist() == [1, 1]
        with pytest.raises(wb.ScaleError, match=r"Column 's1' has non-numeric or unknown answers: 'x' \(1 rows\); "
                                                r"1 of 8 rows"):
            wb.count(source, "agreement", column="s1", by="unit")
    with pytest.raises(wb.ParameterError, match=r"Unknown `invalid` 'drop'; valid: 'raise', 'exclude'"):
        wb.count(df, "agreement", column="s1", invalid="drop")


def test_only_invalid_answers_leave_nothing_to_count():
    df = pd.DataFrame({"nps": [11, 12, None]})
    with pytest.raises(wb.DataError, match=r"Column 'nps' has no valid answers: 1 of 3 rows are empty and 2 invalid"):
        wb.count(df, "nps", invalid="exclude")


def test_parquet_keeps_pandas_categories_in_their_order(tmp_path):
    df = pd.DataFrame({"area": pd.Categorical(["Lappi", "Kainuu", "Lappi", "Uusimaa"],
                                              categories=["Uusimaa", "Lappi", "Kainuu", "Åland"]),
                       "nps": [1, 9, 10, 3]})
    df.to_parquet(tmp_path / "r.parquet", row_group_size=2)
    got = wb.count(tmp_path / "r.parquet", "nps", by="area")
    assert got.keys["area"].tolist() == ["Uusimaa", "Lappi", "Kainuu"]
    pd.testing.assert_frame_equal(got.to_frame(), wb.count(df, "nps", by="area").to_frame())


def test_ibis_tables_have_no_categorical_type_so_keys_come_back_as_text_in_value_order():
    df = pd.DataFrame({"area": pd.Categorical(["Lappi", "Kainuu"], categories=["Lappi", "Kainuu"]), "nps": [1, 9]})
    got = wb.count(ibis.memtable(df), "nps", by="area")
    assert got.keys["area"].tolist() == ["Kainuu", "Lappi"] and got.keys["area"].dtype == "str"


def test_count_table_from_a_connection_a_url_and_a_table(responses, tmp_path):
    expected = wb.count(responses, "nps", by="area").to_frame()
    path = tmp_path / "feedback.duckdb"
    con = ibis.duckdb.connect(path)
    con.create_table("feedback", responses)
    pd.testing.assert_frame_equal(wb.count_table(con, "nps", table="feedback", by="area").to_frame(), expected)
    pd.testing.assert_frame_equal(wb.count_table(con.table("feedback"), "nps", by="area").to_frame(), expected)
    con.disconnect()
    got = wb.count_table(f"duckdb://{path}", "nps", table="feedback", by="area")
    pd.testing.assert_frame_equal(got.to_frame(), expected)
    assert (got.quality.source, got.quality.engine) == ("Ibis table on duckdb", "ibis-duckdb")


def test_count_table_needs_a_table_name_once(responses):
    con = ibis.duckdb.connect()
    t = con.create_table("feedback", responses)
    with pytest.raises(wb.ParameterError, match=r"`table` is required with a connection or URL; got source Backend"):
        wb.count_table(con, "nps")
    with pytest.raises(wb.ParameterError, match=r"`table` names a table of a connection; an Ibis table was given"):
        wb.count_table(t, "nps", table="feedback")
    with pytest.raises(wb.ParameterError, match=r"`source` must be an Ibis table, an Ibis connection or a "
                                                r"connection URL; got DataFrame"):
        wb.count_table(responses, "nps", table="feedback")


@pytest.mark.parametrize("engine", ["parquet", "ibis-polars"])
def test_estimators_take_files_and_tables_unchanged(engine, responses, tmp_path):
    source = as_source(responses, engine, tmp_path)
    pd.testing.assert_frame_equal(wb.estimate(source, "nps", by=["area", "unit"]),
                                  wb.estimate(responses, "nps", by=["area", "unit"]))
    pd.testing.assert_frame_equal(wb.compare(source, "agreement", column="s1", between="area",
                                             groups=("Kainuu", "Lappi")),
                                  wb.compare(responses, "agreement", column="s1", between="area",
                                             groups=("Kainuu", "Lappi")))
    pd.testing.assert_frame_equal(wb.statement_summary(source, ["s1"], by="area"),
                                  wb.statement_summary(responses, ["s1"], by="area"))


def test_population_column_reads_only_the_columns_it_needs(responses, tmp_path):
    responses.assign(N=np.where(responses["area"] == "Lappi", 5000, 8000)).to_parquet(tmp_path / "r.parquet")
    got = wb.estimate(tmp_path / "r.parquet", "nps", by="area", design=wb.Design(population="N"))
    expected = wb.estimate(pd.read_parquet(tmp_path / "r.parquet"), "nps", by="area", design=wb.Design(population="N"))
    pd.testing.assert_frame_equal(got, expected)
    assert list(wb.read_responses(tmp_path / "r.parquet", columns=["area", "N"]).columns) == ["area", "N"]


def test_respondent_level_work_refuses_a_file_that_would_not_fit(responses, tmp_path, monkeypatch):
    responses.to_parquet(tmp_path / "r.parquet")
    size = wb.load_size(tmp_path / "r.parquet")
    assert size.rows == 600 and size.exact
    # area (text), unit, nps, s1 (int64), w (double): at least 8 bytes a value for each column
    assert 5 * 8 * 600 <= size.bytes < 5 * 64 * 600
    monkeypatch.setattr(load, "memory_budget", lambda: 1_000)
    message = (rf"Reading '.*r\.parquet': about {size.bytes / 1e6:.0f} MB in memory \(600 rows × 5 columns\), "
               r"more than the 0 MB allowed \(`max_bytes`; by default the memory available now\)\. "
               r"Counts and estimates without weights need no loading")
    with pytest.raises(wb.DataError, match=message):
        wb.estimate(tmp_path / "r.parquet", "nps", by="area", design=wb.Design(weights="w"))
    with pytest.raises(wb.DataError, match=r"about 0 MB in memory \(600 rows × 1 columns\)"):
        wb.read_responses(tmp_path / "r.parquet", columns=["unit"], max_bytes=100)
    # Counting needs no loading: the same file is counted by DuckDB under the same budget.
    assert wb.estimate(tmp_path / "r.parquet", "nps", by="area")["n"].sum() == 600


@pytest.mark.parametrize("engine", ["duckdb-relation", "ibis-polars"])
def test_respondent_level_work_on_a_relation_or_table_says_what_to_do(engine, responses, tmp_path):
    source = as_source(responses, engine, tmp_path)
    with pytest.raises(wb.DataError, match=r"`data` must be a pandas DataFrame, a CSV/Parquet path or a Counts table; "
                                           r"got (DuckDBPyRelation|Table)\. Counts come from it directly; "
                                           r"respondent-level work .* needs the rows in memory"):
        wb.estimate(source, "nps", by="area", design=wb.Design(weights="w"))


@pytest.mark.slow
def test_counting_a_parquet_file_takes_a_small_fraction_of_its_size_in_memory(tmp_path):
    """Peak extra memory of a fresh process counting 20 M rows (240 MB in memory) with DuckDB."""
    path = tmp_path / "big.parquet"
    script = textwrap.dedent(f"""
        import re, pathlib, numpy as np, pyarrow as pa, pyarrow.parquet as pq
        rng = np.random.default_rng(5)
        for part in range(4):  # written in parts, so the writer holds 60 MB at a time
            n = 5_000_000
            table = pa.table({{"unit": rng.integers(0, 2000, n, dtype=np.int32), "nps": rng.integers(0, 11, n)}})
            pq.write_table(table, "{tmp_path}/part-%d.parquet" % part)
        import workbench as wb, duckdb, pandas as pd
        wb.count(duckdb.from_df(pd.DataFrame({{"nps": [1]}})), "nps")  # imports DuckDB and Ibis before measuring
        status = lambda field: int(re.search(field + r":\\s+(\\d+)", pathlib.Path("/proc/self/status").read_text()).group(1)) * 1024
        base = status("VmRSS")
        pathlib.Path("/proc/self/clear_refs").write_text("5")
        result = wb.estimate("{tmp_path}/part-*.parquet", "nps", by="unit")
        print(status("VmHWM") - base, int(result["n"].sum()))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    peak, n = map(int, out.stdout.split())
    data_bytes = 20_000_000 * (4 + 8)
    assert n == 20_000_000
    assert peak < 0.25 * data_bytes, f"peak {peak / 1e6:.0f} MB for {data_bytes / 1e6:.0f} MB of data"
    assert not path.exists()
