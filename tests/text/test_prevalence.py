import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

import workbench as wb
from workbench.errors import DataError, ParameterError
from workbench.text.prevalence import comment_rate, compare_themes, theme_prevalence, theme_tone, theme_trends


@pytest.fixture
def coded():
    rng = np.random.default_rng(11)
    n = 600
    commented = rng.random(n) < 0.6
    frame = pd.DataFrame({
        "unit": rng.choice(["a", "b"], n), "month": rng.choice([f"2026-{m:02d}" for m in range(1, 7)], n),
        "commented": commented,
        "theme_phone": commented & (rng.random(n) < 0.3), "theme_access": commented & (rng.random(n) < 0.1),
        "tone": pd.Categorical(np.where(commented, rng.choice(["positive", "negative", "mixed", "neutral"], n), None)),
    })
    return frame


def test_shares_are_wilson_intervals_of_the_comments(coded):
    out = theme_prevalence(coded, by="unit", confidence=0.9)
    for row in out.itertuples():
        base = coded[(coded["unit"] == row.unit) & coded["commented"]]
        count = int(base[f"theme_{row.theme}"].sum())
        low, high = proportion_confint(count, len(base), alpha=0.1, method="wilson")
        assert row.n == len(base) and row.mentions == count and row.method == "wilson"
        assert row.estimate == pytest.approx(100 * count / len(base))
        assert (row.ci_low, row.ci_high) == pytest.approx((100 * low, 100 * high))
    everyone = theme_prevalence(coded, base="respondents")
    assert (everyone["n"] == len(coded)).all() and (everyone["base"] == "respondents").all()


def test_comment_rate_is_the_base(coded):
    out = comment_rate(coded, by="unit")
    assert out["n"].sum() == len(coded) and out["comments"].sum() == coded["commented"].sum()


def test_tone_shares_add_up_per_theme(coded):
    out = theme_tone(coded)
    totals = out.groupby("theme")["estimate"].sum()
    assert np.allclose(totals, 100) and set(out["tone"]) == {"positive", "negative", "mixed", "neutral"}
    none = theme_tone(coded.assign(theme_phone=False, theme_access=False))
    assert none.empty and "estimate" in none.columns


def test_trends_use_control_charts(coded):
    out = theme_trends(coded, time="month")
    phone = out[out["theme"] == "phone"]
    frame = coded[coded["commented"]].assign(x=np.where(coded.loc[coded["commented"], "theme_phone"], "yes", "no"))
    chart = wb.control_chart(frame, "fcr", time="month", column="x", chart="p")
    assert np.allclose(phone["limit_high"], chart["limit_high"]) and np.allclose(phone["estimate"], chart["estimate"])


def test_differences_use_compare(coded):
    out = compare_themes(coded, between="unit", groups=("a", "b"))
    frame = coded[coded["commented"]].assign(x=np.where(coded.loc[coded["commented"], "theme_phone"], "yes", "no"))
    expected = wb.compare(frame, "fcr", between="unit", groups=("a", "b"), column="x")
    got = out[out["theme"] == "phone"].iloc[0]
    assert got["difference"] == pytest.approx(expected["difference"].iloc[0])
    assert got["ci_low"] == pytest.approx(expected["ci_low"].iloc[0])


def test_errors(coded):
    with pytest.raises(ParameterError, match="Unknown `base` 'all'; valid: 'comments', 'respondents'"):
        theme_prevalence(coded, base="all")
    with pytest.raises(DataError, match="No comments to count: 0 of 600 rows have a comment"):
        theme_prevalence(coded.assign(commented=False))
    with pytest.raises(DataError, match=r"No theme columns \(theme_<id>\)"):
        theme_prevalence(coded.drop(columns=["theme_phone", "theme_access"]))
    with pytest.raises(DataError, match=r"Theme column \['theme_safety'\] not found"):
        theme_prevalence(coded, themes=["safety"])
