"""Comparisons: agreement with statsmodels and closed forms, p-values, bad input."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats import proportion as smp

import workbench as wb


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


def test_score_method_loops_over_pairs(small_responses):
    result = wb.compare(small_responses, "fcr", between="period", by="unit", method="score")
    assert len(result) == 2 and result["p_value"].between(0, 1).all()


def test_nps_wald_difference_by_hand():
    df = pd.DataFrame({"p": ["a"] * 10 + ["b"] * 10,
                       "nps": [10, 10, 9, 9, 8, 7, 5, 3, 9, 10] + [10, 6, 6, 5, 8, 7, 9, 2, 1, 10]})
    row = wb.compare(df, "nps", between="p", method="wald").iloc[0]
    pa, da, pb, db = 0.6, 0.2, 0.3, 0.5
    va, vb = (pa + da - (pa - da) ** 2) / 10, (pb + db - (pb - db) ** 2) / 10
    diff = (pb - db) - (pa - da)
    se = np.sqrt(va + vb)
    assert row["difference"] == pytest.approx(100 * diff)
    assert row["se"] == pytest.approx(100 * se)
    assert row["p_value"] == pytest.approx(2 * stats.norm.sf(abs(diff) / se))
    assert row["ci_low"] == pytest.approx(100 * (diff - 1.959963984540054 * se))


def test_explicit_groups_and_by(small_responses):
    result = wb.compare(small_responses, "nps", between="unit", groups=("b", "a"), by="period")
    assert result["period"].tolist() == ["2025", "2026"]
    assert (result["group_a"] == "b").all()


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(between="unit", groups=None), wb.DataError, r"Column 'unit' has 3 levels \['a', 'b', 'c'\]; name the two"),
    (dict(between="unit", groups=("a", "z")), wb.DataError, r"Column 'unit' has no answers for \['z'\]"),
    (dict(between="unit", groups=("a", "b"), method="newcomb"), wb.MethodError,
     r"Unknown `method` 'newcomb'; valid: 'adjusted_wald', 'wald'"),
    (dict(between="unit", by="unit"), wb.ParameterError, r"`between` \('unit'\) cannot also be in `by`"),
])
def test_bad_input(kwargs, error, match):
    df = pd.DataFrame({"unit": ["a", "b", "c"] * 3, "nps": [1, 5, 9] * 3})
    with pytest.raises(error, match=match):
        wb.compare(df, "nps", **kwargs)
