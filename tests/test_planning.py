import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import workbench as wb
from conftest import read_reference


def test_textbook_sample_sizes():
    ref = read_reference("sample_size.csv")
    for row in ref.itertuples():
        expected = None
        if not np.isnan(row.expected_a):
            expected = (row.expected_a, row.expected_b) if not np.isnan(row.expected_b) else row.expected_a
        population = None if np.isnan(row.population) else row.population
        got = wb.sample_size(row.metric, row.moe, confidence=row.confidence, expected=expected, population=population)
        assert got == row.n, row


def test_result_is_an_int_that_says_it_is_the_worst_case():
    n = wb.sample_size("nps", 10)
    assert isinstance(n, int) and n == 385 and n.worst_case
    assert not wb.sample_size("nps", 10, expected=(0.5, 0.2)).worst_case
    assert "worst case" in repr(n)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["csat", "nps", "csat_mean"]), st.floats(1.0, 15.0), st.floats(0.8, 0.99),
       st.one_of(st.none(), st.integers(2000, 100000)), st.floats(1.0, 2.5))
def test_margin_met_at_n_and_not_at_n_minus_one(metric, moe, confidence, population, deff):
    if metric == "csat_mean":
        moe = moe / 20
    n = wb.sample_size(metric, moe, confidence=confidence, population=population, deff=deff)
    at = wb.margin_of_error(metric, n, confidence=confidence, population=population, deff=deff)
    assert at <= moe + 1e-9
    if n > 1:
        assert wb.margin_of_error(metric, n - 1, confidence=confidence, population=population, deff=deff) > moe


@pytest.mark.parametrize("method", ["score", "adjusted_wald"])
def test_inverted_methods_meet_the_target(method):
    n = wb.sample_size("nps", 8, method=method, expected=(0.5, 0.2))
    low, high = wb.nps_interval(0.5 * n, 0.3 * n, 0.2 * n, method=method)
    assert (high - low) / 2 <= 8
    low, high = wb.nps_interval(0.5 * (n - 1), 0.3 * (n - 1), 0.2 * (n - 1), method=method)
    assert (high - low) / 2 > 8


def test_margin_curve_and_diminishing_returns():
    curve = wb.margin_curve("nps", [100, 400])
    assert curve["moe"].tolist() == pytest.approx([19.59964, 9.79982], abs=1e-4)
    n = wb.diminishing_returns_n("nps", 1.0)
    assert wb.margin_of_error("nps", n) - wb.margin_of_error("nps", n + 100) < 1.0
    assert wb.margin_of_error("nps", n - 1) - wb.margin_of_error("nps", n + 99) >= 1.0


@pytest.mark.parametrize("kwargs, match", [
    (dict(moe=0), r"`moe` must be positive and finite; got 0"),
    (dict(moe=-2), r"`moe` must be positive and finite; got -2"),
    (dict(moe=5, confidence=1.5), r"`confidence` must be between 0 and 1 \(exclusive\); got 1\.5"),
    (dict(moe=5, expected=1.5), r"`expected` must be a share between 0 and 1; got 1\.5"),
    (dict(moe=5, population=-10), r"`population` must be positive and finite; got -10"),
    (dict(moe=5, method="bootstrap"), r"Method 'bootstrap' is random and cannot be inverted"),
])
def test_bad_input(kwargs, match):
    with pytest.raises(wb.WorkbenchError, match=match):
        wb.sample_size("csat", **kwargs)


def test_power_calculations_match_r_pwr():
    ref = read_reference("power.csv")
    for row in ref.itertuples():
        if row.kind == "n_share":
            got = wb.sample_size_difference("csat", row.value_in, expected=row.p1, power=row.power)
            assert got == int(np.ceil(row.result)), row
        elif row.kind == "mdd_share":
            got = wb.detectable_difference("csat", row.value_in, expected=row.p1, power=row.power)
            assert got == pytest.approx(row.result, rel=1e-4), row
        elif row.kind == "n_nps_worst":
            assert wb.sample_size_difference("nps", row.value_in, power=row.power) == int(np.ceil(row.result))
        else:
            assert wb.detectable_difference("nps", row.value_in, power=row.power) == pytest.approx(row.result, rel=1e-9)


