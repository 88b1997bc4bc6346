"""Each sending rule against hand-worked event sequences, and the simulator's invariants."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.errors import EventsError, ParameterError, RulesError
from workbench.journey import read_events, simulate
from journey.conftest import events_frame, rules_with


def run(rows, rules=None, **kwargs):
    events = read_events(events_frame(rows), now="2030-01-01", on_bad="keep")
    return simulate(events, rules or rules_with(), rng=kwargs.pop("rng", 1), **kwargs).candidates


def reasons(cand):
    return cand["reason"].astype(str).tolist()


def test_cooldown_boundary_in_local_days():
    # Invited 1 January; 31 March is day 89 (blocked), 1 April day 90 (allowed).
    rows = [("p", "2026-01-01 10:00"), ("p", "2026-03-31 10:00"), ("p", "2026-04-01 10:00")]
    assert reasons(run(rows, rules_with(contact={"cooldown_days": 90}))) == ["invited", "cooldown", "invited"]


def test_cooldown_counts_local_days_across_the_spring_dst_change():
    # 1 March 23:30 (winter) to 30 May 00:30 (summer) is 90 local days but only 89 days and 24 h of elapsed time.
    rules = rules_with(contact={"cooldown_days": 90})
    assert reasons(run([("p", "2026-03-01 23:30"), ("p", "2026-05-30 00:30")], rules)) == ["invited", "invited"]
    assert reasons(run([("p", "2026-03-01 23:30"), ("p", "2026-05-29 23:59")], rules)) == ["invited", "cooldown"]


@pytest.mark.parametrize("flags, reason", [
    ({"deceased": True}, "deceased"),
    ({"non_disclosure": True}, "non_disclosure"),
    ({"minor": True}, "minor_without_guardian"),
    ({"minor": True, "guardian_contact": True}, "invited"),
    ({"sensitive": True}, "sensitive_care"),
    ({"deceased": True, "non_disclosure": True}, "deceased"),  # the first check that applies is the reason
    ({"has_mobile": False}, "no_channel"),
    ({"has_mobile": False, "has_email": True}, "invited"),
    ({"touchpoint": "phone call"}, "no_survey"),
])
def test_exclusions_channels_and_surveys(flags, reason):
    assert reasons(run([("p", "2026-01-05 10:00", flags)])) == [reason]


def test_an_exclusion_switched_off_no_longer_excludes_and_services_can_be_excluded():
    rules = rules_with(exclusions={"deceased": False, "services": ["S1"]})
    cand = run([("p", "2026-01-05 10:00", {"deceased": True}), ("q", "2026-01-05 10:00", {"service": "S2"})], rules)
    assert reasons(cand) == ["excluded_service", "invited"]


def test_channel_preference_and_in_session_only_after_chat_or_video():
    rows = [("a", "2026-01-05 10:00", {"has_email": True}),                       # sms first
            ("b", "2026-01-05 10:00", {"has_mobile": False, "has_email": True}),  # email instead
            ("c", "2026-01-05 10:00", {"touchpoint": "chat", "channel": "chat", "has_mobile": False}),
            ("d", "2026-01-05 10:00", {"touchpoint": "chat", "channel": "phone"})]  # a chat survey after a call
    cand = run(rows)
    assert cand["channel"].astype(str).tolist() == ["sms", "email", "in_session", "sms"]
    assert cand["p_response"].tolist() == [0.2, 0.1, 0.3, 0.2]


def test_sampling_rate_zero_and_a_rate_override():
    rules = rules_with(touchpoints={"visit": {"survey": "visit", "rate": 0.0}})
    assert reasons(run([("p", "2026-01-05 10:00")], rules)) == ["not_sampled"]
    rates = pd.DataFrame({"unit": ["U1"], "touchpoint": ["visit"], "rate": [1.0]})
    assert reasons(run([("p", "2026-01-05 10:00")], rules, rates=rates)) == ["invited"]


def test_sampling_follows_the_rate_on_many_contacts():
    rules = rules_with(touchpoints={"visit": {"survey": "visit", "rate": 0.3}})
    cand = run([(f"p{i}", "2026-01-05 10:00") for i in range(4000)], rules, rng=5)
    share = (cand["reason"] == "invited").mean()
    assert abs(share - 0.3) < 3 * np.sqrt(0.3 * 0.7 / 4000)


def test_journey_end_outranks_its_steps_on_the_same_day():
    rules = rules_with(journey_end={"survey": "journey", "rate": 1.0})
    rows = [("p", "2026-01-05 10:00", {"journey_id": "j"}), ("p", "2026-01-05 14:00", {"journey_id": "j"})]
    cand = run(rows, rules)
    assert list(zip(cand["touchpoint"].astype(str), reasons(cand))) == [
        ("visit", "outranked"), ("visit", "outranked"), ("journey end", "invited")]
    # Without the priority rule the earliest send wins.
    cand = run(rows, rules.replace(priority=False))
    assert reasons(cand) == ["invited", "outranked", "outranked"]


def test_priority_applies_per_local_send_day_and_then_the_cooldown():
    # Steps on Monday, the journey end's 24-hour delay puts it on Tuesday: different days, so the step goes
    # first and the cooldown stops the journey survey.
    data = {"journey": {"channels": ["sms"], "delay_hours": 24, "priority": 1}}
    rules = rules_with(journey_end={"survey": "journey", "rate": 1.0}, surveys=data, contact={"cooldown_days": 30})
    rows = [("p", "2026-01-05 09:00", {"journey_id": "j"}), ("p", "2026-01-05 12:00", {"journey_id": "j"})]
    assert reasons(run(rows, rules)) == ["invited", "outranked", "cooldown"]


def test_journeys_shorter_than_min_steps_get_no_journey_survey_and_sensitive_journeys_none_at_all():
    rows = [("p", "2026-01-05 10:00", {"journey_id": "j"}), ("p", "2026-02-10 10:00", {"journey_id": "j"})]
    rules = rules_with(journey_end={"survey": "journey", "rate": 1.0, "min_steps": 3})
    assert (run(rows, rules)["touchpoint"] == "journey end").sum() == 0
    rows[0][2]["sensitive"] = True
    cand = run(rows, rules_with(journey_end={"survey": "journey", "rate": 1.0}))
    assert reasons(cand) == ["sensitive_care", "invited", "sensitive_care"]


def test_send_window_and_delay_set_the_send_time_and_day():
    rules = rules_with(channels={"sms": {"requires": "has_mobile", "window": ["09:00", "20:00"]}},
                       surveys={"visit": {"channels": ["sms"], "delay_hours": 2, "priority": 2}})
    cand = run([("p", "2026-01-15 19:00")], rules)  # 19:00 + 2 h = 21:00, past 20:00: next day 09:00 (07:00 UTC)
    assert cand["send_time"].dt.strftime("%Y-%m-%d %H:%M").tolist() == ["2026-01-16 07:00"]
    assert cand["send_date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-01-16"]
    # 02:30 winter time on the spring-forward night + 1 h of elapsed time = 04:30 summer time (01:30 UTC).
    rules = rules_with(surveys={"visit": {"channels": ["sms"], "delay_hours": 1, "priority": 2}})
    cand = run([("p", "2026-03-29 02:30")], rules)
    assert cand["send_time"].dt.strftime("%H:%M").tolist() == ["01:30"]


def test_cap_and_response_cooldown_in_a_simulation():
    rows = [("p", f"2026-01-0{d} 10:00") for d in (1, 2, 3)]
    assert reasons(run(rows, rules_with(contact={"cap": 2, "cap_window_days": 30}))) == ["invited", "invited", "cap"]
    always = rules_with(contact={"response_cooldown_days": 30}, response_rates={"sms": {"default": 1.0}})
    cand = run([("p", "2026-01-01 10:00"), ("p", "2026-01-10 10:00"), ("p", "2026-01-31 10:00")], always)
    assert reasons(cand) == ["invited", "response_cooldown", "invited"] and cand["responded"].tolist() == [True, False, True]


def test_reminders_go_to_non_responders_only():
    never = rules_with(contact={"cooldown_days": 10}, reminders={"after_days": [3, 7], "response_shares": [0.2, 0.1]},
                       response_rates={"sms": {"default": 0.0}})
    cand = run([("p", "2026-01-01 10:00")], never)
    assert cand["reminders"].tolist() == [2] and cand["expected_reminders"].tolist() == [2.0]
    sure = never.replace(response_rates=(("sms", "*", 1.0),))
    cand = run([(f"p{i}", "2026-01-01 10:00") for i in range(2000)], sure, rng=3)
    # Everyone responds: 70 % to the invitation (no reminder), 20 % after the first, 10 % after the second.
    assert cand["reminders"].value_counts(normalize=True).sort_index().round(1).tolist() == [0.7, 0.2, 0.1]
    assert np.allclose(cand["expected_reminders"], 0.3 + 0.1)


def test_outside_the_period_and_invalid_events_are_counted_not_dropped():
    rows = [("p", "2026-01-05 10:00"), ("q", "2026-02-05 10:00"), (None, "2026-02-06 10:00")]
    cand = run(rows, period=("2026-02-01", "2026-03-01"))
    assert sorted(reasons(cand)) == ["invalid_event", "invited", "outside_period"]


def test_deterministic_given_a_seed_and_independent_of_row_order():
    rules = rules_with(touchpoints={"visit": {"survey": "visit", "rate": 0.5}}, contact={"cooldown_days": 7})
    raw = events_frame([(f"p{i % 9}", f"2026-01-{1 + i % 28:02d} {8 + i % 10}:00") for i in range(120)])
    a = simulate(read_events(raw, now="2030-01-01"), rules, rng=11).candidates
    b = simulate(read_events(raw.sample(frac=1, random_state=1), now="2030-01-01"), rules, rng=11).candidates
    pd.testing.assert_frame_equal(a, b)
    c = simulate(read_events(raw, now="2030-01-01"), rules, rng=12).candidates
    assert not a["reason"].equals(c["reason"])


@st.composite
def event_rows(draw):
    n = draw(st.integers(1, 40))
    rows = []
    for _ in range(n):
        rows.append((f"p{draw(st.integers(0, 4))}", "2026-01-01 08:00",
                     {"timestamp_shift": draw(st.integers(0, 90 * 24)),
                      "touchpoint": draw(st.sampled_from(["visit", "chat", "phone call"])),
                      "journey_id": draw(st.sampled_from([None, "a", "b"])),
                      "has_mobile": draw(st.booleans()), "deceased": draw(st.booleans())}))
    return rows


@settings(max_examples=25, deadline=None)
@given(event_rows(), st.integers(0, 20), st.integers(0, 3), st.integers(1, 30), st.floats(0, 1), st.integers(0, 9))
def test_invariants(rows, cooldown, cap, window, rate, seed):
    raw = events_frame([(p, t, {k: v for k, v in extra.items() if k != "timestamp_shift"}) for p, t, extra in rows])
    raw["timestamp"] += pd.to_timedelta([extra["timestamp_shift"] for _, _, extra in rows], "h")
    rules = rules_with(contact={"cooldown_days": cooldown, "cap": cap, "cap_window_days": window},
                       touchpoints={"visit": {"survey": "visit", "rate": rate}, "chat": {"survey": "digital", "rate": 1}},
                       journey_end={"survey": "journey", "rate": 1.0})
    events = read_events(raw, now="2030-01-01", on_bad="keep")
    cand = simulate(events, rules, rng=seed).candidates
    # every event is a candidate once, plus journey ends; every candidate has exactly one reason
    assert sorted(cand.loc[cand["touchpoint"] != "journey end", "event"]) == list(range(len(raw)))
    assert cand["reason"].notna().all()
    inv = cand[cand["invited"]]
    days = inv["send_date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    for person in inv["person"].unique():
        d = np.sort(days[inv["person"].to_numpy() == person])
        assert np.all(np.diff(d) >= max(cooldown, 1))  # the cooldown, and at most one invitation a day
        if cap:
            assert all(np.sum((d > x - window) & (d <= x)) <= cap for x in d)
    assert not cand.loc[cand["reason"] == "invited", "touchpoint"].isin(["phone call"]).any()
    pd.testing.assert_frame_equal(cand, simulate(events, rules, rng=seed).candidates)


def test_rules_that_need_a_missing_role_are_refused():
    raw = events_frame([("p", "2026-01-05 10:00")]).drop(columns=["deceased", "has_mobile"])
    events = read_events(raw, now="2030-01-01")
    with pytest.raises(EventsError, match=r"The rules \(<dict>\) need role\(s\) deceased \(for \[exclusions\]\.deceased\), "
                                          r"has_mobile \(for \[channels\.sms\]\.requires\), which the events \(data frame\)"):
        simulate(events, rules_with())


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(period=("2026-03-01", "2026-02-01")), ParameterError, r"`period` must end after it starts"),
    (dict(period="2026"), ParameterError, r"`period` must be \(start, end\) dates; got '2026'"),
    (dict(period=("soon", "2026-02-01")), ParameterError, r"`period` start must be a date such as '2026-01-01'; got 'soon'"),
    (dict(rates=pd.DataFrame({"unit": ["U1"], "touchpoint": ["visit"], "rate": [2.0]})), ParameterError,
     r"`rates` must hold sampling rates in \[0, 1\]; got \[2.0\]"),
    (dict(rates=pd.DataFrame({"unit": ["U1"], "rate": [1.0]})), Exception, r"Rate column \['touchpoint'\] not found"),
    (dict(response_rates=pd.DataFrame({"channel": ["fax"], "response_rate": [0.1]})), ParameterError,
     r"`response_rates` names channel\(s\) \['fax'\] that the rules \(<dict>\) do not define"),
    (dict(response_rates=pd.DataFrame({"channel": ["sms"], "response_rate": [1.1]})), ParameterError,
     r"`response_rates` must hold rates in \[0, 1\]; got \[1.1\]"),
    (dict(response_rates=pd.DataFrame({"channel": ["sms", "sms"], "response_rate": [0.1, 0.2]})), ParameterError,
     r"`response_rates` has more than one rate for a channel and age group"),
])
def test_parameter_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        run([("p", "2026-01-05 10:00")], **kwargs)


def test_a_response_cooldown_needs_response_rates_and_the_journey_end_name_is_reserved():
    rules = rules_with(contact={"response_cooldown_days": 30}).replace(response_rates=())
    with pytest.raises(RulesError, match=r"<dict>: no response rate for \[\('sms', '18-34'\)\]; the response "
                                         r"cooldown needs one"):
        run([("p", "2026-01-05 10:00")], rules)
    with pytest.raises(EventsError, match=r"use the touchpoint name 'journey end', which is reserved"):
        run([("p", "2026-01-05 10:00", {"touchpoint": "journey end"})])
