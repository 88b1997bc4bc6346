"""Estimation: values, defaults per metric, don't know, finite population correction, bad input."""

import numpy as np
import pandas as pd
import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

import workbench as wb
from conftest import REFERENCE


def test_columns_and_values():
    df = pd.DataFrame({"unit": ["a"] * 10, "nps": [10, 9, 9, 8, 7, 6, 3, 10, 9, 10]})
    result = wb.estimate(df, "nps", by="unit", method="wald")
    assert list(result.columns) == ["unit"] + wb.stats.estimation.RESULT_COLUMNS
    row = result.iloc[0]
    # 6 promoters, 2 passives, 2 detractors: NPS 40; s² = (0.8 - 0.16)·10/9 on the -1..1 scale (R svymean)
    assert row["estimate"] == pytest.approx(40.0)
    assert row["se"] == pytest.approx(100 * np.sqrt(0.64 / 9))
    assert row["moe"] == pytest.approx(1.959963984540054 * row["se"])
    assert row["method"] == "wald" and row["confidence"] == 0.95


def test_shares_and_means():
    df = pd.DataFrame({"csat": [5, 4, 3, 1, 5]})
    assert wb.estimate(df, "csat").loc[0, "estimate"] == pytest.approx(60.0)
    mean = wb.estimate(df, "csat_mean").iloc[0]
    assert mean["estimate"] == pytest.approx(3.6)
    assert mean["se"] == pytest.approx(np.std([5, 4, 3, 1, 5], ddof=1) / np.sqrt(5))
    assert mean["method"] == "wald"


def test_one_answer_has_no_standard_error_as_in_r():
    result = wb.estimate(pd.DataFrame({"csat": [4]}), "csat_mean").iloc[0]
    assert result["estimate"] == 4 and np.isnan(result["se"]) and np.isnan(result["ci_low"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=2, max_size=60), st.integers(0, 500))
def test_se_is_the_sample_standard_deviation_over_root_n_with_the_finite_population_correction(answers, extra):
    population = len(answers) + extra
    row = wb.estimate(pd.DataFrame({"csat": answers}), "csat_mean", design=wb.Design(population=population)).iloc[0]
    expected = np.std(answers, ddof=1) / np.sqrt(len(answers)) * np.sqrt(1 - len(answers) / population)
    assert row["se"] == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_defaults_per_metric(small_responses):
    assert wb.estimate(small_responses, "nps").loc[0, "method"] == "midp"
    assert wb.estimate(small_responses, "fcr").loc[0, "method"] == "wilson"
    assert wb.estimate(small_responses, "csat_mean").loc[0, "method"] == "wald"


def test_dont_know_counted_separately(small_responses):
    result = wb.estimate(small_responses, "agreement", column="s1", by="unit")
    expected = small_responses.assign(dk=small_responses["s1"] == 6).groupby("unit")["dk"].sum()
    assert result["n_dont_know"].tolist() == expected.tolist()
    assert (result["n"] + result["n_dont_know"]).tolist() == small_responses.groupby("unit").size().tolist()


def test_only_dont_know_group_is_left_out_with_a_warning():
    df = pd.DataFrame({"unit": ["a", "a", "b"], "s": [4, 5, 6]})
    with pytest.warns(wb.WorkbenchWarning, match=r"1 groups have only don't-know answers and are left out"):
        result = wb.estimate(df, "agreement", column="s", by="unit")
    assert result["unit"].tolist() == ["a"]


@pytest.mark.parametrize("method", ["wilson", "beta", "midp", "score", "wald", "t", "adjusted_wald", "bootstrap",
                                    "bayes"])
def test_finite_population_correction_narrows_every_method(method):
    df = pd.DataFrame({"fcr": [1] * 30 + [0] * 10})
    plain = wb.estimate(df, "fcr", method=method, rng=1)
    corrected = wb.estimate(df, "fcr", method=method, rng=1, design=wb.Design(population=60))
    f = 1 - 40 / 60  # R survey: 1 - n/N
    assert corrected.loc[0, "se"] == pytest.approx(plain.loc[0, "se"] * np.sqrt(f))
    assert corrected.loc[0, "moe"] < plain.loc[0, "moe"]


def test_census_has_no_sampling_error():
    df = pd.DataFrame({"unit": ["a", "a", "b"], "nps": [10, 2, 9]})
    result = wb.estimate(df, "nps", by="unit", design=wb.Design(population={"a": 2, "b": 1}), method="wald")
    assert (result["se"] == 0).all() and (result["ci_low"] == result["estimate"]).all()
    assert (result["ci_high"] == result["estimate"]).all()