def test_detectable_difference_and_sample_size_are_inverse():
    n = wb.sample_size_difference("nps", 12, expected=(0.5, 0.2))
    assert wb.detectable_difference("nps", n, expected=(0.5, 0.2)) <= 12
    assert wb.detectable_difference("nps", n - 1, expected=(0.5, 0.2)) > 12


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
    rel = wb.reliability(data, "csat_mean", unit="unit").iloc[0]
    mixed = smf.mixedlm("csat ~ 1", data, groups=data["unit"]).fit(reml=True)
    assert rel["between_var"] == pytest.approx(float(mixed.cov_re.iloc[0, 0]), rel=0.02)
    assert rel["within_var"] == pytest.approx(float(mixed.scale), rel=0.01)
    assert rel["n_for_r80"] == np.ceil(4 * rel["within_var"] / rel["between_var"])
    assert rel["n_for_r70"] < rel["n_for_r80"]


def test_reliability_is_infinite_when_units_do_not_differ():
    data = pd.DataFrame({"unit": np.repeat([1, 2, 3], 4), "csat": [1, 5, 1, 5] * 3})
    rel = wb.reliability(data, "csat_mean", unit="unit").iloc[0]
    assert rel["between_var"] == 0 and np.isinf(rel["n_for_r70"])


def _touchpoints():
    return pd.DataFrame({"service": ["phone", "ed", "tiny"], "customers_per_year": [120000, 6000, 200],
                         "response_rate": [0.2, 0.1, 0.1], "period": ["quarter", "month", "quarter"],
                         "moe": [5, 10, 10]})


def test_measurement_plan():
    plan = wb.measurement_plan(_touchpoints(), "nps", fatigue_cap=0.5)
    phone, ed, tiny = plan.itertuples()
    # phone: 30,000 customers a quarter; worst-case NPS ±5 needs 1537 with FPC -> 1459 responses
    assert phone.responses_needed == wb.sample_size("nps", 5, population=30000)
    assert phone.invitations_needed == int(np.ceil(phone.responses_needed / 0.2))
    assert phone.status == "ok" and phone.months_needed == 3
    assert ed.status == "rolling window" and ed.months_needed > 1
    need = wb.sample_size("nps", 10, population=6000 * ed.months_needed / 12)
    assert np.ceil(need / 0.1) <= 0.5 * 6000 * ed.months_needed / 12
    assert tiny.status == "infeasible" and np.isnan(tiny.months_needed)


@pytest.mark.parametrize("change, match", [
    (dict(response_rate=[0.2, 0, 0.1]), r"Column 'response_rate' must hold in \(0, 1\]; got \[0\.0\] in 1 of 3 rows"),
    (dict(response_rate=[0.2, 1.5, 0.1]), r"Column 'response_rate' must hold in \(0, 1\]; got \[1\.5\]"),
    (dict(customers_per_year=[-5, 10, 10]), r"Column 'customers_per_year' must hold non-negative numbers; got \[-5\.0\]"),
    (dict(moe=[0, 5, 5]), r"Column 'moe' must hold positive numbers; got \[0\.0\] in 1 of 3 rows"),
    (dict(period=["week", "month", "year"]), r"Column 'period' has values \['week'\] in 1 rows"),
])
def test_measurement_plan_bad_input(change, match):
    with pytest.raises(wb.ParameterError, match=match):
        wb.measurement_plan(_touchpoints().assign(**change), "nps")


def test_measurement_plan_bad_arguments():
    with pytest.raises(wb.ParameterError, match=r"`fatigue_cap` must be in \(0\.0, 1\.0\]; got 1\.2"):
        wb.measurement_plan(_touchpoints(), "nps", fatigue_cap=1.2)
    with pytest.raises(wb.ParameterError, match=r"`confidence` must be between 0 and 1 \(exclusive\); got 0"):
        wb.measurement_plan(_touchpoints(), "nps", confidence=0)
    with pytest.raises(wb.DataError, match=r"Touchpoint column \['moe'\] not found"):
        wb.measurement_plan(_touchpoints().drop(columns="moe"), "nps")


def test_sample_larger_than_population():
    with pytest.raises(wb.ParameterError, match=r"A sample of 120 is larger than the population 100"):
        wb.margin_of_error("nps", 120, population=100)


def test_response_rates_per_service():
    plan = wb.measurement_plan(_touchpoints().drop(columns="response_rate"), "nps",
                               response_rate={"phone": 0.2, "ed": 0.1, "tiny": 0.5})
    assert plan["response_rate"].tolist() == [0.2, 0.1, 0.5]
    with pytest.raises(wb.ParameterError, match=r"`response_rate` has no rate for service \['tiny'\]"):
        wb.measurement_plan(_touchpoints(), "nps", response_rate={"phone": 0.2, "ed": 0.1})
