"""Benchmarks and targets: ABC reference, funnel false-alarm rates, shrinkage against known truth."""

import numpy as np
import pandas as pd
import pytest

import workbench as wb
from workbench import benchmarking as B
from conftest import read_reference


def test_abc_hand_worked_example():
    ref = read_reference("abc_example.csv")
    results = pd.DataFrame({"unit": ref["unit"], "n": ref["n"], "estimate": 100 * ref["x"] / ref["n"]})
    abc = B.achievable_benchmark(results, "csat", by=None).iloc[0]
    assert abc["abc"] == pytest.approx(100 * 214 / 260)
    assert abc["units_in_benchmark"] == ref["in_benchmark"].sum() and abc["n_in_benchmark"] == 260


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
    out = B.funnel(results, metric=metric, level=0.95)
    assert out["overdispersion"].iloc[0] == expected_method
    rate = (out["flag"] != "within").groupby(out["n"]).mean()
    assert (rate - 0.05).abs().max() < 0.02, rate.to_dict()


def test_funnel_at_three_sigma_flags_rarely_and_ignoring_overdispersion_flags_too_many():
    rng = np.random.default_rng(13)
    results = _simulated_shares(rng, NS, 1000, tau=0.35)
    honest = B.funnel(results, metric="csat", level=0.998)
    naive = B.funnel(results, metric="csat", level=0.998, overdispersion="none")
    assert (honest["flag"] != "within").mean() < 0.01
    assert (naive["flag"] != "within").mean() > 0.05
    multiplicative = B.funnel(results, metric="csat", level=0.998, overdispersion="multiplicative")
    assert multiplicative["overdispersion"].iloc[0] == "multiplicative" and multiplicative["phi"].iloc[0] > 1


def test_funnel_flags_a_special_cause():
    rng = np.random.default_rng(14)
    results = _simulated_shares(rng, np.array([200]), 40)
    results.loc[0, "estimate"] = 98.0
    out = B.funnel(results, metric="csat", level=0.998, benchmark=75.0)
    assert out.loc[0, "flag"] == "above" and out["benchmark"].iloc[0] == 75.0


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
    raw_error = np.mean((out["estimate"][small] - truth[small]) ** 2)
    shrunk_error = np.mean((out["shrunk"][small] - truth[small]) ** 2)
    assert shrunk_error < 0.6 * raw_error
    big = n == 400
    assert np.abs(out["shrunk"][big] - out["estimate"][big]).mean() < 2.0  # large units barely move


def test_shrunk_ranks_do_not_crown_a_lucky_small_unit():
    res = pd.DataFrame({"unit": list("abcdefgh"), "n": [5, 300, 300, 300, 300, 300, 300, 300],
                        "estimate": [100.0, 82, 80, 79, 78, 77, 76, 75]})
    out = B.shrink(res, "csat", by=None, rng=3)
    assert out.loc[0, "rank"] > 1 and out.loc[0, "rank_high"] - out.loc[0, "rank_low"] >= 4
    assert out["p_top"].between(0, 1).all()


def test_peer_benchmarks_are_seeded():
    res = pd.DataFrame({"service": ["x"] * 10, "n": [50] * 10, "estimate": np.arange(10.0) * 10})
    a = B.peer_benchmarks(res, rng=4)
    pd.testing.assert_frame_equal(a, B.peer_benchmarks(res, rng=4))
    assert a.loc[a["percentile"] == 50, "value"].iloc[0] == pytest.approx(45.0)
    assert (a["ci_low"] <= a["value"]).all() and (a["value"] <= a["ci_high"]).all()


def test_p_chart_limits_and_signals():
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    yes = [60, 60, 60, 60, 62, 63, 64, 65, 66, 67, 95, 60]
    rows = [(m, 1 if i < y else 0) for m, y in zip(months, yes) for i in range(100)]
    data = pd.DataFrame(rows, columns=["month", "fcr"])
    chart = B.control_chart(data, "fcr", chart="p")
    center = np.mean(yes)
    assert chart["center"].iloc[0] == pytest.approx(center)
    assert chart["ucl"].iloc[0] == pytest.approx(center + 3 * np.sqrt(center * (100 - center) / 100))
    assert "beyond limits" in chart.loc[10, "signal"]
    assert "trend of 6" in chart.loc[9, "signal"]
    laney = B.control_chart(data, "fcr", chart="laney")
    assert (laney["ucl"] - laney["lcl"]).iloc[0] != pytest.approx((chart["ucl"] - chart["lcl"]).iloc[0])


