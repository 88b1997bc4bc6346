"""Case-mix adjustment: a pure respondent-mix difference is removed; agreement with R lm; linear memory."""

import tracemalloc

import numpy as np
import pandas as pd
import pytest

import workbench as wb
import workbench._validate as validate
from workbench import benchmarks as B
from conftest import REFERENCE


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


def test_case_mix_adjustment_agrees_with_r_lm_with_unit_fixed_effects():
    """R: lm(y ~ factor(unit) + factor(age_group) + factor(sex)); unit U8 has no respondent aged 65+."""
    data = pd.read_csv(REFERENCE / "r" / "casemix_data.csv")
    ref = pd.read_csv(REFERENCE / "r" / "casemix_lm.csv")
    score = wb.Metric("y", wb.Scale("score", points=(-100, 0, 100)), [-100, 0, 100])
    out = B.case_mix_adjust(data, score, unit="unit", adjusters=["age_group", "sex"])
    units = ref[ref["kind"] == "unit"].set_index("unit")
    row = out.set_index("unit").loc[units.index]
    np.testing.assert_allclose(row["raw"], units["raw_mean"], rtol=1e-12)
    np.testing.assert_allclose(row["adjusted"], units["adjusted"], rtol=1e-9)
    np.testing.assert_allclose(-row["adjustment"], units["adjustment"], rtol=1e-9)  # R: raw - adjusted
    coef = ref[(ref["kind"] == "coef") & (ref["adjuster"] == 1)]
    effects = out.attrs["adjuster_effects"]
    expected = dict(zip(coef["term"].str.replace(r"factor\((\w+)\)", r"\1_", regex=True), coef["estimate"]))
    for name, value in expected.items():
        assert effects[name] == pytest.approx(value, rel=1e-9), name


def test_case_mix_adjustment_does_not_build_a_respondents_by_units_matrix():
    """2,000 units and 200,000 respondents: one dummy per unit would need 3.2 GB; the demeaned fit stays small."""
    rng = np.random.default_rng(1)
    n = 200_000
    data = pd.DataFrame({"unit": rng.integers(0, 2000, n), "age": rng.choice(["a", "b", "c"], n),
                         "nps": rng.integers(0, 11, n)})
    tracemalloc.start()
    try:
        out = B.case_mix_adjust(data, "nps", unit="unit", adjusters=["age"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(out) == 2000 and np.isfinite(out["adjusted"]).all()
    assert peak < 300e6, peak


def test_case_mix_adjustment_too_big_for_memory_is_a_clear_error(monkeypatch):
    data = pd.DataFrame({"unit": ["a", "b"] * 50, "age": ["x", "y"] * 50, "nps": [9, 3] * 50})
    monkeypatch.setattr(validate, "available_memory", lambda: 1000)
    with pytest.raises(wb.DataError, match=r"Case-mix adjustment works on every respondent and needs about"):
        B.case_mix_adjust(data, "nps", unit="unit", adjusters=["age"])
