import itertools

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import read_reference
from workbench.errors import DataError, ParameterError
from workbench.text.drivers import driver_regression, nps_impact, relative_importance, shapley_r2


def _nps(scores):
    scores = np.asarray(scores)
    return 100 * ((scores >= 9).mean() - (scores <= 6).mean())


@pytest.fixture
def coded():
    rng = np.random.default_rng(21)
    n = 800
    phone = rng.random(n) < 0.3
    kind = ~phone & (rng.random(n) < 0.25)
    score = np.clip(np.round(8 - 3 * phone + 1.5 * kind + rng.normal(0, 1.5, n)), 0, 10).astype(int)
    tone = np.where(phone, "negative", np.where(kind, "positive", "neutral"))
    return pd.DataFrame({"nps": score, "commented": True, "theme_phone": phone, "theme_respect": kind,
                         "theme_costs": False, "tone": pd.Categorical(tone)})


def test_nps_impact_point_estimates_and_seeded_interval(coded):
    out = nps_impact(coded, rng=3).set_index("theme")
    overall = _nps(coded["nps"])
    not_phone = _nps(coded.loc[~coded["theme_phone"], "nps"])
    assert out.loc["phone", "nps"] == pytest.approx(overall)
    assert out.loc["phone", "impact"] == pytest.approx(overall - not_phone) and out.loc["phone", "impact"] < 0
    assert out.loc["phone", "ci_low"] <= out.loc["phone", "impact"] <= out.loc["phone", "ci_high"] < 0
    assert out.loc["costs", "impact"] == 0 and out.loc["phone", "note"] == "association, not cause"
    pd.testing.assert_frame_equal(nps_impact(coded, rng=3), nps_impact(coded, rng=3))


def test_multinomial_bootstrap_matches_a_row_bootstrap(coded):
    rng = np.random.default_rng(0)
    values, phone = coded["nps"].to_numpy(), coded["theme_phone"].to_numpy()
    draws = []
    for _ in range(2000):
        pick = rng.integers(0, len(values), len(values))
        draws.append(_nps(values[pick]) - _nps(values[pick][~phone[pick]]))
    ours = nps_impact(coded, rng=1, replicates=2000).set_index("theme").loc["phone"]
    low, high = np.quantile(draws, [0.025, 0.975])
    assert ours["ci_low"] == pytest.approx(low, abs=0.6) and ours["ci_high"] == pytest.approx(high, abs=0.6)


def test_regression_equals_statsmodels_and_finds_the_planted_effects(coded):
    out = driver_regression(coded).set_index("term")
    assert set(out.index) == {"phone:negative", "respect:positive"}  # terms no comment has are left out
    x = sm.add_constant(pd.DataFrame({"phone:negative": coded["theme_phone"].astype(float),
                                      "respect:positive": coded["theme_respect"].astype(float)}))
    fit = sm.OLS(coded["nps"].astype(float), x).fit(cov_type="HC3")
    assert out.loc["phone:negative", "estimate"] == pytest.approx(fit.params["phone:negative"])
    assert out.loc["phone:negative", "se"] == pytest.approx(fit.bse["phone:negative"])
    assert out.loc["phone:negative", "estimate"] < -2 and out.loc["respect:positive", "estimate"] > 0.5
    logit = driver_regression(coded, outcome="detractor").set_index("term")
    assert logit.loc["phone:negative", "estimate"] > 0 and (logit["method"] == "logit-ame").all()


def test_shapley_r2_against_the_r_brute_force():
    data = read_reference("shapley_r2_data.csv")
    expected = read_reference("shapley_r2.csv")
    phi = shapley_r2(data[["x1", "x2", "x3", "x4"]].to_numpy(), data["y"].to_numpy())
    assert phi == pytest.approx(expected["shapley"].to_numpy(), abs=1e-10)
    assert phi.sum() == pytest.approx(expected["r2_full"].iloc[0], abs=1e-10)


def _r2(x, y, subset):
    if not subset:
        return 0.0
    design = np.column_stack([np.ones(len(y)), x[:, list(subset)]])
    resid = y - design @ np.linalg.lstsq(design, y, rcond=None)[0]
    return 1 - resid @ resid / ((y - y.mean()) @ (y - y.mean()))


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 4), st.integers(0, 10_000))
def test_shapley_r2_equals_a_permutation_brute_force(p, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(40, p))
    x[:, 0] += rng.normal(size=40) * 0.5
    y = x @ rng.normal(size=p) + rng.normal(size=40)
    brute = np.zeros(p)
    orders = list(itertools.permutations(range(p)))
    for order in orders:
        for i, j in enumerate(order):
            brute[j] += _r2(x, y, order[:i + 1]) - _r2(x, y, order[:i])
    phi = shapley_r2(x, y)
    assert phi == pytest.approx(brute / len(orders), abs=1e-9)
    assert phi.sum() == pytest.approx(_r2(x, y, range(p)), abs=1e-9)


def test_relative_importance_table(coded):
    out = relative_importance(coded, rng=2, replicates=50)
    assert list(out["theme"]) == ["phone", "respect"] and out["share"].sum() == pytest.approx(100)
    assert (out["ci_low"] <= out["r2_share"]).all() and (out["r2_share"] <= out["ci_high"]).all()


def test_errors(coded):
    with pytest.raises(DataError, match="Column 'nps' must hold 0-10 answers; 1 of 800 rows do not"):
        nps_impact(coded.assign(nps=coded["nps"].where(coded.index > 0, 12)))
    with pytest.raises(ParameterError, match="Unknown `outcome` 'nps'; valid: 'score', 'promoter', 'detractor'"):
        driver_regression(coded, outcome="nps")
    with pytest.raises(ParameterError, match="at most 16 predictors, got 17"):
        shapley_r2(np.zeros((20, 17)), np.zeros(20))
    with pytest.raises(ParameterError, match=r"`x` must be \(n, p\) and `y` \(n,\)"):
        shapley_r2(np.zeros(5), np.zeros(5))
    with pytest.raises(ParameterError, match="`replicates` must be a whole number >= 0; got -1"):
        relative_importance(coded, replicates=-1)


def test_too_few_rows():
    tiny = pd.DataFrame({"nps": [3, 9], "commented": True, "theme_phone": [True, False], "theme_access": [False, True],
                         "tone": pd.Categorical(["negative", "positive"])})
    with pytest.raises(DataError, match="Driver regression needs more rows than terms: 2 rows, 2 terms"):
        driver_regression(tiny)
    with pytest.raises(DataError, match=r"Driver analysis needs answered scores; 0 of 2 rows have one"):
        nps_impact(tiny.assign(nps=np.nan))
