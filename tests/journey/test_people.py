"""Whom the counts are about: persons per group and period, the burden over draws, and open simulation ends."""

import datetime

import pandas as pd
import pytest

from workbench.errors import DataError, ParameterError
from workbench.journey import burden, burden_draws, population, read_events, simulate
from journey.conftest import events_frame, rules_with


def events():
    rows = [("a", "2025-01-10 10:00"), ("a", "2025-02-10 10:00"), ("b", "2025-01-20 10:00"),
            ("c", "2025-05-05 10:00", {"unit": "U2"}), ("d", "2025-06-01 10:00", {"person_id": None})]
    return read_events(events_frame(rows), now="2030-01-01", on_bad="keep")


def test_population_counts_candidates_and_distinct_persons_of_valid_contacts_in_the_period():
    run = simulate(events(), rules_with(), rng=1)
    table = population(run, by="unit", period="quarter")
    # a's two visits are one person; the event without a person id is invalid and counts for nobody
    assert table.astype({"unit": str}).values.tolist() == [["U1", "2025Q1", 3, 2], ["U2", "2025Q2", 1, 1]]
    whole = population(run, by=["unit", "touchpoint"])
    assert whole["persons"].tolist() == [2, 1] and "period" not in whole
    later = population(simulate(events(), rules_with(), period=("2025-02-01", None), rng=1), by="unit")
    assert later.astype({"unit": str}).values.tolist() == [["U1", 1, 1], ["U2", 1, 1]]
    with pytest.raises(DataError, match=r"Group column \['ward'\] not found"):
        population(run, by="ward")


def test_open_ends_of_the_simulated_period_come_from_the_valid_events():
    run = simulate(events(), rules_with(), period=(None, "2025-02-01"), rng=1)
    assert run.dates == (datetime.date(2025, 1, 10), datetime.date(2025, 1, 31))
    late = run.candidates[run.candidates["date"] >= "2025-02-01"]
    assert sorted(late["reason"].astype(str)) == ["invalid_event", "outside_period", "outside_period"]
    assert simulate(events(), rules_with(), period=("", ""), rng=1).dates == \
        (datetime.date(2025, 1, 10), datetime.date(2025, 5, 5))


def test_burden_draws_are_the_burden_of_each_seed_and_scenario():
    rules = rules_with(touchpoints={"visit": {"survey": "visit", "rate": 0.5}, "chat": {"survey": "digital", "rate": 1}})
    rates = pd.DataFrame({"unit": ["U1", "U2"], "touchpoint": ["visit", "visit"], "rate": [1.0, 1.0]})
    table = burden_draws(events(), rules, scenarios={"today": None, "all": rates}, draws=2, rng=7)
    assert list(table.columns) == ["scenario", "draw", "invitations", "persons", "share", "cumulative_share"]
    second = table[(table["scenario"] == "today") & (table["draw"] == 2)].drop(columns=["scenario", "draw"])
    expected = burden(simulate(events(), rules, rng=8))
    pd.testing.assert_frame_equal(second.reset_index(drop=True), expected)
    everyone = table[table["scenario"] == "all"].groupby("draw")["persons"].sum()
    assert everyone.tolist() == [3, 3]  # a, b and c in every draw
    assert table[table["scenario"] == "all"].set_index(["draw", "invitations"])["persons"].to_dict() == {
        (1, 0): 0, (1, 1): 2, (1, 2): 1, (2, 0): 0, (2, 1): 2, (2, 2): 1}


@pytest.mark.parametrize("kwargs, message", [
    ({"rng": None}, r"`rng` must be an int seed here \(draw k uses rng \+ k\); got None"),
    ({"draws": 0}, r"`draws` must be positive and finite; got 0"),
    ({"scenarios": {}}, r"`scenarios` must name at least one set of rates"),
])
def test_burden_draws_errors(kwargs, message):
    options = {"scenarios": {"today": None}, "draws": 1, "rng": 1, **kwargs}
    with pytest.raises(ParameterError, match=message):
        burden_draws(events(), rules_with(), **options)
