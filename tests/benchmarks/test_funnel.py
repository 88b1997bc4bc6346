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
    counts = np.array([rng.multinomial(k, [d, 1 - p - d, p]) for k, p, d in zip(n, pro, det)])
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
    (_simulated_shares, "csat", 1000, 0.0, "none", 11),
    (_simulated_shares, "csat", 1000, 0.35, "additive", 11),
    (_simulated_nps, "nps", 600, 0.0, "none", 12),
    (_simulated_nps, "nps", 600, 0.08, "additive", 12),
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
