"""Funnel plots: false-alarm rates under the null, overdispersion, planted special causes."""

import numpy as np
import pandas as pd
import pytest

import workbench as wb
from workbench import benchmarks as B


def _simulated_shares(rng, ns, units_per_n, p=0.75, tau=0.0):
    n = np.repeat(ns, units_per_n)
    logit = np.log(p / (1 - p)) + rng.normal(0, tau, len(n)) if tau else np.full(len(n), np.log(p / (1 - p)))
    x = rng.binomial(n, 1 / (1 + np.exp(-logit)))
    share = x / n
    return pd.DataFrame({"n": n, "estimate": 100 * share, "se": 100 * np.sqrt(share * (1 - share) / n)})


def _simulated_nps(rng, ns, units_per_n, tau=0.0):
    n = np.repeat(ns, units_per_n)
    shift = rng.normal(0, tau, len(n))
    pro = np.clip(0.5 + shift, 0.05, 0.9)
    det = np.clip(0.2 - shift, 0.02, 0.5)
    counts = rng.multinomial(n, np.stack([det, 1 - pro - det, pro], axis=1))
    res = wb.estimate(wb.Counts(pd.DataFrame({"id": range(len(n))}), _points(counts), np.zeros(len(n)),
                                wb.get_metric("nps").scale), "nps", method="wald")
    return res


def _points(level_counts):
    """Trinomial counts placed on scale points 0 (detractor), 7 (passive) and 10 (promoter)."""
    points = np.zeros((len(level_counts), 11))
    points[:, 0], points[:, 7], points[:, 10] = level_counts[:, 0], level_counts[:, 1], level_counts[:, 2]
    return points


NS = np.array([50, 100, 200, 500, 1000])


@pytest.mark.parametrize("simulate, metric, units, tau, expected_method, seed", [
    (_simulated_shares, "csat", 3000, 0.0, "none", 11),
    (_simulated_shares, "csat", 3000, 0.35, "additive", 11),
    (_simulated_nps, "nps", 3000, 0.0, "none", 12),
    (_simulated_nps, "nps", 3000, 0.08, "additive", 12),
], ids=["shares", "shares-overdispersed", "nps", "nps-overdispersed"])
def test_funnel_false_alarm_rate_is_nominal_at_every_n(simulate, metric, units, tau, expected_method, seed):
    results = simulate(np.random.default_rng(seed), NS, units, tau=tau)
    out = B.funnel(results, metric=metric, confidence=0.95)
    assert out["overdispersion"].iloc[0] == expected_method
    rate = (out["flag"] != "within").groupby(out["n"]).mean()
    assert (rate - 0.05).abs().max() < 0.02, rate.to_dict()


def test_funnel_at_three_sigma_flags_rarely_and_ignoring_overdispersion_flags_too_many():
    rng = np.random.default_rng(13)
    results = _simulated_shares(rng, NS, 1000, tau=0.35)
    honest = B.funnel(results, metric="csat", confidence=0.998)
    naive = B.funnel(results, metric="csat", confidence=0.998, overdispersion="none")
    assert (honest["flag"] != "within").mean() < 0.01
    assert (naive["flag"] != "within").mean() > 0.05
    multiplicative = B.funnel(results, metric="csat", confidence=0.998, overdispersion="multiplicative")
    assert multiplicative["overdispersion"].iloc[0] == "multiplicative" and multiplicative["phi"].iloc[0] > 1


def test_funnel_flags_a_special_cause():
    rng = np.random.default_rng(14)
    results = _simulated_shares(rng, np.array([200]), 40)
    results.loc[0, "estimate"] = 98.0
    out = B.funnel(results, metric="csat", confidence=0.998, benchmark=75.0)
    assert out.loc[0, "flag"] == "above" and out["benchmark"].iloc[0] == 75.0


