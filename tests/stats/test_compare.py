"""Comparisons: agreement with R (the formulas written out; PropCIs, contingencytables and Newcombe's published
examples), statsmodels and closed forms; designs; p-values; bad input."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats import proportion as smp

import workbench as wb
from workbench.stats.compare import miettinen_nurminen, newcombe_hybrid
from conftest import read_reference

REFERENCE = read_reference("r/compare_two_proportions.csv")


def _shares(case):
    """Responses for one reference case: group a then group b, answers yes/no."""
    a = ["yes"] * case.x_a + ["no"] * (case.n_a - case.x_a)
    b = ["yes"] * case.x_b + ["no"] * (case.n_b - case.x_b)
    return pd.DataFrame({"g": ["a"] * case.n_a + ["b"] * case.n_b, "fcr": a + b})


@pytest.mark.parametrize("method, column", [("score", "mn"), ("newcombe", "newcombe"), ("agresti-caffo", "ac"),
                                            ("wald", "wald")])
@pytest.mark.parametrize("case", list(REFERENCE.itertuples()), ids=list(REFERENCE["case"]))
def test_difference_of_shares_agrees_with_r(method, column, case):
    row = wb.compare(_shares(case), "fcr", between="g", method=method).iloc[0]
    suffix = "_clip" if method in ("agresti-caffo", "wald") else ""
    assert row["difference"] == pytest.approx(case.diff_pct, rel=1e-12, abs=1e-12)
    assert row["ci_low"] == pytest.approx(getattr(case, f"{column}_low{suffix}"), rel=1e-9, abs=1e-9)
    assert row["ci_high"] == pytest.approx(getattr(case, f"{column}_high{suffix}"), rel=1e-9, abs=1e-9)


def test_miettinen_nurminen_fixes_the_statsmodels_0_15_bug():
    """statsmodels issue #10269: `count0` for `nobs0` in the MN cubic. When this test fails, statsmodels is fixed
    and compare(method='score') can go back to confint_proportions_2indep (see miettinen_nurminen's docstring)."""
    low, high = smp.confint_proportions_2indep(30, 30, 24, 30, method="score", compare="diff")
    assert 100 * high == pytest.approx(39.1, abs=0.05)  # wrong; R and our implementation give 37.4669
    ours = miettinen_nurminen(30, 30, 24, 30)
    assert 100 * ours[1] == pytest.approx(37.46690484298704, rel=1e-9)
    with pytest.raises(ValueError):
        smp.confint_proportions_2indep(0, 20, 5, 20, method="score", compare="diff")


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 60), st.integers(1, 60), st.data())
def test_score_and_newcombe_intervals_contain_the_difference_and_stay_in_range(n_a, n_b, data):
    x_a, x_b = data.draw(st.integers(0, n_a)), data.draw(st.integers(0, n_b))
    for method in (miettinen_nurminen, newcombe_hybrid):
        low, high = method(x_b, n_b, x_a, n_a)[:2]
        d = x_b / n_b - x_a / n_a
        assert -1 - 1e-12 <= low <= d + 1e-9 and d - 1e-9 <= high <= 1 + 1e-12


def test_binary_difference_uses_statsmodels(small_responses):
    result = wb.compare(small_responses, "fcr", between="period")
    yes = small_responses.assign(y=small_responses["fcr"] == "kyllä").groupby("period")["y"].agg(["sum", "size"])
    low, high = smp.confint_proportions_2indep(yes.loc["2026", "sum"], yes.loc["2026", "size"], yes.loc["2025", "sum"],
                                           yes.loc["2025", "size"], method="agresti-caffo")
    p = smp.test_proportions_2indep(yes.loc["2026", "sum"], yes.loc["2026", "size"], yes.loc["2025", "sum"],
                                yes.loc["2025", "size"], method="agresti-caffo").pvalue
    row = result.iloc[0]
    assert (row["group_a"], row["group_b"]) == ("2025", "2026")
    assert row["ci_low"] == pytest.approx(100 * low) and row["ci_high"] == pytest.approx(100 * high)
    assert row["p_value"] == pytest.approx(p)


def test_score_method_is_vectorised_over_pairs_with_the_score_test(small_responses):
    result = wb.compare(small_responses, "fcr", between="period", by="unit", method="score")
    assert len(result) == 2 and result["p_value"].between(0, 1).all()
    yes = small_responses.assign(y=small_responses["fcr"] == "kyllä")
    first = yes[yes["unit"] == "a"].groupby("period")["y"].agg(["sum", "size"])
    p = smp.test_proportions_2indep(first.loc["2026", "sum"], first.loc["2026", "size"], first.loc["2025", "sum"],
                                    first.loc["2025", "size"], method="score").pvalue  # correct at δ = 0
    assert result.loc[0, "p_value"] == pytest.approx(p, rel=1e-9)


