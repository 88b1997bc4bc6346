"""Coverage: exact enumeration, agreement with simulation, and the evidence for the NPS default."""

import numpy as np
import pytest
from scipy import stats

import workbench as wb
from workbench.stats.coverage import coverage_grid, summarise_coverage


@pytest.mark.parametrize("method, divisor", [("wald", 1), ("normal", 0)])
def test_exact_wald_coverage_of_a_share_by_brute_force(method, divisor):
    """'wald' is estimate ± z·se with R svymean's se (divisor n - 1); 'normal' the textbook p(1 - p)/n."""
    n, p = 30, 0.2
    z = stats.norm.ppf(0.975)
    total = 0.0
    for x in range(n + 1):  # independent loop over binomial outcomes
        ph = x / n
        half = z * np.sqrt(ph * (1 - ph) / (n - divisor))
        if ph - half <= p <= ph + half:
            total += stats.binom.pmf(x, n, p)
    assert wb.coverage(method, n, [0.8, 0.2], metric="csat") == pytest.approx(total, abs=1e-12)


def test_coverage_accepts_per_point_probabilities():
    per_point = [0.05, 0.0, 0.0, 0.05, 0.1, 0.0, 0.1, 0.2, 0.1, 0.2, 0.2]
    per_level = [0.3, 0.3, 0.4]
    assert wb.coverage("score", 40, per_point) == pytest.approx(wb.coverage("score", 40, per_level))


def test_simulation_agrees_with_enumeration():
    exact = wb.coverage("adjusted_wald", 60, [0.2, 0.3, 0.5])
    simulated = wb.coverage("adjusted_wald", 60, [0.2, 0.3, 0.5], exact=False, simulations=40_000, rng=5)
    assert simulated == pytest.approx(exact, abs=0.005)


def test_exact_up_to_300_and_simulation_above():
    assert 0.93 < wb.coverage("score", 300, [0.1, 0.3, 0.6]) < 0.97
    assert 0.93 < wb.coverage("score", 2500, [0.1, 0.3, 0.6], rng=1, simulations=4000) < 0.97


def test_bad_distribution():
    with pytest.raises(wb.ParameterError, match=r"`distribution` must be non-negative and sum to 1; got sums \[0\.9\]"):
        wb.coverage("score", 20, [0.2, 0.3, 0.4])
    with pytest.raises(wb.ParameterError, match=r"`distribution` must give 3 probabilities"):
        wb.coverage("score", 20, [0.5, 0.5])


@pytest.mark.slow
def test_default_nps_method_keeps_nominal_coverage_for_every_n_from_10_to_200():
    """Issue 11, defect 9: exact coverage over promoter shares 5-90 % and detractor shares 2-50 %, the no-passive
    boundary (p + d = 1) included. Requirement: mean within one point of 95 % for every n >= 15, minimum >= 92 %.

    The mid-p interval meets it for every n from 16 to 200, and its minimum is at least 92.3 % from n = 10.
    At n = 15 its mean is 96.07 %: no candidate we tried reaches 96.0 % there without falling below 92 %
    somewhere (the plain score interval: 96.07 % and a minimum of 91.5 % at that n; the adjusted Wald keeps the
    mean but falls to 90.4 %, see the next test). That shortfall is asserted as measured, not hidden.
    """
    assert wb.default_method(wb.get_metric("nps").levels) == "midp"
    summary = summarise_coverage(coverage_grid(["midp"], range(10, 201))).set_index("n")
    assert len(summary) == 191
    assert (summary["min"] >= 0.92).all(), summary["min"].idxmin()
    assert (summary.loc[16:, "mean"] - 0.95).abs().max() <= 0.01
    assert 0.96 < summary.loc[15, "mean"] < 0.9608
    assert (summary.loc[10:14, "mean"] - 0.95).abs().max() <= 0.017  # small n over-covers a little


@pytest.mark.slow
@pytest.mark.parametrize("method, n, mean_ok", [("score", 15, False), ("score", 35, True), ("adjusted_wald", 18, True),
                                                ("adjusted_wald", 24, True)])
def test_the_other_candidates_fall_below_92_percent_somewhere(method, n, mean_ok):
    """Why the mid-p interval won: the plain score interval and the adjusted Wald dip below 92 % on the
    no-passive boundary, where the NPS is 2p - 1 of a binomial."""
    grid = coverage_grid([method, "midp"], [n])
    worst = grid.loc[grid.groupby("method")["coverage"].idxmin()].set_index("method")
    assert worst.loc[method, "coverage"] < 0.92 <= worst.loc["midp", "coverage"]
    assert worst.loc[method, "nps"] == pytest.approx(100 * (worst.loc[method, "promoters"] - worst.loc[method, "detractors"]))
    assert worst.loc[method, "promoters"] + worst.loc[method, "detractors"] == pytest.approx(1.0)  # no passives
    summary = summarise_coverage(grid).set_index("method")
    assert (abs(summary.loc[method, "mean"] - 0.95) <= 0.01) == mean_ok


@pytest.mark.slow
def test_plain_wald_fails_at_small_n():
    summary = summarise_coverage(coverage_grid(["wald"], [20]))
    assert summary["min"].iloc[0] < 0.80 and summary["mean"].iloc[0] < 0.93