def _random_effects_units(rng, metric, funnels, units, tau, n_range, planted=0, shift=3.5):
    """Units with normal random effects (SD `tau` points) around 75 % (shares) or NPS 30, `planted` of each
    funnel moved `shift` total SDs below the centre. Returns results, the planted mask, σ² and the centre."""
    size = funnels * units
    low, high = n_range
    n = np.round(np.exp(rng.uniform(np.log(low), np.log(high), size))).astype(int)
    centre, sigma2 = (75.0, 75.0 * 25.0) if metric == "csat" else (30.0, 1e4 * (0.7 - 0.3**2))
    truth = centre + rng.normal(0, tau, size)
    is_planted = np.tile(np.arange(units) < planted, funnels)
    truth = np.where(is_planted, centre - shift * np.sqrt(sigma2 / n + tau**2), truth)
    groups = np.repeat(np.arange(funnels), units)
    if metric == "csat":
        x = rng.binomial(n, truth / 100)
        results = pd.DataFrame({"funnel": groups, "n": n, "estimate": 100 * x / n})
    else:
        moved = (truth - centre) / 100
        counts = rng.multinomial(n, np.stack([0.2 - moved / 2, 0.3 + 0 * moved, 0.5 + moved / 2], axis=1))
        keys = pd.DataFrame({"funnel": groups, "unit": np.arange(size)})
        results = wb.estimate(wb.Counts(keys, _points(counts), np.zeros(size), wb.get_metric("nps").scale), "nps",
                              method="wald")
    return results, is_planted, sigma2, centre


@pytest.mark.parametrize("metric, tau", [("csat", 3.0), ("nps", 5.0)])
def test_large_units_are_flagged_at_the_nominal_rate_under_a_random_effects_null(metric, tau):
    """Issue 11, defect 8: 100 funnels of 2,000 units with 400-2,000 responses; seeded. Within 0.05 points of
    0.2 % at 99.8 % and 0.5 points of 5 % at 95 % (measured: shares 0.209 % / 4.99 %, NPS 0.217 % / 5.09 %; the
    issue measured 0.32-0.36 % with the estimate of before)."""
    results, _, _, _ = _random_effects_units(np.random.default_rng(7), metric, 100, 2000, tau, (400, 2000))
    for confidence, tolerance in ((0.998, 0.0005), (0.95, 0.005)):
        out = B.funnel(results, metric=metric, confidence=confidence, by="funnel")
        rate = (out["flag"] != "within").mean()
        assert abs(rate - (1 - confidence)) <= tolerance, (confidence, rate)


@pytest.mark.parametrize("metric, tau", [("csat", 3.0), ("nps", 5.0)])
def test_planted_special_causes_are_found_about_as_often_as_with_the_true_centre_and_tau2(metric, tau):
    """Issue 11, defect 7: 200 funnels of 200 units (50-1,000 responses), 10 of each planted 3.5 SD below.
    Flagged within 5 points of the oracle limits, which know the centre and τ² (same limit formula). Measured:
    63.9 % vs 68.2 % (shares), 65.2 % vs 69.3 % (NPS); trimming at 99.8 % found 52.5 % and 53.4 %."""
    results, planted, sigma2, centre = _random_effects_units(np.random.default_rng(11), metric, 200, 200, tau,
                                                             (50, 1000), planted=10)
    out = B.funnel(results, metric=metric, confidence=0.998, by="funnel")
    skew = out["skewness"].mean()  # the skewness of one response at the centre (the same in every funnel)
    low, high = B.funnel_limits(results["n"], centre, sigma2, confidence=0.998, tau2=tau**2, skew=skew)
    y = results["estimate"].to_numpy()
    oracle = ((y < low) | (y > high))[planted].mean()
    found = (out["flag"].to_numpy() != "within")[planted].mean()
    assert abs(found - oracle) <= 0.05, (found, oracle)
    assert (out["flag"].to_numpy() != "within")[~planted].mean() < 0.004  # and few false alarms meanwhile
