"""Counting: the one pass equals a groupby, on every key type and with weights; bad input."""

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from engine_sources import ENGINES, as_source, assert_same_outcome, outcome, reference, responses
from hypothesis import given, settings
from hypothesis import strategies as st

import workbench as wb


def test_counts_by_two_keys(small_responses):
    counts = wb.count(small_responses, "nps", by=["unit", "period"])
    expected = small_responses.groupby(["unit", "period"])["nps"].value_counts().unstack(fill_value=0)
    assert counts.keys.to_records(index=False).tolist() == list(expected.index)
    np.testing.assert_array_equal(counts.counts, expected.reindex(columns=range(11), fill_value=0).to_numpy())


def test_dont_know_leaves_the_base(small_responses):
    counts = wb.count(small_responses, "agreement", column="s1")
    assert counts.dont_know[0] == (small_responses["s1"] == 6).sum()
    assert counts.n[0] == (small_responses["s1"] != 6).sum()


def test_counts_path_and_raw_path_give_identical_results(small_responses):
    for metric, column in [("nps", None), ("csat", None), ("fcr", None), ("agreement_mean", "s1")]:
        raw = wb.estimate(small_responses, metric, column=column, by=["unit", "period"])
        counted = wb.estimate(wb.count(small_responses, metric, column=column, by=["unit", "period"]), metric)
        pd.testing.assert_frame_equal(raw, counted)


def test_count_table_round_trip(small_responses):
    counts = wb.count(small_responses, "nps", by="unit")
    again = wb.Counts.from_frame(counts.to_frame(), "nps", by="unit")
    pd.testing.assert_frame_equal(wb.estimate(counts, "nps"), wb.estimate(again, "nps"))


def test_reads_csv_and_parquet(tmp_path, small_responses):
    small_responses.to_csv(tmp_path / "r.csv", index=False)
    small_responses.to_parquet(tmp_path / "r.parquet")
    a = wb.estimate(tmp_path / "r.csv", "nps", by="unit")
    b = wb.estimate(str(tmp_path / "r.parquet"), "nps", by="unit")
    pd.testing.assert_frame_equal(a, b)


def test_input_is_not_modified(small_responses):
    before = small_responses.copy()
    wb.estimate(small_responses, "fcr", by="unit")
    pd.testing.assert_frame_equal(small_responses, before)


def test_groups_without_answers_are_left_out():
    df = pd.DataFrame({"unit": ["a", "a", "b"], "ces": [5, 6, np.nan]})
    assert wb.count(df, "ces", by="unit").keys["unit"].tolist() == ["a"]


def test_many_key_combinations_use_compressed_codes():
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"a": rng.integers(0, 10**5, 1000), "b": rng.integers(0, 10**5, 1000),
                       "c": rng.integers(0, 10, 1000), "nps": rng.integers(0, 11, 1000)})
    counts = wb.count(df, "nps", by=["a", "b", "c"])
    assert counts.counts.sum() == 1000
    assert len(counts.keys) == df.groupby(["a", "b", "c"]).ngroups


@pytest.mark.parametrize("engine", ["pandas", *ENGINES])
@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("xyz"), st.sampled_from([1, 2]), st.integers(0, 10)), min_size=1, max_size=80))
def test_counting_agrees_with_groupby(engine, rows):
    df = pd.DataFrame(rows, columns=["k1", "k2", "nps"])
    with tempfile.TemporaryDirectory() as folder:
        counts = wb.count(as_source(df, engine, Path(folder)), "nps", by=["k1", "k2"])
    sizes = df.groupby(["k1", "k2"]).size()
    assert counts.n.tolist() == sizes.tolist()
    assert counts.keys.to_records(index=False).tolist() == list(sizes.index)
    per_point = df.groupby(["k1", "k2", "nps"]).size().unstack(fill_value=0).reindex(columns=range(11), fill_value=0)
    np.testing.assert_array_equal(counts.counts, per_point.to_numpy())


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_in_memory_pass_equals_groupby_for_every_kind_of_code(data):
    """Integer keys with any offset (negative, large), categorical and text keys; integer, float and text answers."""
    n = data.draw(st.integers(1, 60))
    low = data.draw(st.sampled_from([-7, 0, 1, 2024, 70_000]))
    k1 = data.draw(st.lists(st.integers(low, low + data.draw(st.integers(0, 6))), min_size=n, max_size=n))
    k2 = data.draw(st.lists(st.sampled_from(["b", "a", "c"]), min_size=n, max_size=n))
    answers = data.draw(st.lists(st.integers(0, 10), min_size=n, max_size=n))
    kind = data.draw(st.sampled_from(["int", "float", "text", "categorical"]))
    column = {"int": pd.Series(answers, dtype=np.int64),
              "float": pd.Series([float("nan") if a == 5 else float(a) for a in answers]),
              "text": pd.Series([str(a) for a in answers], dtype="str"),
              "categorical": pd.Series(pd.Categorical(answers, categories=range(10, -1, -1)))}[kind]
    key2 = pd.Series(k2, dtype="str") if data.draw(st.booleans()) else pd.Series(pd.Categorical(k2, ["c", "a", "b"]))
    df = pd.DataFrame({"k1": np.array(k1, dtype=data.draw(st.sampled_from([np.int64, np.int32]))), "k2": key2,
                       "nps": column})
    by = data.draw(st.sampled_from([["k1"], ["k2"], ["k1", "k2"], ["k2", "k1"]]))
    counts = wb.count(df, "nps", by=by)
    present = df.assign(nps=pd.to_numeric(df["nps"].astype(object)).astype(float)).dropna(subset=["nps"])
    expected = present.groupby(by, observed=True)["nps"].value_counts().unstack(fill_value=0)
    expected = expected.reindex(columns=[float(p) for p in range(11)], fill_value=0)
    assert list(counts.keys.itertuples(index=False, name=None)) == \
        [key if isinstance(key, tuple) else (key,) for key in expected.index]
    np.testing.assert_array_equal(counts.counts, expected.to_numpy())
    assert counts.quality.empty == int(df["nps"].isna().sum())


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=40, deadline=None)
@given(responses(), st.sampled_from(["raise", "exclude"]))
def test_every_engine_gives_the_in_memory_table_or_error(engine, drawn, invalid):
    """Same keys, order, counts, quality figures and errors (messages included) from every source."""
    df, metric, by = drawn
    with tempfile.TemporaryDirectory() as folder:
        source = as_source(df, engine, Path(folder))
        expected = outcome(reference(df, engine, Path(folder)), metric, by=by, invalid=invalid)
        got = outcome(source, metric, by=by, invalid=invalid)
    assert_same_outcome(got, expected)


