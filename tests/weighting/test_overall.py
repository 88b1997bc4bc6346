"""Overall scores: agreement with R survey, property tests, contributions, bad input."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import workbench as wb
from workbench import weighting as W
from conftest import REFERENCE, read_reference


@pytest.fixture
def kainuu():
    return pd.read_csv(REFERENCE / "weighting_data.csv")


@pytest.fixture
def volumes(kainuu):
    return kainuu[["unit", "customers_per_year"]].drop_duplicates()


def _ref(case):
    ref = read_reference("weighting_survey.csv").set_index("case")
    return ref.loc[case, "estimate"], ref.loc[case, "se"]


@pytest.mark.parametrize("scheme, fpc, case", [("volume", False, "volume"), ("volume", True, "volume_fpc"),
                                               ("equal", False, "equal"), ("sqrt_volume", False, "sqrt_volume")])
def test_stratified_schemes_agree_with_r_survey(kainuu, volumes, scheme, fpc, case):
    row = W.overall(kainuu, "nps", unit="unit", scheme=scheme, volumes=volumes, fpc=fpc).iloc[0]
    est, se = _ref(case)  # 15 significant digits in the reference file
    assert row["estimate"] == pytest.approx(est, rel=1e-12)
    assert row["se"] == pytest.approx(se, rel=1e-12)


def test_pooled_equals_the_plain_estimate(kainuu):
    pooled = W.overall(kainuu, "nps", unit="unit", scheme="pooled").iloc[0]
    plain = wb.estimate(kainuu, "nps", method="wald").iloc[0]
    for col in ("n", "estimate", "se", "ci_low", "ci_high"):
        assert pooled[col] == pytest.approx(plain[col])


@settings(max_examples=40, deadline=None)
@given(st.floats(0.01, 1e6), st.sampled_from(["volume", "sqrt_volume", "capped"]))
def test_scaling_all_volumes_changes_nothing(factor, scheme):
    data = pd.read_csv(REFERENCE / "weighting_data.csv")
    vols = data[["unit", "customers_per_year"]].drop_duplicates()
    a = W.overall(data, "nps", unit="unit", scheme=scheme, volumes=vols, cap=0.3)
    b = W.overall(data, "nps", unit="unit", scheme=scheme, volumes=vols.assign(customers_per_year=vols["customers_per_year"] * factor), cap=0.3)
    pd.testing.assert_frame_equal(a, b, rtol=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.floats(1.0, 1e5))
def test_equal_volumes_give_the_equal_scheme(volume):
    data = pd.read_csv(REFERENCE / "weighting_data.csv")
    vols = {u: volume for u in data["unit"].unique()}
    a = W.overall(data, "nps", unit="unit", scheme="volume", volumes=vols)
    b = W.overall(data, "nps", unit="unit", scheme="equal")
    pd.testing.assert_frame_equal(a.drop(columns="scheme"), b.drop(columns="scheme"), rtol=1e-9)


def test_kish_effective_n_and_design_effect(kainuu, volumes):
    row = W.overall(kainuu, "nps", unit="unit", scheme="volume", volumes=volumes).iloc[0]
    n_h = kainuu.groupby("unit").size()
    N_h = volumes.set_index("unit")["customers_per_year"].reindex(n_h.index)
    w = np.repeat((N_h / n_h).to_numpy(), n_h.to_numpy())  # respondent weights of the stratified design
    assert row["n_eff"] == pytest.approx(w.sum() ** 2 / (w**2).sum())
    assert row["deff"] == pytest.approx(len(kainuu) / row["n_eff"])


def test_capped_scheme_caps_and_redistributes():
    shares = W.cap_shares(np.array([0.6, 0.2, 0.1, 0.1]), 0.3)
    assert shares.max() == pytest.approx(0.3) and shares.sum() == pytest.approx(1.0)
    # 0.3 of excess goes 2:1:1 to the others; the second then exceeds the cap too and passes 0.05 on
    np.testing.assert_allclose(shares, [0.3, 0.3, 0.2, 0.2])


def test_contributions_sum_to_the_overall_score(kainuu, volumes):
    parts = W.contributions(kainuu, "nps", unit="unit", scheme="volume", volumes=volumes)
    total = W.overall(kainuu, "nps", unit="unit", scheme="volume", volumes=volumes).iloc[0]
    assert parts["contribution"].sum() == pytest.approx(total["estimate"])
    assert parts["weight"].sum() == pytest.approx(1.0)
    assert (parts["ci_low"] <= parts["estimate"]).all() and not parts["dominant"].any()


def test_dominant_unit_is_flagged(kainuu, volumes):
    big = volumes.assign(customers_per_year=np.where(volumes["unit"].str.contains("phone"), 10**7, 100))
    with pytest.warns(wb.WorkbenchWarning, match=r"carry more than 50% of the weight under 'volume'"):
        parts = W.contributions(kainuu, "nps", unit="unit", scheme="volume", volumes=big)
    assert parts.loc[parts["dominant"], "unit"].tolist() == ["Kainuu / phone service"]
    table = W.sensitivity(kainuu, "nps", unit="unit", volumes=big)
    advice = W.weighting_advice(table)
    assert advice.rule == "dominant" and advice.max_unit_weight > 0.5
    assert str(advice).startswith("Do not publish one overall score")


def test_sensitivity_has_every_scheme(kainuu, volumes):
    table = W.sensitivity(kainuu, "nps", unit="unit", volumes=volumes)
    assert table["scheme"].tolist() == ["pooled", "equal", "volume", "sqrt_volume", "capped"]
    advice = W.weighting_advice(table)
    spread = table["estimate"].max() - table["estimate"].min()
    volume = table.set_index("scheme").loc["volume"]
    assert advice.spread == pytest.approx(spread) and advice.moe == pytest.approx(volume["moe"])
    assert advice.rule == ("matters" if spread > volume["moe"] else "same")


def test_overall_by_group(kainuu, volumes):
    result = W.overall(kainuu.assign(half=kainuu.index % 2), "nps", unit="unit", scheme="volume", volumes=volumes, by="half")
    assert result["half"].tolist() == [0, 1] and (result["units"] == 8).all()


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(scheme="volume", volumes={"Kainuu / imaging": 10}), wb.DataError, r"have no volume \(7 of 8 units\)"),
    (dict(scheme="volume", volumes=None), wb.ParameterError, r"This scheme needs `volumes`"),
    (dict(scheme="custom", unit_weights={}), wb.DataError, r"have no custom weight \(8 of 8 units\)"),
    (dict(scheme="custom", unit_weights="zero"), wb.DataError, r"Custom weights sum to 0"),
    (dict(scheme="mean"), wb.ParameterError, r"Unknown scheme 'mean'; valid: 'pooled', 'equal', 'volume'"),
    (dict(scheme="capped", cap=0.1, volumes="fixture"), wb.ParameterError, r"A cap of 0\.1 cannot hold for 8 units"),
    (dict(scheme="pooled", design="bad"), wb.DataError, r"Weight column .weights.: every one of the 849 weights is zero"),
    (dict(scheme="volume", volumes="negative"), wb.DataError, r"Volumes must be positive; units \['Kainuu / imaging'\] have \[-5\.0\]"),
])
def test_overall_bad_input(kainuu, volumes, kwargs, error, match):
    units = kainuu["unit"].unique()
    if kwargs.get("unit_weights") == "zero":
        kwargs["unit_weights"] = {u: 0.0 for u in units}
    if kwargs.get("volumes") == "negative":
        kwargs["volumes"] = {u: (-5.0 if "imaging" in u else 10.0) for u in units}
    if isinstance(kwargs.get("volumes"), str) and kwargs["volumes"] == "fixture":
        kwargs["volumes"] = volumes
    if kwargs.get("design") == "bad":
        kwargs["design"] = wb.Design(weights=np.zeros(len(kainuu)))
    with pytest.raises(error, match=match):
        W.overall(kainuu, "nps", unit="unit", **kwargs)


def test_empty_unit_is_an_error(kainuu, volumes):
    data = kainuu.astype({"nps": float})
    data.loc[data["unit"] == "Kainuu / imaging", "nps"] = np.nan
    with pytest.raises(wb.DataError, match=r"Units \['Kainuu / imaging'\] have rows but no answers"):
        W.overall(data, "nps", unit="unit", scheme="volume", volumes=volumes)


def test_infeasible_cap_within_groups_falls_back_to_equal_weights_with_a_warning(kainuu, volumes):
    data = kainuu.assign(part=np.where(kainuu["unit"] == "Kainuu / imaging", "alone", "rest"))
    with pytest.warns(wb.WorkbenchWarning, match=r"A cap of 0\.25 cannot hold for the 1 units \['Kainuu / imaging'\]"):
        result = W.overall(data, "nps", unit="unit", scheme="capped", volumes=volumes, by="part")
    assert result.set_index("part").loc["alone", "max_unit_weight"] == 1.0
    with pytest.warns(wb.WorkbenchWarning, match=r"A cap of 0\.25 cannot hold for the 1 units \['Kainuu / imaging'\]"):
        parts = W.contributions(data, "nps", unit="unit", scheme="capped", volumes=volumes, by="part")
    assert parts.set_index("unit").loc["Kainuu / imaging", "weight"] == 1.0  # contributions agree with overall
    assert parts.groupby("part")["contribution"].sum().loc["alone"] == pytest.approx(
        result.set_index("part").loc["alone", "estimate"])


def test_weighted_unit_scheme_combines_the_units_weighted_estimates_with_fixed_shares(kainuu, volumes):
    """overall(volume, respondent weights) = Σ W_h ȳ_h with variance Σ W_h² Var(ȳ_h), Var(ȳ_h) the svyby domain
    variance with the units as strata (R: svycontrast of svyby with fixed W_h). Not svymean with weights
    W_h w_i / Σ_h w, which treats the weight totals as random (a combined ratio); with equal weights within
    units the two coincide (the R agreement above)."""
    rng = np.random.default_rng(4)
    data = kainuu.assign(w=rng.uniform(0.5, 2.0, len(kainuu)))
    row = W.overall(data, "nps", unit="unit", scheme="volume", volumes=volumes, design=wb.Design(weights="w")).iloc[0]
    share = volumes.set_index("unit")["customers_per_year"]
    units = wb.estimate(data, "nps", by="unit", design=wb.Design(weights="w", strata="unit"), method="wald")
    W_h = (share / share.sum()).reindex(units["unit"]).to_numpy()
    assert row["estimate"] == pytest.approx(np.sum(W_h * units["estimate"]), rel=1e-12)
    assert row["se"] == pytest.approx(np.sqrt(np.sum(W_h**2 * units["se"] ** 2)), rel=1e-12)


def test_pooled_fpc_needs_every_units_volume(kainuu, volumes):
    partial = volumes[volumes["unit"] != "Kainuu / imaging"]
    with pytest.raises(wb.DataError, match=r"Units \['Kainuu / imaging'\] have no volume; the finite population "
                                           r"correction needs every unit's population size"):
        W.overall(kainuu, "nps", unit="unit", scheme="pooled", volumes=partial, fpc=True)
    with pytest.raises(wb.ParameterError, match=r"`fpc=True` needs `volumes` \(the unit population sizes\)"):
        W.overall(kainuu, "nps", unit="unit", scheme="pooled", fpc=True)
