"""Sample sizes: textbook values, the margin met at n and not at n - 1, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import workbench as wb
from conftest import read_reference


def test_textbook_sample_sizes():
    ref = read_reference("sample_size.csv")
    for row in ref.itertuples():
        expected = None
        if not np.isnan(row.expected_a):
            expected = (row.expected_a, row.expected_b) if not np.isnan(row.expected_b) else row.expected_a
        population = None if np.isnan(row.population) else row.population
        got = wb.sample_size(row.metric, row.moe, confidence=row.confidence, expected=expected, population=population)
        assert got == row.n, row


def test_result_is_a_count_that_says_it_is_the_worst_case():
    n = wb.sample_size("nps", 10)
    assert isinstance(n.n, int) and n == 385 and n.worst_case
    assert not wb.sample_size("nps", 10, expected=(0.5, 0.2)).worst_case
    assert "worst case" in repr(n)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["csat", "nps", "csat_mean"]), st.floats(1.0, 15.0), st.floats(0.8, 0.99),
       st.one_of(st.none(), st.integers(2000, 100000)), st.floats(1.0, 2.5))
def test_margin_met_at_n_and_not_at_n_minus_one(metric, moe, confidence, population, deff):
    if metric == "csat_mean":
        moe = moe / 20
    n = wb.sample_size(metric, moe, confidence=confidence, population=population, deff=deff).n
    at = wb.margin_of_error(metric, n, confidence=confidence, population=population, deff=deff)
    assert at <= moe + 1e-9
    if n > 1:
        assert wb.margin_of_error(metric, n - 1, confidence=confidence, population=population, deff=deff) > moe


@pytest.mark.parametrize("method", ["score", "adjusted_wald"])
def test_inverted_methods_meet_the_target(method):
    n = wb.sample_size("nps", 8, method=method, expected=(0.5, 0.2)).n
    ci = wb.nps_interval(0.5 * n, 0.3 * n, 0.2 * n, method=method)
    assert (ci.high - ci.low) / 2 <= 8
    ci = wb.nps_interval(0.5 * (n - 1), 0.3 * (n - 1), 0.2 * (n - 1), method=method)
    assert (ci.high - ci.low) / 2 > 8


def test_margin_curve_and_diminishing_returns():
    curve = wb.margin_curve("nps", [100, 400])
    assert curve["moe"].tolist() == pytest.approx([19.59964, 9.79982], abs=1e-4)
    n = wb.diminishing_returns_n("nps", 1.0)
    assert wb.margin_of_error("nps", n) - wb.margin_of_error("nps", n + 100) < 1.0
    assert wb.margin_of_error("nps", n - 1) - wb.margin_of_error("nps", n + 99) >= 1.0


@pytest.mark.parametrize("kwargs, match", [
    (dict(moe=0), r"`moe` must be positive and finite; got 0"),
    (dict(moe=-2), r"`moe` must be positive and finite; got -2"),
    (dict(moe=5, confidence=1.5), r"`confidence` must be between 0 and 1 \(exclusive\); got 1\.5"),
    (dict(moe=5, expected=1.5), r"`expected` must be a share between 0 and 1; got 1\.5"),
    (dict(moe=5, population=-10), r"`population` must be positive and finite; got -10"),
    (dict(moe=5, method="bootstrap"), r"Method 'bootstrap' is random and cannot be inverted"),
])
def test_bad_input(kwargs, match):
    with pytest.raises(wb.WorkbenchError, match=match):
        wb.sample_size("csat", **kwargs)


def test_sample_larger_than_population():
    with pytest.raises(wb.ParameterError, match=r"A sample of 120 is larger than the population 100"):
        wb.margin_of_error("nps", 120, population=100)


def test_sample_size_with_a_population_against_krejcie_and_morgan():
    """Krejcie & Morgan (1970) Table 1 rounds their formula to the nearest integer; we round up, so that the
    margin of ±5 points is met, and use z = 1.95996 (their χ² = 3.841 is rounded). So ours is
    ceil(s) with the exact χ²: one more than the table in 47 of 90 rows (45 from rounding, 2 where the exact
    χ² crosses an integer: N = 210 and 4500), never fewer (tests/reference/r/krejcie_morgan.csv)."""
    ref = read_reference("r/krejcie_morgan.csv")
    ours = np.array([wb.sample_size("csat", 5, population=N).n for N in ref["N"]])
    np.testing.assert_array_equal(ours, np.ceil(ref["formula_s_exact_chisq"]))
    assert (ref["published_s"] == ref["formula_round"]).all()
    extra = ours - ref["published_s"].to_numpy()
    assert set(extra) == {0, 1} and extra.sum() == 47
    assert ref.loc[extra == 1, "N"].isin([210, 4500]).sum() == 2
    for N, n in zip(ref["N"], ours):  # the smallest n that meets ±5 points
        assert wb.margin_of_error("csat", n, population=N) <= 5 < wb.margin_of_error("csat", n - 1, population=N)