@pytest.mark.parametrize("call, match", [
    (lambda df: wb.count(df, "nps", column="ltr"), r"Answer column \['ltr'\] not found in the data \(3 rows\)"),
    (lambda df: wb.count(df, "nps", by="area"), r"Group column \['area'\] not found in the data \(3 rows\)"),
    (lambda df: wb.count(df.iloc[:0], "nps"), r"The data is empty \(0 rows\)"),
    (lambda df: wb.count(df.assign(unit=[None, "a", "b"]), "nps", by="unit"),
     r"Group column 'unit' has 1 missing values \(of 3 rows\)"),
    (lambda df: wb.count(df.assign(nps=np.nan), "nps"), r"Column 'nps' has no answers: all 3 rows are empty"),
    (lambda df: wb.count(42, "nps"), r"`data` must be a pandas DataFrame, a CSV/Parquet path or a Counts table; got int"),
    (lambda df: wb.count("nowhere.csv", "nps"), r"Data file 'nowhere.csv' does not exist"),
    (lambda df: wb.count(df, "nps", weights=[1, -1, 2]),
     r"Weight column 'weights' has missing, negative or non-numeric values \[-1\.0\] in 1 of 3 rows"),
])
def test_bad_input(call, match):
    df = pd.DataFrame({"unit": ["a", "a", "b"], "nps": [1, 9, 10]})
    with pytest.raises(wb.DataError, match=match):
        call(df)


def test_key_named_twice():
    df = pd.DataFrame({"unit": ["a"], "nps": [1]})
    with pytest.raises(wb.ParameterError, match=r"`by` names a column twice: \['unit', 'unit'\]"):
        wb.count(df, "nps", by=["unit", "unit"])


def test_many_high_cardinality_keys_do_not_overflow():
    rng = np.random.default_rng(9)
    df = pd.DataFrame({f"k{i}": rng.integers(0, 10**6, 500) for i in range(5)})
    df["nps"] = rng.integers(0, 11, 500)
    counts = wb.count(df, "nps", by=[f"k{i}" for i in range(5)])
    expected = df.groupby([f"k{i}" for i in range(5)]).size()
    assert counts.n.tolist() == expected.tolist()
    assert counts.keys.to_records(index=False).tolist() == list(expected.index)


def test_aggregated_counts_equal_counting_at_the_coarser_level(small_responses):
    fine = wb.count(small_responses, "agreement", column="s1", by=["unit", "period"])
    for keys in (["unit"], ["period"], []):
        coarse = fine.aggregate(keys)
        direct = wb.count(small_responses, "agreement", column="s1", by=keys or None)
        pd.testing.assert_frame_equal(coarse.to_frame(), direct.to_frame(), check_dtype=False)
    with pytest.raises(wb.ParameterError, match=r"Cannot aggregate to \['area'\]: the count table has keys"):
        fine.aggregate("area")


def test_respondent_view_agrees_with_the_count_table(small_responses):
    from workbench.data import respondents

    base = respondents(small_responses, "agreement", column="s1", by=["unit", "period"])
    counts = wb.count(small_responses, "agreement", column="s1", by=["unit", "period"])
    pd.testing.assert_frame_equal(base.keys, counts.keys)
    assert base.n.tolist() == counts.n.tolist() and base.dont_know.tolist() == counts.dont_know.tolist()
    level_sums = counts.level_counts(wb.get_metric("agreement")) @ wb.get_metric("agreement").levels
    assert np.bincount(base.group, weights=base.scores).tolist() == pytest.approx(level_sums.tolist())
