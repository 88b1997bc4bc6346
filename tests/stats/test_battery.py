"""Statement batteries: Cronbach's alpha against pingouin, statement summaries."""

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

import workbench as wb
from workbench import stats as review
from conftest import REFERENCE


@pytest.fixture
def battery():
    rng = np.random.default_rng(2)
    common = rng.normal(0, 1, 500)
    data = pd.DataFrame({f"s{j}": np.clip(np.round(3 + common + rng.normal(0, 0.8, 500)), 1, 5).astype(int)
                         for j in range(1, 5)})
    data.loc[:20, "s2"] = 6  # don't know
    data["area"] = np.where(np.arange(500) < 250, "a", "b")
    return data


def test_cronbach_alpha_is_pingouins_on_complete_substantive_answers(battery):
    result = review.battery_reliability(battery, ["s1", "s2", "s3", "s4"]).iloc[0]
    complete = battery[["s1", "s2", "s3", "s4"]].replace(6, np.nan).dropna()
    alpha, ci = pg.cronbach_alpha(data=complete)
    assert result["alpha"] == pytest.approx(alpha) and result["n_complete"] == len(complete) == 479
    assert (result["ci_low"], result["ci_high"]) == pytest.approx(tuple(ci))
    by_area = review.battery_reliability(battery, ["s1", "s2", "s3", "s4"], by="area")
    assert by_area["area"].tolist() == ["a", "b"]


def test_statement_summary(battery):
    table = review.statement_summary(battery, ["s1", "s2"])
    s2 = table.set_index("statement").loc["s2"]
    assert s2["n_dont_know"] == 21 and s2["dont_know_share"] == pytest.approx(21 / 500)
    assert s2["mean"] == pytest.approx(battery.loc[battery["s2"] != 6, "s2"].mean())


def test_battery_needs_two_statements(battery):
    with pytest.raises(wb.DataError, match=r"Cronbach's alpha needs at least two statements; got \['s1'\]"):
        review.battery_reliability(battery, ["s1"])


@pytest.mark.parametrize("scale, items", [("C_rev45", ["C1", "C2", "C3", "C4", "C5"]), ("A2to5", ["A2", "A3", "A4", "A5"])])
def test_the_alpha_engine_agrees_with_psych_on_bfi(scale, items):
    """battery_reliability's alpha is pingouin's; on psych's bfi (1-6 items, complete cases, C4 and C5 reversed)
    it agrees with psych::alpha (raw_alpha) to 1e-12, and its Feldt interval, which pingouin rounds to three
    decimals, with psych's (tests/reference/r/psych_alpha.csv)."""
    items_data = pd.read_csv(REFERENCE / "r" / "psych_bfi_items.csv")
    ref = pd.read_csv(REFERENCE / "r" / "psych_alpha.csv").set_index("scale").loc[scale]
    flag = "in_C" if scale.startswith("C") else "in_A"
    complete = items_data.loc[items_data[flag] == 1, items]
    assert len(complete) == ref["n"]
    alpha, (low, high) = pg.cronbach_alpha(data=complete, ci=0.95)
    assert alpha == pytest.approx(ref["raw_alpha"], rel=1e-12)
    assert (low, high) == pytest.approx((ref["feldt_lower"], ref["feldt_upper"]), abs=5e-4)
