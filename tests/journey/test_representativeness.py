import numpy as np
import pandas as pd
import pytest

from workbench.errors import DataError, MethodError, ParameterError
from workbench.journey import contact_outcomes, r_indicators, r_indicators_from_propensities, read_events, simulate
from conftest import read_reference, REFERENCE
from journey.conftest import events_frame, rules_with


def test_a_population_worked_by_hand():
    # Four units, propensities .2 .2 .6 .6, Z = a a b b. Mean .4; S^2 = 4 x .04 / 3; R = 1 - 2 S.
    # Unconditional: each category has 2 units at distance .2: P_U(Z, k) = ±sqrt(2 x .04 / 4) = ±sqrt(.02),
    # P_U(Z) = .2. With one variable the cells of "the others" are the whole population: P_C(Z) = .2 as well.
    cells = pd.DataFrame({"z": ["a", "a", "b", "b"], "n": 1, "propensity": [0.2, 0.2, 0.6, 0.6]})
    result = r_indicators_from_propensities(cells, ["z"])
    assert result.overall["r_indicator"].item() == pytest.approx(1 - 2 * np.sqrt(4 * 0.04 / 3))
    assert result.categories["partial_unconditional"].tolist() == pytest.approx([-np.sqrt(0.02), np.sqrt(0.02)])
    assert result.variables[["partial_unconditional", "partial_conditional"]].values.tolist()[0] == pytest.approx(
        [0.2, 0.2])
    # Cells give the same answer as units: two cells of two units each.
    grouped = r_indicators_from_propensities(cells.groupby("z", as_index=False).agg(n=("n", "sum"),
                                                                                     propensity=("propensity", "mean")),
                                             ["z"])
    pd.testing.assert_frame_equal(grouped.categories, result.categories.assign(n=[2.0, 2.0]), check_dtype=False)


def test_conditional_partial_is_zero_for_a_variable_that_adds_nothing():
    # Propensity depends on age only; language is spread evenly within each age group.
    cells = pd.DataFrame({"age": ["y", "y", "o", "o"], "lang": ["fi", "sv", "fi", "sv"], "n": [50, 50, 30, 30],
                          "propensity": [0.1, 0.1, 0.5, 0.5]})
    result = r_indicators_from_propensities(cells, ["age", "lang"]).variables.set_index("variable")
    assert result.loc["lang", "partial_conditional"] == pytest.approx(0)
    assert result.loc["lang", "partial_unconditional"] == pytest.approx(0)
    assert result.loc["age", "partial_conditional"] > 0.15


def test_against_the_independent_r_computation():
    units = pd.read_csv(REFERENCE / "r_indicators_data.csv")
    cells = units.groupby(["age_group", "language"], as_index=False).agg(n=("y", "size"), invited=("y", "sum"))
    result = r_indicators(cells, variables=["age_group", "language"])
    ref = read_reference("r_indicators.csv").fillna("")
    value = dict(zip(zip(ref["kind"], ref["variable"], ref["category"]), ref["value"]))
    assert result.overall["r_indicator"].item() == pytest.approx(value[("R", "", "")], abs=1e-9)
    assert result.overall["sd_propensity"].item() == pytest.approx(value[("sd_propensity", "", "")], abs=1e-9)
    for row in result.variables.itertuples():
        assert row.partial_unconditional == pytest.approx(value[("Pu", row.variable, "")], abs=1e-9)
        assert row.partial_conditional == pytest.approx(value[("Pc", row.variable, "")], abs=1e-9)
    for row in result.categories.itertuples():
        assert row.partial_unconditional == pytest.approx(value[("Pu_category", row.variable, row.category)], abs=1e-9)
        assert row.partial_conditional == pytest.approx(value[("Pc_category", row.variable, row.category)], abs=1e-9)


def test_from_a_simulation_older_people_without_mobiles_are_under_invited():
    rows = [(f"y{i}", "2025-01-05 10:00", {"age_group": "18-34"}) for i in range(40)]
    rows += [(f"o{i}", "2025-01-05 10:00", {"age_group": "75+", "has_mobile": i % 2 == 0}) for i in range(40)]
    events = read_events(events_frame(rows), now="2030-01-01")
    simulation = simulate(events, rules_with(), rng=1)
    cells = contact_outcomes(simulation, variables=["age_group", "language"])
    assert cells[["age_group", "n", "invited"]].values.tolist() == [["18-34", 40, 40], ["75+", 40, 20]]
    result = r_indicators(simulation, variables=["age_group"], model="saturated")
    cat = result.categories.set_index("category")
    assert cat.loc["75+", "propensity"] == 0.5 and cat.loc["75+", "partial_unconditional"] < 0
    assert result.overall["r_indicator"].item() == pytest.approx(1 - 2 * np.sqrt(80 * 0.25**2 / 79))
    responses = r_indicators(simulation, variables=["age_group"], outcome="responses", model="saturated")
    assert responses.overall["mean_propensity"].item() == pytest.approx(60 * 0.2 / 80)
    assert r_indicators(simulation, variables=["age_group"]).to_frame()["r_indicator"].nunique() == 1


def test_errors():
    cells = pd.DataFrame({"z": ["a", "b"], "n": [1, 1], "propensity": [0.2, 1.2]})
    with pytest.raises(DataError, match=r"Cells need counts >= 0 and propensities in \[0, 1\]; 1 of 2 cells do not"):
        r_indicators_from_propensities(cells, ["z"])
    with pytest.raises(DataError, match=r"The population has 1 units; R-indicators need at least 2"):
        r_indicators_from_propensities(cells.iloc[:1], ["z"])
    with pytest.raises(ParameterError, match=r"`variables` must name at least one auxiliary variable"):
        r_indicators_from_propensities(cells, [])
    with pytest.raises(MethodError, match=r"Unknown `model` 'forest'; valid: 'main', 'saturated'"):
        r_indicators(cells, variables=["z"], model="forest")
    with pytest.raises(DataError, match=r"Cell column \['invited'\] not found"):
        r_indicators(cells, variables=["z"])
