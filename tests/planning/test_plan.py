"""Measurement plans: responses, invitations, rolling windows, feasibility."""

import numpy as np
import pandas as pd
import pytest

import workbench as wb


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
    need = wb.sample_size("nps", 10, population=6000 * ed.months_needed / 12).n
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


def test_response_rates_per_service():
    plan = wb.measurement_plan(_touchpoints().drop(columns="response_rate"), "nps",
                               response_rate={"phone": 0.2, "ed": 0.1, "tiny": 0.5})
    assert plan["response_rate"].tolist() == [0.2, 0.1, 0.5]
    with pytest.raises(wb.ParameterError, match=r"`response_rate` has no rate for service \['tiny'\]"):
        wb.measurement_plan(_touchpoints(), "nps", response_rate={"phone": 0.2, "ed": 0.1})


def test_summarise_plan_counts_every_touchpoint_once():
    touchpoints = pd.concat([_touchpoints().assign(area="a"), _touchpoints().assign(area="b", customers_per_year=[120000, 60000, 200])])
    plan = wb.measurement_plan(touchpoints, "nps", fatigue_cap=0.5)
    summary = wb.planning.summarise_plan(plan, by="service")
    assert list(summary["service"]) == sorted(plan["service"].unique())
    assert summary["touchpoints"].sum() == len(plan)
    assert (summary[["n_feasible", "n_rolling_window", "n_infeasible"]].sum(axis=1) == summary["touchpoints"]).all()
    for row in summary.itertuples():
        mine = plan[plan["service"] == row.service]
        assert row.n_feasible == (mine["status"] == "ok").sum()
        assert row.n_infeasible == (mine["status"] == "infeasible").sum()
        windows = mine.loc[mine["status"] == "rolling window", "months_needed"]
        assert (np.isnan(row.longest_window) and windows.empty) or row.longest_window == windows.max()
    whole = wb.planning.summarise_plan(plan)
    assert len(whole) == 1 and whole["touchpoints"].iloc[0] == len(plan)
    assert whole["n_rolling_window"].iloc[0] == summary["n_rolling_window"].sum()


def test_summarise_plan_needs_a_plan():
    with pytest.raises(wb.DataError, match=r"Plan column \['status'\] not found"):
        wb.planning.summarise_plan(_touchpoints().assign(months_needed=3.0))