def test_propose_targets_flags_unverifiable_targets():
    res = pd.DataFrame({"service": ["x"] * 6, "unit": list("abcdef"), "n": [100] * 6,
                        "estimate": [10.0, 20, 30, 31, 40, 50], "se": [8.0] * 6})
    out = B.propose_targets(res, "nps", planned_n=100)
    c = out[out["unit"] == "c"].set_index("option")
    d = out[out["unit"] == "d"].set_index("option")
    assert d.loc["peer median", "status"] == "already reached"  # median 30.5 <= baseline 31
    assert set(out["option"]) == {"peer median", "top quartile", "ABC", "baseline + MDI"}
    mdi = c.loc["top quartile", "mdi"]
    assert mdi == pytest.approx((1.959963984540054 + 0.8416212335729143) * np.sqrt(2 * 100 * 64 / 100))
    row = c.loc["top quartile"]
    assert not row["verifiable"] and row["n_to_verify"] > 100
    assert c.loc["baseline + MDI", "verifiable"]


def test_case_mix_adjustment_removes_a_pure_mix_difference():
    rng = np.random.default_rng(5)
    rows = []
    for unit, old_share in (("young unit", 0.1), ("old unit", 0.9)):
        old = rng.random(3000) < old_share
        latent = 7 + 1.5 * old + rng.normal(0, 1.5, 3000)  # age effect only, no unit effect
        rows.append(pd.DataFrame({"unit": unit, "age": np.where(old, "75+", "18-34"),
                                  "nps": np.clip(np.round(latent), 0, 10).astype(int)}))
    data = pd.concat(rows, ignore_index=True)
    out = B.case_mix_adjust(data, "nps", unit="unit", adjusters=["age"]).set_index("unit")
    raw_gap = out.loc["old unit", "raw"] - out.loc["young unit", "raw"]
    adjusted_gap = out.loc["old unit", "adjusted"] - out.loc["young unit", "adjusted"]
    assert raw_gap > 20 and abs(adjusted_gap) < 4


@pytest.mark.parametrize("call, error, match", [
    (lambda r: B.achievable_benchmark(r.head(3), "nps", by=None), wb.DataError,
     r"Group \(all\) has 3 units; a benchmark needs at least 5"),
    (lambda r: B.funnel(r.assign(n=[10, 0, 5, 5, 5, 5]), metric="nps"), wb.DataError,
     r"Column 'n' must hold positive respondent counts; 1 of 6 units have \[0\]"),
    (lambda r: B.funnel(r.drop(columns="n"), metric="nps"), wb.DataError, r"Results column \['n'\] not found"),
    (lambda r: B.funnel(r, metric="nps", level=1.5), wb.ParameterError, r"`level` must be between 0 and 1"),
    (lambda r: B.funnel(r, metric="nps", overdispersion="auto-ish"), wb.ParameterError,
     r"Unknown `overdispersion` 'auto-ish'; valid: 'auto', 'additive', 'multiplicative', 'none'"),
    (lambda r: B.control_chart(pd.DataFrame({"month": ["a", "b"], "nps": [1, 2]}), "nps", chart="xbar"),
     wb.ParameterError, r"Unknown `chart` 'xbar'; valid: 'p', 'laney'"),
    (lambda r: B.benchmark_value(r, "nps", rule="best"), wb.ParameterError,
     r"Unknown `rule` 'best'; valid: 'pooled', 'median', 'top quartile', 'abc'"),
    (lambda r: B.peer_benchmarks(r, by=None, percentiles=[50, 100]), wb.ParameterError,
     r"`percentiles` must lie strictly between 0 and 100"),
    (lambda r: B.shrink(r.assign(estimate=[1.0, None, 3, 4, 5, 6]), "nps", by=None), wb.DataError,
     r"Column 'estimate' has 1 missing values"),
])
def test_bad_input(call, error, match):
    results = pd.DataFrame({"unit": list("abcdef"), "n": [10, 20, 30, 40, 50, 60],
                            "estimate": [10.0, 20, 30, 40, 50, 60], "se": [9.0] * 6})
    with pytest.raises(error, match=match):
        call(results)


def test_benchmark_rules():
    res = pd.DataFrame({"n": [100, 300, 100, 100, 400], "estimate": [10.0, 20, 30, 40, 50]})
    assert B.benchmark_value(res, "nps", "pooled") == pytest.approx((1000 + 6000 + 3000 + 4000 + 20000) / 1000)
    assert B.benchmark_value(res, "nps", "median") == 30.0
    assert B.benchmark_value(res, "nps", "top quartile") == 40.0
    assert B.benchmark_value(res, "nps", "abc") == pytest.approx(50.0)


def test_group_labels_follow_the_rows_when_results_are_not_sorted():
    res = pd.DataFrame({"service": ["z"] * 5 + ["a"] * 5, "unit": list("abcdefghij"), "n": [50] * 10,
                        "estimate": [90.0] * 5 + [10.0] * 5, "se": [5.0] * 10})
    medians = B.peer_benchmarks(res, rng=1, percentiles=[50]).set_index("service")["value"]
    assert medians.to_dict() == {"a": 10.0, "z": 90.0}
    abc = B.achievable_benchmark(res, "nps").set_index("service")["abc"]
    assert abc.to_dict() == {"a": 10.0, "z": 90.0}
    shrunk = B.shrink(res, "nps", rng=1)
    assert (shrunk.loc[shrunk["service"] == "z", "shrunk"] > 80).all()
