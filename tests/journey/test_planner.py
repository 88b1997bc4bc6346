import numpy as np
import pandas as pd
import pytest

from workbench.errors import ParameterError
from workbench.journey import plan_rates, read_events, sampling_yields, simulate
from journey.conftest import events_frame, rules_with


def two_units():
    """U1: 300 people, visits in January and May. U2: 20 people seen every week (a home-care-like unit)."""
    rows = [(f"a{i}", f"2025-{m:02d}-{1 + i % 28:02d} 10:00") for i in range(300) for m in (1, 5)]
    weeks = pd.date_range("2025-01-06", "2025-06-23", freq="7D")
    rows += [(f"b{i}", f"{d:%Y-%m-%d} 11:00", {"unit": "U2"}) for i in range(20) for d in weeks]
    return read_events(events_frame(rows), now="2030-01-01")


def test_plan_meets_the_feasible_unit_and_explains_the_infeasible_one():
    rules = rules_with(contact={"cooldown_days": 90, "response_cooldown_days": 180},
                       touchpoints={"visit": {"survey": "visit", "rate": 0.1}, "chat": {"survey": "digital", "rate": 1}})
    need = pd.DataFrame({"unit": ["U1", "U2"], "responses_needed": [20, 10]})
    plan = plan_rates(two_units(), rules, need, period="quarter", rng=3)
    status = plan.check.groupby("unit")["status"].agg(set).to_dict()
    assert status == {"U1": {"ok"}, "U2": {"infeasible"}}
    u1 = plan.check[plan.check["unit"] == "U1"]
    assert (u1["expected"] >= 20).all() and (u1["expected_current"] < 20).all()
    rates = plan.rates.set_index(["unit", "touchpoint"])
    assert rates.loc[("U1", "visit"), "current_rate"] == 0.1 and 0.1 < rates.loc[("U1", "visit"), "rate"] < 1
    assert rates.loc[("U2", "visit"), "rate"] == 1.0
    advice = plan.advice.set_index("unit").loc["U2"]
    # Under the 90-day cooldown each of the 20 people is invited about once a quarter: about 4 responses.
    assert advice["max_expected"] < 10 and advice["periods_needed"] >= 2
    # Weekly Monday visits from 6 January: a 30-day cooldown invites on 6 Jan, 10 Feb, 17 Mar, 21 Apr, 26 May, so
    # the second quarter has two invitations a person, 20 x 2 x 0.2 = 8 < 10 expected responses; 14 days works.
    assert advice["cooldown_that_would"] == 14
    assert "a cooldown of 14 days (28 after a response)" in advice["advice"]
    assert advice["response_cooldown_that_would"] == 28 and advice["months_needed"] == 3 * advice["periods_needed"]
    assert plan.iterations >= 1 and plan.optimised.candidates["invited"].sum() > 0


def test_plan_tables_carry_the_persons_they_are_about():
    rules = rules_with(contact={"cooldown_days": 90, "response_cooldown_days": 180},
                       touchpoints={"visit": {"survey": "visit", "rate": 0.1}, "chat": {"survey": "digital", "rate": 1}})
    need = pd.DataFrame({"unit": ["U1", "U2"], "responses_needed": [20, 10]})
    plan = plan_rates(two_units(), rules, need, period="quarter", rng=3)
    # U1's 300 people come in January and in May (one quarter each); U2's 20 every week of both quarters.
    persons = plan.check.set_index(["unit", "period"])["persons"]
    assert persons.to_dict() == {("U1", "2025Q1"): 300, ("U1", "2025Q2"): 300, ("U2", "2025Q1"): 20,
                                 ("U2", "2025Q2"): 20}
    assert plan.rates.set_index(["unit", "touchpoint"])["persons"].to_dict() == {("U1", "visit"): 300,
                                                                               ("U2", "visit"): 20}
    assert plan.advice.set_index("unit")["persons"].to_dict() == {"U2": 20}
    assert list(plan.check.columns[:3]) == ["unit", "period", "persons"]
    assert not np.signbit(plan.rates["rate"].to_numpy()).any()  # no "-0 %" from the solver


def test_yields_carry_the_survival_of_the_rules():
    rules = rules_with(contact={"cooldown_days": 90})
    yields = sampling_yields(simulate(two_units(), rules, rng=1), period="quarter").set_index(["unit", "period"])
    # U1: one visit a quarter and three months apart: nothing is lost; U2: 13 weekly visits a quarter, one sent.
    assert yields.loc[("U1", "2025Q1"), "survival"] == 1.0
    assert yields.loc[("U2", "2025Q1"), "survival"] == pytest.approx(20 / 260, abs=0.01)
    assert yields.loc[("U2", "2025Q1"), "eligible"] == pytest.approx(20, abs=1)


def test_plan_errors():
    need = pd.DataFrame({"unit": ["U1"], "responses_needed": [1]})
    with pytest.raises(ParameterError, match=r"`rng` must be an int seed here"):
        plan_rates(two_units(), rules_with(), need, rng=np.random.default_rng(1))
    with pytest.raises(ParameterError, match=r"`iterations` must be positive and finite; got 0"):
        plan_rates(two_units(), rules_with(), need, iterations=0)
