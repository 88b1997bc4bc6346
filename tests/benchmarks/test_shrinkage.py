"""Empirical-Bayes shrinkage against a known truth; ranks with uncertainty."""

import numpy as np
import pandas as pd
import pytest

import workbench as wb
from workbench import benchmarks as B


def _points(level_counts):
    """Trinomial counts placed on scale points 0 (detractor), 7 (passive) and 10 (promoter)."""
    points = np.zeros((len(level_counts), 11))
    points[:, 0], points[:, 7], points[:, 10] = level_counts[:, 0], level_counts[:, 1], level_counts[:, 2]
    return points


@pytest.mark.parametrize("metric", ["nps", "csat"])
def test_shrinkage_lowers_the_error_of_small_units(metric):
    rng = np.random.default_rng(21)
    k = 300
    n = rng.choice([8, 12, 20, 40, 400], k)
    if metric == "nps":
        truth_p = np.clip(rng.normal(0.5, 0.06, k), 0.05, 0.9)
        counts = np.array([rng.multinomial(m, [0.2, 0.8 - p, p]) for m, p in zip(n, truth_p)])
        truth = 100 * (truth_p - 0.2)
        res = wb.estimate(wb.Counts(pd.DataFrame({"unit": range(k)}), _points(counts), np.zeros(k),
                                    wb.get_metric("nps").scale), "nps", method="wald")
    else:
        truth_p = np.clip(rng.normal(0.7, 0.06, k), 0.05, 0.95)
        x = rng.binomial(n, truth_p)
        truth = 100 * truth_p
        res = pd.DataFrame({"unit": range(k), "n": n, "estimate": 100 * x / n})
    out = B.shrink(res, metric, by=None, rng=1)
    small = n <= 20
    raw_error = np.mean((out["raw"][small] - truth[small]) ** 2)
    shrunk_error = np.mean((out["estimate"][small] - truth[small]) ** 2)
    assert shrunk_error < 0.6 * raw_error
    big = n == 400
    assert np.abs(out["estimate"][big] - out["raw"][big]).mean() < 2.0  # large units barely move


def test_shrunk_ranks_do_not_crown_a_lucky_small_unit():
    res = pd.DataFrame({"unit": list("abcdefgh"), "n": [5, 300, 300, 300, 300, 300, 300, 300],
                        "estimate": [100.0, 82, 80, 79, 78, 77, 76, 75]})
    out = B.shrink(res, "csat", by=None, rng=3)
    assert out.loc[0, "rank"] > 1 and out.loc[0, "rank_high"] - out.loc[0, "rank_low"] >= 4
    assert out["p_top"].between(0, 1).all()
