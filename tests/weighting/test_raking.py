"""Raking: weights and SEs against R survey, bounds, bad margins, the deprecated keyword."""

import numpy as np
import pandas as pd
import pytest

import workbench as wb
from workbench import weighting as W
from conftest import REFERENCE, ROOT, read_reference


@pytest.fixture
def kainuu():
    return pd.read_csv(REFERENCE / "weighting_data.csv")


@pytest.fixture
def margins():
    return pd.read_csv(ROOT / "data" / "samples" / "population_margins.csv")


def _ref(case):
    ref = read_reference("weighting_survey.csv").set_index("case")
    return ref.loc[case, "estimate"], ref.loc[case, "se"]


def test_raked_weights_equal_r_rake(kainuu, margins):
    result = W.rake(kainuu, margins)
    expected = pd.read_csv(REFERENCE / "weighting_raked_weights.csv")["weight"].to_numpy()
    np.testing.assert_allclose(result.weights, expected, rtol=1e-6)
    assert result.weights.mean() == pytest.approx(1.0)
    assert result.max_error < 1e-10 and result.iterations >= 2
    assert (result.fit["achieved"] - result.fit["target"]).abs().max() < 1e-9


def test_raked_estimate_and_linearisation_se_agree_with_r(kainuu, margins):
    raked = W.rake(kainuu, margins)
    est, se = _ref("raked")
    row = wb.estimate(kainuu, "nps", design=raked).iloc[0]
    # R writes 15 significant digits here; the SE regresses the calibration residuals with the starting weights
    assert row["estimate"] == pytest.approx(est, rel=1e-9)
    assert row["se"] == pytest.approx(se, rel=1e-9)
    pooled = W.overall(kainuu, "nps", unit="unit", scheme="pooled", design=raked).iloc[0]
    assert pooled["estimate"] == pytest.approx(est, rel=1e-9) and pooled["se"] == pytest.approx(se, rel=1e-9)


def test_raked_domain_estimates_agree_with_r_svyby(kainuu, margins):
    raked = W.rake(kainuu, margins)
    result = wb.estimate(kainuu, "nps", design=raked, by="service").set_index("service")
    for service, row in result.iterrows():
        est, se = _ref(f"raked:{service}")
        assert row["estimate"] == pytest.approx(est, rel=1e-9)
        assert row["se"] == pytest.approx(se, rel=1e-9)


def test_raking_accounts_for_calibration(kainuu, margins):
    raked = W.rake(kainuu, margins)
    fixed = wb.estimate(kainuu, "nps", design=wb.Design(weights=raked.weights)).iloc[0]
    calibrated = wb.estimate(kainuu, "nps", design=raked).iloc[0]
    assert fixed["estimate"] == pytest.approx(calibrated["estimate"])
    assert fixed["se"] != pytest.approx(calibrated["se"], rel=1e-4)


def test_bounds_trim_the_weights(kainuu, margins):
    result = W.rake(kainuu, margins, bounds=(0.5, 2.0))
    assert result.weights.min() >= 0.5 - 1e-9 and result.weights.max() <= 2.0 + 1e-9


@pytest.mark.parametrize("change, error, match", [
    (lambda m: m[m["category"] != "75+"], wb.DataError,
     r"Column 'age_group' has categories \['75\+'\] in 132 rows that the margins do not list"),
    (lambda m: pd.concat([m, pd.DataFrame({"variable": ["sex"], "category": ["other"], "share": [0.01]})]), wb.DataError,
     r"Margin 'sex' has categories \['other'\] that no respondent has \(849 rows\)"),
    (lambda m: m.assign(count=m["share"] * np.where(m["variable"] == "sex", 2000, 1000)).drop(columns="share"),
     wb.DataError, r"Margins do not describe the same total"),
    (lambda m: m.assign(variable=m["variable"].replace("sex", "gender")), wb.DataError,
     r"Margin variable \['gender'\] not found in the data"),
])
def test_rake_bad_margins(kainuu, margins, change, error, match):
    with pytest.raises(error, match=match):
        W.rake(kainuu, change(margins))


def test_rake_reports_non_convergence(kainuu, margins):
    with pytest.raises(wb.ConvergenceError, match=r"Raking did not converge in 1 cycles"):
        W.rake(kainuu, margins, max_iter=1)


def test_weights_keyword_still_works_with_a_deprecation_warning(kainuu, margins):
    raked = W.rake(kainuu, margins)
    with pytest.warns(DeprecationWarning, match=r"`weights=` is deprecated; use `design="):
        old = wb.estimate(kainuu, "nps", weights=raked)
    pd.testing.assert_frame_equal(old, wb.estimate(kainuu, "nps", design=raked.design))
