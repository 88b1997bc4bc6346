import itertools

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from workbench.errors import DataError, MethodError, ParameterError
from workbench.journey import (
    burden,
    estimate_response_rates,
    expected_responses,
    period_labels,
    read_events,
    reasons,
    rule_effects,
    shortfall,
    simulate,
)
from workbench.journey.outcomes import _exact_limits
from journey.conftest import events_frame, rules_with


def sim(rows, rules=None, **kwargs):
    events = read_events(events_frame(rows), now="2030-01-01", on_bad="keep")
    return simulate(events, rules or rules_with(), rng=1, **kwargs)


def test_period_labels():
    dates = np.array(["2025-01-31", "2025-04-01", "2025-12-31", "NaT"], dtype="datetime64[D]")
    assert period_labels(dates, "month").tolist() == ["2025-01", "2025-04", "2025-12", None]
    assert period_labels(dates, "quarter").tolist() == ["2025Q1", "2025Q2", "2025Q4", None]
    assert period_labels(dates, "tertile").tolist() == ["2025T1", "2025T1", "2025T3", None]
    assert period_labels(dates, "half-year").tolist() == ["2025H1", "2025H1", "2025H2", None]
    assert period_labels(dates, "year").tolist() == ["2025", "2025", "2025", None]
    with pytest.raises(MethodError, match=r"Unknown `period` 'week'; valid: 'month', 'quarter'"):
        period_labels(dates, "week")


def brute_force_quantiles(p, confidence):
    """P(X = k) by enumerating every response pattern: the definition, for a handful of invitations."""
    pmf = np.zeros(len(p) + 1)
    for pattern in itertools.product([0, 1], repeat=len(p)):
        pmf[sum(pattern)] += np.prod([pi if x else 1 - pi for pi, x in zip(p, pattern)])
    cdf = np.cumsum(pmf)
    alpha = 1 - confidence
    return np.searchsorted(cdf, alpha / 2 - 1e-12), np.searchsorted(cdf, 1 - alpha / 2 - 1e-12)


@pytest.mark.parametrize("p", [[0.2, 0.2, 0.3, 0.5, 0.5, 0.5, 0.9, 0.1, 0.1, 0.2], [0.05] * 12, [0.3, 0.7]])
@pytest.mark.parametrize("confidence", [0.8, 0.95])
def test_exact_limits_equal_enumeration(p, confidence):
    assert _exact_limits(np.array(p), confidence) == tuple(map(float, brute_force_quantiles(p, confidence)))


def test_exact_limits_equal_scipy_poisson_binomial_on_a_larger_group():
    rng = np.random.default_rng(4)
    p = rng.choice([0.12, 0.2, 0.24, 0.3], size=300)
    cdf = stats.poisson_binom.cdf(np.arange(301), p)
    expected = (np.searchsorted(cdf, 0.025 - 1e-12), np.searchsorted(cdf, 0.975 - 1e-12))
    assert _exact_limits(p, 0.95) == tuple(map(float, expected))


def test_expected_responses_per_unit_and_period():
    rows = [("a", "2025-01-10 10:00"), ("b", "2025-02-10 10:00", {"has_mobile": False, "has_email": True}),
            ("c", "2025-04-10 10:00", {"unit": "U2"}), ("d", "2025-04-11 10:00", {"has_mobile": False})]
    table = expected_responses(sim(rows), period="quarter", method="normal")
    assert table[["unit", "period", "invitations"]].values.tolist() == [["U1", "2025Q1", 2], ["U2", "2025Q2", 1]]
    assert np.allclose(table["expected"], [0.2 + 0.1, 0.2])
    assert np.allclose(table["se"], [np.sqrt(0.2 * 0.8 + 0.1 * 0.9), np.sqrt(0.16)])
    z = stats.norm.ppf(0.975)
    assert np.allclose(table["ci_high"], [min(0.3 + z * np.sqrt(0.25), 2), 0.2 + z * 0.4])
    assert (table["ci_low"] == 0).all() and (table["method"] == "normal").all()
    exact = expected_responses(sim(rows), period=None, by="channel")
    assert exact[["channel", "invitations", "ci_low", "ci_high"]].values.tolist() == [["sms", 2, 0.0, 2.0],
                                                                                       ["email", 1, 0.0, 1.0]]


def test_expected_responses_errors():
    s = sim([("a", "2025-01-10 10:00")])
    with pytest.raises(DataError, match=r"Group column \['ward'\] not found"):
        expected_responses(s, by="ward")
    with pytest.raises(MethodError, match=r"Unknown `method` 'poisson'; valid: 'exact', 'normal'"):
        expected_responses(s, method="poisson")
    no_rates = simulate(s.events, s.rules.replace(response_rates=()), rng=1)
    with pytest.raises(ParameterError, match=r"1 invitations have no response rate"):
        expected_responses(no_rates)


def test_shortfall_and_the_probability_of_meeting_the_need():
    expected = pd.DataFrame({"unit": ["U1", "U1"], "period": ["2025Q1", "2025Q2"], "invitations": [100, 50],
                             "expected": [20.0, 10.0], "se": [4.0, 3.0]})
    need = pd.DataFrame({"unit": ["U1", "U2"], "responses_needed": [15, 5]})
    table = shortfall(expected, need)
    assert table[["unit", "period", "shortfall"]].values.tolist() == [
        ["U1", "2025Q1", 0.0], ["U1", "2025Q2", 5.0], ["U2", "2025Q1", 5.0], ["U2", "2025Q2", 5.0]]
    assert np.allclose(table["p_meet"], [stats.norm.sf((15 - 0.5 - 20) / 4), stats.norm.sf((15 - 0.5 - 10) / 3), 0, 0])
    with pytest.raises(DataError, match=r"Requirement column \['responses_needed'\] not found"):
        shortfall(expected, need.rename(columns={"responses_needed": "n"}))