def test_population_from_a_column(small_responses):
    data = small_responses.assign(size=small_responses["unit"].map({"a": 1000, "b": 2000}))
    by_column = wb.estimate(data, "nps", by="unit", design=wb.Design(population="size"))
    by_mapping = wb.estimate(data, "nps", by="unit", design=wb.Design(population={"a": 1000, "b": 2000}))
    pd.testing.assert_frame_equal(by_column, by_mapping)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(metric="nsp"), wb.MetricError, r"Unknown metric 'nsp'"),
    (dict(method="clopper"), wb.MethodError, r"Unknown interval method 'clopper'; valid: 'wilson'"),
    (dict(method="wilson", metric="csat_mean"), wb.MethodError, r"Interval method 'wilson' is for shares"),
    (dict(confidence=1.0), wb.ParameterError, r"`confidence` must be between 0 and 1 \(exclusive\); got 1\.0"),
    (dict(confidence="95%"), wb.ParameterError, r"`confidence` must be a number between 0 and 1"),
    (dict(design=wb.Design(population=3)), wb.DataError,
     r"`population` is smaller than the sample in 1 groups: \['\(all\)'\] \(population \[3\.0\], sample \[6\]\)"),
    (dict(design=wb.Design(population={"x": 10}), by="unit"), wb.DataError, r"`population` has no size for groups \['a', 'b'\]"),
    (dict(design=wb.Design(population=-5)), wb.DataError, r"`population` sizes must be positive numbers; got \[-5\.0\]"),
    (dict(column="missing"), wb.DataError, r"Answer column \['missing'\] not found in the data \(6 rows\)"),
])
def test_bad_input(kwargs, error, match):
    df = pd.DataFrame({"unit": ["a", "a", "a", "b", "b", "b"], "fcr": [1, 0, 1, 1, 1, 0], "csat": [1, 2, 3, 4, 5, 5]})
    kwargs = {"metric": "fcr", **kwargs}
    metric = kwargs.pop("metric")
    with pytest.raises(error, match=match):
        wb.estimate(df, metric, **kwargs)


def test_scores_out_of_range_name_column_values_and_rows():
    df = pd.DataFrame({"nps": [1, 2, 15, 15, 99]})
    with pytest.raises(wb.ScaleError, match=r"Column 'nps' has answers outside the scale: 15 \(2 rows\), 99 \(1 rows\); 3 of 5 rows"):
        wb.estimate(df, "nps")


def test_counts_with_by_are_rejected(small_responses):
    counts = wb.count(small_responses, "nps", by="unit")
    with pytest.raises(wb.ParameterError, match=r"`column` and `by` are fixed by the count table"):
        wb.estimate(counts, "nps", by="unit")


def test_counts_of_another_scale_are_rejected(small_responses):
    counts = wb.count(small_responses, "nps", by="unit")
    with pytest.raises(wb.ParameterError, match=r"These counts are on scale 'recommendation 0-10'; metric 'csat'"):
        wb.estimate(counts, "csat")


def test_nps_and_its_standard_error_against_rocks_nps_package():
    """Brendan Rocks's NPS 1.1 (nps, nps.var, nps.se, nps.test) on its own testdata
    (tests/reference/r/nps_rocks.csv). Same NPS; his variance is the population variance of the -1/0/1
    scores (divisor n), ours R svymean's (divisor n - 1): our se is his times sqrt(n / (n - 1)) exactly."""
    data = pd.read_csv(REFERENCE / "r" / "nps_testdata.csv").rename(columns={"REC": "nps"})
    ref = pd.read_csv(REFERENCE / "r" / "nps_rocks.csv")
    groups = ref[ref["kind"] == "group"]
    for row in groups.itertuples():
        part = data if row.grouping == "all" else data[data[row.grouping] == row.group]
        ours = wb.estimate(part, "nps", method="wald").iloc[0]
        assert ours["n"] == row.n
        assert ours["estimate"] == pytest.approx(row.nps_pct, rel=1e-12)
        assert ours["se"] == pytest.approx(100 * row.se * np.sqrt(row.n / (row.n - 1)), rel=1e-12)
    for row in ref[ref["kind"] == "two_sample"].itertuples():
        pair = data[data[row.grouping].isin([row.group, row.group_y])]
        ours = wb.compare(pair, "nps", between=row.grouping, groups=(row.group_y, row.group), method="wald").iloc[0]
        assert abs(ours["difference"]) == pytest.approx(100 * row.delta, rel=1e-9, abs=1e-9)  # his delta is |x - y|
        expected = 100 * np.sqrt(row.variance / (row.n - 1) + row.variance_y / (row.n_y - 1))
        assert ours["se"] == pytest.approx(expected, rel=1e-12)
