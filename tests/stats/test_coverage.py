"""Coverage: exact enumeration, agreement with simulation, and the evidence for the NPS default."""

import numpy as np
import pytest
from scipy import stats

import workbench as wb
from workbench.stats.coverage import coverage_grid, summarise_coverage


def test_exact_wald_coverage_of_a_share_by_brute_force():
    n, p = 30, 0.2
    z = stats.norm.ppf(0.975)
    total = 0.0
    for x in range(n + 1):  # independent loop over binomial outcomes
        ph = x / n
        half = z * np.sqrt(ph * (1 - ph) / n)
        if ph - half <= p <= ph + half:
            total += stats.binom.pmf(x, n, p)
    assert wb.coverage("wald", n, [0.8, 0.2], metric="csat") == pytest.approx(total, abs=1e-12)


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
def test_default_nps_method_keeps_nominal_coverage_for_every_n_from_20_to_200():
    """Issue 2's requirement, over promoter shares 5-90 % and detractor shares 2-50 %."""
    assert wb.default_method(wb.get_metric("nps").levels) == "score"
    summary = summarise_coverage(coverage_grid(["score"], range(20, 201)))
    assert len(summary) == 181
    assert (summary["mean"] - 0.95).abs().max() <= 0.01
    assert summary["min"].min() >= 0.92


@pytest.mark.slow
def test_plain_wald_fails_at_small_n():
    summary = summarise_coverage(coverage_grid(["wald"], [20]))
    assert summary["min"].iloc[0] < 0.80 and summary["mean"].iloc[0] < 0.93
