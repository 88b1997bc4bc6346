"""Intervals: agreement with R, NPS score bounds, properties of every method."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, stats

import workbench as wb
from workbench.stats.intervals import level_interval
from conftest import read_reference

BINARY = np.array([0.0, 100.0])
NPS = np.array([-100.0, 0.0, 100.0])


@pytest.mark.parametrize("method", ["wilson", "beta", "jeffreys"])
def test_proportion_intervals_match_r(method):
    ref = read_reference("proportion_intervals.csv")
    counts = np.stack([ref["n"] - ref["x"], ref["x"]], axis=1)
    for confidence in ref["confidence"].unique():
        rows = ref["confidence"] == confidence
        low, high = level_interval(counts[rows], BINARY, method=method, confidence=confidence)
        np.testing.assert_allclose(low, 100 * ref.loc[rows, f"{method}_low"], rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(high, 100 * ref.loc[rows, f"{method}_high"], rtol=1e-6, atol=1e-7)


def test_nps_intervals_match_hand_worked_reference():
    ref = read_reference("nps_intervals.csv")
    for row in ref.itertuples():
        _ci = wb.nps_interval(row.promoters, row.passives, row.detractors, method=row.method)
        low, high = _ci.low, _ci.high
        assert float(low) == pytest.approx(row.low, abs=1e-6)
        assert float(high) == pytest.approx(row.high, abs=1e-6)


def test_score_interval_of_a_share_is_wilson():
    counts = np.array([[13.0, 7.0], [40.0, 60.0]])
    np.testing.assert_allclose(level_interval(counts, BINARY, method="score"),
                               level_interval(counts, BINARY, method="wilson"), rtol=1e-12)


def _restricted_statistic(xd, x0, xp, t):
    """Score statistic at NPS = t from a numerically maximised likelihood (independent of the closed form)."""
    n = xd + x0 + xp

    def negloglik(p):
        d, q = p - t, 1 - 2 * p + t
        return -(xp * np.log(p) + xd * np.log(d) + x0 * np.log(q))

    res = optimize.minimize_scalar(negloglik, bounds=(max(t, 0) + 1e-12, (1 + t) / 2 - 1e-12), method="bounded",
                                   options={"xatol": 1e-13})
    p = res.x
    variance = 2 * p - t - t * t
    est = (xp - xd) / n
    return (est - t) ** 2 * n / variance


@pytest.mark.parametrize("counts", [(15, 25, 60), (3, 5, 12), (30, 40, 30), (1, 2, 47)])
def test_nps_score_bounds_solve_the_score_equation(counts):
    xd, x0, xp = counts
    _ci = wb.nps_interval(xp, x0, xd, method="score")
    low, high = _ci.low, _ci.high
    z2 = stats.norm.ppf(0.975) ** 2
    for bound in (float(low) / 100, float(high) / 100):
        assert _restricted_statistic(xd, x0, xp, bound) == pytest.approx(z2, rel=1e-6)


def test_nps_interval_broadcasts():
    _ci = wb.nps_interval(np.array([[10], [20]]), np.array([5, 6, 7]), 3)
    low, high = _ci.low, _ci.high
    assert low.shape == high.shape == (2, 3)
    single = wb.nps_interval(20, 6, 3).low
    assert low[1, 1] == pytest.approx(float(single))


@pytest.mark.parametrize("method", ["bootstrap", "bayes"])
def test_resampling_methods_are_seeded_and_agree_with_wald_for_large_n(method):
    counts = np.array([[150.0, 250.0, 600.0], [30.0, 30.0, 40.0]])
    a = level_interval(counts, NPS, method=method, rng=42, replicates=4000)
    b = level_interval(counts, NPS, method=method, rng=42, replicates=4000)
    np.testing.assert_array_equal(a, b)
    wald = level_interval(counts, NPS, method="wald")
    np.testing.assert_allclose(a[0][0], wald[0][0], atol=1.0)
    np.testing.assert_allclose(a[1][0], wald[1][0], atol=1.0)


def test_bootstrap_is_vectorised_over_many_groups():
    rng = np.random.default_rng(0)
    counts = rng.integers(1, 50, (500, 3)).astype(float)
    low, high = level_interval(counts, NPS, method="bootstrap", rng=1, replicates=500)
    est = counts @ NPS / counts.sum(axis=1)
    assert ((low <= est + 1e-9) & (est <= high + 1e-9)).all()


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 60), st.integers(0, 60), st.integers(0, 60),
       st.sampled_from(["midp", "score", "adjusted_wald", "wald", "t"]), st.floats(0.5, 0.995))
def test_intervals_are_ordered_within_bounds_and_widen_with_confidence(p, a, d, method, confidence):
    if p + a + d == 0:
        return
    _ci = wb.nps_interval(p, a, d, method=method, confidence=confidence)
    low, high = _ci.low, _ci.high
    _ci = wb.nps_interval(p, a, d, method=method, confidence=min(confidence + 0.004, 0.999))
    wider_low, wider_high = _ci.low, _ci.high
    if method in ("wald", "t") and p + a + d == 1:
        assert np.isnan(low) and np.isnan(high)  # one answer: no standard error (R svymean gives NaN too)
        return
    assert -100 <= low <= high <= 100
    assert wider_low <= low + 1e-9 and high <= wider_high + 1e-9
    if method != "adjusted_wald":
        nps = 100 * (p - d) / (p + a + d)
        assert low - 1e-9 <= nps <= high + 1e-9


@pytest.mark.parametrize("method, match", [
    ("wilsen", r"Unknown interval method 'wilsen'; valid: 'midp', 'score', 'adjusted_wald', 'wald', 't', 'bootstrap', "
               r"'bayes'"),
    ("wilson", r"Interval method 'wilson' is for shares \(two-level metrics\); this metric has levels"),
])
def test_bad_methods(method, match):
    with pytest.raises(wb.MethodError, match=match):
        wb.nps_interval(5, 5, 5, method=method)


def test_score_needs_three_equal_steps():
    with pytest.raises(wb.MethodError, match=r"Method 'score' needs a metric with two levels or three equally"):
        level_interval(np.array([[1.0, 2, 3, 4, 5]]), np.arange(1.0, 6), method="score")


def test_confidence_outside_zero_one():
    with pytest.raises(wb.ParameterError, match=r"`confidence` must be between 0 and 1 \(exclusive\); got 95"):
        wb.nps_interval(5, 5, 5, confidence=95)


def test_negative_counts():
    with pytest.raises(wb.ParameterError, match=r"NPS counts must be non-negative"):
        wb.nps_interval(-1, 5, 5)


def test_nps_interval_is_a_result_object_and_unpacking_is_deprecated():
    ci = wb.nps_interval(60, 25, 15, method="wald")
    assert (ci.method, ci.confidence) == ("wald", 0.95)
    frame = ci.to_frame()
    assert list(frame.columns) == ["ci_low", "ci_high", "method", "confidence"]
    with pytest.warns(DeprecationWarning, match=r"Unpacking an Interval as \(low, high\) is deprecated"):
        low, high = ci
    assert (low, high) == (ci.low, ci.high)


@pytest.mark.parametrize("confidence", [0.95, 0.90])
def test_midp_interval_of_a_share_matches_r(confidence):
    ref = read_reference("r/proportion_midp.csv")
    ref = ref[ref["confidence"] == confidence]
    counts = np.stack([ref["n"] - ref["x"], ref["x"]], axis=1).astype(float)
    low, high = level_interval(counts, BINARY, method="midp", confidence=confidence)
    np.testing.assert_allclose(low, 100 * ref["midp_low"], rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(high, 100 * ref["midp_high"], rtol=1e-9, atol=1e-10)


def test_nps_midp_without_passives_is_the_binomial_midp_of_2p_minus_1():
    """With no passive the restricted MLE has none: NPS = 2p - 1 and the tails are exact (R reference)."""
    ref = read_reference("r/proportion_midp.csv")
    ref = ref[(ref["confidence"] == 0.95) & (ref["n"] == 20)]
    ci = wb.nps_interval(ref["x"].to_numpy(), 0, 20 - ref["x"].to_numpy(), method="midp")
    np.testing.assert_allclose(ci.low, 100 * (2 * ref["midp_low"] - 1), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(ci.high, 100 * (2 * ref["midp_high"] - 1), rtol=1e-9, atol=1e-9)


def _exact_upper_midp(k, n, p, q, d):
    """P(D > k) + P(D = k)/2 for D = promoters - detractors, by summing the trinomial (independent check)."""
    total = 0.0
    for xd in range(n + 1):
        for xp in range(n - xd + 1):
            prob = stats.multinomial.pmf([xd, n - xd - xp, xp], n, [d, q, p])
            total += prob * (1.0 if xp - xd > k else 0.5 if xp - xd == k else 0.0)
    return total


@pytest.mark.parametrize("n, k, shares, rel", [(20, 8, (0.45, 0.25, 0.3), 0.03), (40, -3, (0.2, 0.5, 0.3), 0.03),
                                               (60, 30, (0.55, 0.35, 0.1), 0.03), (15, 12, (0.6, 0.3, 0.1), 0.08)])
def test_saddlepoint_tail_of_the_nps_is_close_to_the_exact_trinomial_tail(n, k, shares, rel):
    """The interior tails are Lugannani-Rice approximations: 3 % at n >= 20, 7 % in the far tail at n = 15.

    The coverage evidence (tests/stats/test_coverage.py) is for the interval as computed, approximation included.
    """
    p, q, d = shares
    approx = wb.stats.midp_interval._saddlepoint_upper_midp(np.array([float(k)]), float(n), p, q, d)[0]
    exact = _exact_upper_midp(k, n, p, q, d)
    assert approx == pytest.approx(exact, rel=rel)


@pytest.mark.parametrize("counts", [(15, 25, 60), (3, 5, 12), (2, 10, 1), (0, 7, 13)])
def test_nps_midp_limits_solve_the_midp_equations(counts):
    xd, x0, xp = counts
    n = xd + x0 + xp
    ci = wb.nps_interval(xp, x0, xd, method="midp")
    tail = wb.stats.midp_interval._nps_upper_midp  # (every case has passives)
    args = [np.array([float(v)]) for v in (xd, x0, xp, n)]
    assert tail(*args, np.array([float(ci.low) / 100]))[0] == pytest.approx(0.025, rel=1e-6)
    assert 1 - tail(*args, np.array([float(ci.high) / 100]))[0] == pytest.approx(0.025, rel=1e-6)


@pytest.mark.parametrize("confidence", [0.95, 0.90])
def test_jeffreys_interval_follows_brown_cai_dasgupta_at_the_ends(confidence):
    """Issue 11, defect 3: L(0) = 0 and U(n) = 1 (BCD 2001, section 4.1.2), every x of n = 1..50 (R qbeta)."""
    ref = read_reference("r/proportion_jeffreys.csv")
    ref = ref[ref["conf_level"] == confidence]
    counts = np.stack([ref["n"] - ref["x"], ref["x"]], axis=1).astype(float)
    low, high = level_interval(counts, BINARY, method="jeffreys", confidence=confidence)
    np.testing.assert_allclose(low, 100 * ref["lower"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(high, 100 * ref["upper"], rtol=1e-9, atol=1e-12)
    ends = (ref["x"] == 0) | (ref["x"] == ref["n"])
    # binom.bayes(type = "central") puts the whole alpha in one tail at the ends: a different convention
    assert not np.allclose(high[(ref["x"] == 0).to_numpy()], 100 * ref.loc[ref["x"] == 0, "bb_central_upper"])
    np.testing.assert_allclose(low[~ends.to_numpy()], 100 * ref.loc[~ends, "bb_central_lower"], rtol=1e-9)
