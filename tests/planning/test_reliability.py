"""Reliability of unit comparisons: variance components against statsmodels MixedLM."""

import numpy as np
import pandas as pd
import pytest

import workbench as wb


def _simulated_units(tau, sigma, units=60, per_unit=80, seed=3):
    rng = np.random.default_rng(seed)
    true = rng.normal(3.0, tau, units)
    rows = []
    for j, mu in enumerate(true):
        answers = np.clip(np.round(rng.normal(mu, sigma, per_unit)), 1, 5)
        rows.append(pd.DataFrame({"unit": j, "csat": answers.astype(int)}))
    return pd.concat(rows, ignore_index=True)


def test_reliability_recovers_known_variance_components():
    """One-way ANOVA components on simulated data: compare with the same components computed by statsmodels."""
    import statsmodels.formula.api as smf

    data = _simulated_units(tau=0.3, sigma=1.0)
    long = wb.reliability(data, "csat_mean", unit="unit").set_index("threshold")
    rel = long.iloc[0]
    mixed = smf.mixedlm("csat ~ 1", data, groups=data["unit"]).fit(reml=True)
    assert rel["between_var"] == pytest.approx(float(mixed.cov_re.iloc[0, 0]), rel=0.02)
    assert rel["within_var"] == pytest.approx(float(mixed.scale), rel=0.01)
    assert long.loc[0.8, "n_needed"] == np.ceil(4 * rel["within_var"] / rel["between_var"])
    assert long.loc[0.7, "n_needed"] < long.loc[0.8, "n_needed"]


def test_reliability_is_infinite_when_units_do_not_differ():
    data = pd.DataFrame({"unit": np.repeat([1, 2, 3], 4), "csat": [1, 5, 1, 5] * 3})
    rel = wb.reliability(data, "csat_mean", unit="unit").set_index("threshold").loc[0.7]
    assert rel["between_var"] == 0 and np.isinf(rel["n_needed"])