def test_nps_wald_difference_by_hand():
    df = pd.DataFrame({"p": ["a"] * 10 + ["b"] * 10,
                       "nps": [10, 10, 9, 9, 8, 7, 5, 3, 9, 10] + [10, 6, 6, 5, 8, 7, 9, 2, 1, 10]})
    row = wb.compare(df, "nps", between="p", method="wald").iloc[0]
    pa, da, pb, db = 0.6, 0.2, 0.3, 0.5
    # R svymean's variance of each group's NPS: s²/n with s² of divisor n - 1
    va, vb = (pa + da - (pa - da) ** 2) / 9, (pb + db - (pb - db) ** 2) / 9
    diff = (pb - db) - (pa - da)
    se = np.sqrt(va + vb)
    assert row["difference"] == pytest.approx(100 * diff)
    assert row["se"] == pytest.approx(100 * se)
    assert row["se"] == pytest.approx(np.hypot(*wb.estimate(df, "nps", by="p", method="wald")["se"]))
    assert row["p_value"] == pytest.approx(2 * stats.norm.sf(abs(diff) / se))
    assert row["ci_low"] == pytest.approx(100 * (diff - 1.959963984540054 * se))


def test_weighted_comparison_is_the_linearised_contrast_of_two_domains():
    """Var(ȳ_b - ȳ_a) = Var_a + Var_b - 2 Cov under clusters; checked by the dense computation."""
    rng = np.random.default_rng(5)
    n = 600
    df = pd.DataFrame({"g": rng.choice(["a", "b"], n), "area": rng.choice(["x", "y"], n), "nps": rng.integers(0, 11, n),
                       "w": rng.uniform(1, 3, n), "psu": rng.integers(0, 60, n), "st": rng.integers(0, 3, n)})
    design = wb.Design(weights="w", strata="st", clusters="psu")
    result = wb.compare(df, "nps", between="g", by="area", design=design)
    scores = np.select([df["nps"] >= 9, df["nps"] >= 7], [100.0, 0.0], -100.0)
    for _, row in result.iterrows():
        inside = (df["area"] == row["area"]).to_numpy()
        a, b = inside & (df["g"] == "a").to_numpy(), inside & (df["g"] == "b").to_numpy()
        w = df["w"].to_numpy()
        mean_a, mean_b = np.average(scores[a], weights=w[a]), np.average(scores[b], weights=w[b])
        z = w * (np.where(b, (scores - mean_b) / w[b].sum(), 0) - np.where(a, (scores - mean_a) / w[a].sum(), 0))
        totals = pd.DataFrame({"st": df["st"], "psu": df["psu"], "z": z}).groupby(["st", "psu"])["z"].sum()
        variance = sum(len(t) / (len(t) - 1) * ((t - t.mean()) ** 2).sum() for _, t in totals.groupby(level=0))
        assert row["difference"] == pytest.approx(mean_b - mean_a)
        assert row["se"] == pytest.approx(np.sqrt(variance), rel=1e-10)


def test_explicit_groups_and_by(small_responses):
    result = wb.compare(small_responses, "nps", between="unit", groups=("b", "a"), by="period")
    assert result["period"].tolist() == ["2025", "2026"]
    assert (result["group_a"] == "b").all()


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(between="unit", groups=None), wb.DataError, r"Column 'unit' has 3 levels \['a', 'b', 'c'\]; name the two"),
    (dict(between="unit", groups=("a", "z")), wb.DataError, r"Column 'unit' has no answers for \['z'\]"),
    (dict(between="unit", groups=("a", "b"), method="newcomb"), wb.MethodError,
     r"Unknown `method` 'newcomb'; valid: 'adjusted_wald', 'wald'"),
    (dict(between="unit", groups=("a", "b"), method="score", design=wb.Design(weights=np.ones(9))), wb.MethodError,
     r"With a respondent-level design the comparison is a Wald \('wald'\) or t \('t'\) interval"),
    (dict(between="unit", by="unit"), wb.ParameterError, r"`between` \('unit'\) cannot also be in `by`"),
])
def test_bad_input(kwargs, error, match):
    df = pd.DataFrame({"unit": ["a", "b", "c"] * 3, "nps": [1, 5, 9] * 3})
    with pytest.raises(error, match=match):
        wb.compare(df, "nps", **kwargs)