def test_burden_counts_every_person_with_a_contact_including_those_never_invited():
    rules = rules_with(contact={"cooldown_days": 30})
    rows = [("a", "2025-01-01 10:00"), ("a", "2025-03-01 10:00"), ("a", "2025-03-05 10:00"),
            ("b", "2025-01-01 10:00", {"has_mobile": False}), ("c", "2025-02-01 10:00")]
    table = burden(sim(rows, rules))
    assert table.values.tolist() == [[0, 1, 1 / 3, 1 / 3], [1, 1, 1 / 3, 2 / 3], [2, 1, 1 / 3, 1.0]]
    never = rules_with(reminders={"after_days": [3]}, contact={"cooldown_days": 5}).replace(
        response_rates=(("sms", "*", 0.0),))
    messages = burden(sim([("a", "2025-01-01 10:00")], never), count="messages")
    assert messages[["messages", "persons"]].values.tolist() == [[0, 0], [1, 0], [2, 1]]


def test_reasons_add_up_to_the_candidates():
    rules = rules_with(contact={"cooldown_days": 30}, journey_end={"survey": "journey", "rate": 1.0})
    rows = [("a", "2025-01-01 10:00", {"journey_id": "j"}), ("a", "2025-01-03 10:00", {"journey_id": "j"}),
            ("b", "2025-01-01 10:00", {"deceased": True})]
    table = reasons(sim(rows, rules))
    counts = dict(zip(table["reason"].astype(str), table["candidates"]))
    assert sum(counts.values()) == 4 and counts["invited"] == 1 and counts["cooldown"] == 1
    assert counts["deceased"] == 1 and counts["outranked"] == 1 and table["share"].sum() == pytest.approx(1)
    by_unit = reasons(sim(rows, rules), by="unit")
    assert by_unit.groupby("unit", observed=True)["share"].sum().tolist() == pytest.approx([1.0])
    persons = dict(zip(table["reason"].astype(str), table["persons"]))
    assert persons["invited"] == 1 and persons["cooldown"] == 1 and persons["deceased"] == 1 and persons["cap"] == 0


def test_rule_effects_switch_off_one_rule_at_a_time():
    rules = rules_with(contact={"cooldown_days": 30, "cap": 1, "cap_window_days": 365},
                       touchpoints={"visit": {"survey": "visit", "rate": 1.0}})
    rows = [("a", "2025-01-01 10:00"), ("a", "2025-01-10 10:00"), ("a", "2025-03-01 10:00"),
            ("b", "2025-01-01 10:00", {"deceased": True})]
    events = read_events(events_frame(rows), now="2030-01-01")
    table = rule_effects(events, rules, rng=1).set_index("rule")
    assert table.loc["all rules", "invitations"] == 1
    assert table.loc["exclusion: deceased", "removed"] == 1   # b would be invited
    assert table.loc["cap", "removed"] == 1                   # 1 March passes the cooldown but not the cap
    assert table.loc["cooldown", "removed"] == 0              # without the cooldown the cap still allows one
    assert table.loc["sampling rates", "removed"] == 0 and table.loc["priority", "removed"] == 0
    # persons whose invitations a rule changes: b for the exclusion, a for the cap, nobody for the cooldown
    assert table["persons"].to_dict() == {"exclusion: deceased": 1, "exclusion: minor_without_guardian": 0,
                                          "exclusion: non_disclosure": 0, "exclusion: sensitive": 0,
                                          "sampling rates": 0, "priority": 0, "cooldown": 0, "cap": 1,
                                          "all rules": 0}
    with pytest.raises(ParameterError, match=r"`rng` must be an int seed here"):
        rule_effects(events, rules, rng=np.random.default_rng(1))


def test_response_rates_from_history_with_wilson_intervals():
    history = pd.DataFrame({"channel": ["sms"] * 50 + ["email"] * 40, "age_group": ["18-34"] * 30 + ["75+"] * 20 +
                            ["18-34"] * 40, "responded": [1] * 6 + [0] * 24 + [1] * 8 + [0] * 12 + [1] * 4 + [0] * 36})
    table = estimate_response_rates(history, min_n=25).set_index(["channel", "age_group"])
    assert table.loc[("sms", "18-34"), "response_rate"] == pytest.approx(0.2)
    assert ("sms", "75+") not in table.index  # 20 invitations < min_n: the pooled rate stands in
    assert table.loc[("sms", "*"), "response_rate"] == pytest.approx(14 / 50)
    low, high = proportion_confint(6, 30, method="wilson")
    assert table.loc[("sms", "18-34"), ["ci_low", "ci_high"]].tolist() == pytest.approx([low, high])
    with pytest.raises(ParameterError, match=r"Column 'responded' must be 0/1 or true/false; got \[2\] in 1 of 90 rows"):
        estimate_response_rates(history.assign(responded=[2] + [0] * 89))
    with pytest.raises(ParameterError, match=r"`by` must include 'channel'; got \['age_group'\]"):
        estimate_response_rates(history, by="age_group")


def test_burden_and_reasons_errors():
    s = sim([("a", "2025-01-10 10:00")])
    with pytest.raises(MethodError, match=r"Unknown `count` 'reminders'; valid: 'invitations', 'messages'"):
        burden(s, count="reminders")
    with pytest.raises(DataError, match=r"Group column \['ward'\] not found"):
        reasons(s, by="ward")
