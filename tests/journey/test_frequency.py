import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.errors import ParameterError
from workbench.journey import apply_contact_rules
from workbench.journey.frequency import NO_RESPONSE

INV, COOL, RESP, CAP = 0, 1, 2, 3


def rules(person, day, response=None, **kw):
    return apply_contact_rules(np.array(person), np.array(day), None if response is None else np.array(response),
                               **kw).tolist()


def test_cooldown_boundaries_day_89_blocked_day_90_allowed():
    # Invited on day 0; day 89 is within 90 days; day 90 is the first allowed; then 90 days from day 90.
    assert rules([1] * 5, [0, 89, 90, 179, 180], cooldown_days=90) == [INV, COOL, INV, COOL, INV]


def test_response_cooldown_runs_from_the_response_day():
    # Responds on day 3 to the invitation of day 0. Cooldown 90, response cooldown 180 (from day 3):
    # day 90 passes the cooldown but not the response cooldown; day 183 passes both.
    response = [3, NO_RESPONSE, NO_RESPONSE, NO_RESPONSE]
    assert rules([1] * 4, [0, 90, 182, 183], response, cooldown_days=90, response_cooldown_days=180) == \
        [INV, RESP, RESP, INV]


def test_a_pending_response_does_not_block_and_only_counts_from_its_day():
    # Without a cooldown: day 0 invited and will respond on day 3; day 2 is before the response: invited;
    # day 5 is 2 days after it: blocked by a 10-day response cooldown; day 13 is free.
    response = [3, NO_RESPONSE, NO_RESPONSE, NO_RESPONSE]
    assert rules([1] * 4, [0, 2, 5, 13], response, response_cooldown_days=10) == [INV, INV, RESP, INV]


def test_cap_per_rolling_window():
    # At most 2 invitations in any 10 days (on day d: days d-9 .. d count).
    # 0, 1 invited; 2 and 9 capped (0 and 1 in the window); 10: only day 1 in the window -> invited;
    # 11: day 1 has left (11 - 1 = 10), only 10 -> invited; 12: 10 and 11 -> capped.
    assert rules([1] * 7, [0, 1, 2, 9, 10, 11, 12], cap=2, cap_window_days=10) == \
        [INV, INV, CAP, CAP, INV, INV, CAP]


def test_first_failing_rule_is_the_reason_and_blocked_candidates_change_no_state():
    # Day 30 is blocked by the cooldown (not by the cap): it does not count towards the cap, so day 60 and 90
    # are invitations 2 and 3 in 365 days; day 120 is the 4th and capped at 3.
    assert rules([7] * 5, [0, 30, 60, 90, 120], cooldown_days=60, cap=3, cap_window_days=365) == \
        [INV, COOL, INV, COOL, INV]
    assert rules([7] * 5, [0, 30, 60, 90, 120], cooldown_days=30, cap=3, cap_window_days=365) == \
        [INV, INV, INV, CAP, CAP]


def test_persons_are_independent_whatever_their_number_of_candidates():
    person = [1, 1, 1, 2, 3, 3]
    day = [0, 10, 100, 5, 0, 95]
    assert rules(person, day, cooldown_days=90) == [INV, COOL, INV, INV, INV, INV]


def test_same_day_candidates_are_handled_in_order():
    assert rules([1, 1, 1], [4, 4, 4], cap=2, cap_window_days=1) == [INV, INV, CAP]
    assert rules([1, 1], [4, 4], cooldown_days=1) == [INV, COOL]


@pytest.mark.parametrize("kwargs, match", [
    (dict(person=[1, 2, 1], day=[0, 0, 1]), r"`person` must be grouped"),
    (dict(person=[1, 1], day=[5, 4]), r"`day` must not decrease within a person; it does at 1 candidates"),
    (dict(person=[1, 1], day=[5]), r"must have the same length; got 2, 1"),
    (dict(person=[1], day=[0], cooldown_days=-1), r"`cooldown_days` must be non-negative and finite; got -1"),
    (dict(person=[1], day=[0], cap=2), r"`cap_window_days` must be at least 1 when `cap` is set; got 0"),
    (dict(person=[1], day=[0], cap=1.5, cap_window_days=3), r"`cap` must be a whole number; got 1.5"),
])
def test_errors(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        apply_contact_rules(np.array(kwargs.pop("person")), np.array(kwargs.pop("day")), **kwargs)


def reference(person, day, response, cooldown, response_cooldown, cap, window):
    """The rules applied person by person in plain Python: the specification, for comparison."""
    out = []
    state = {}
    for p, d, r in zip(person, day, response):
        invites, responses = state.setdefault(p, ([], []))
        if cooldown and invites and d - invites[-1] < cooldown:
            out.append(COOL)
        elif response_cooldown and any(0 <= d - x < response_cooldown for x in responses[-1:]):
            out.append(RESP)
        elif cap and sum(1 for x in invites if d - x < window) >= cap:
            out.append(CAP)
        else:
            out.append(INV)
            invites.append(d)
            if r != NO_RESPONSE:
                responses.append(max([r] + responses[-1:]))
    return out


@st.composite
def sequences(draw):
    n = draw(st.integers(1, 60))
    person = sorted(draw(st.lists(st.integers(0, 6), min_size=n, max_size=n)))
    gaps = draw(st.lists(st.integers(0, 40), min_size=n, max_size=n))
    day, last = [], {}
    for p, g in zip(person, gaps):
        last[p] = last.get(p, -1) + g if p in last else g
        day.append(last[p])
    responds = draw(st.lists(st.sampled_from([None, 0, 1, 3]), min_size=n, max_size=n))
    response = [NO_RESPONSE if r is None else d + r for d, r in zip(day, responds)]
    return person, day, response


@settings(max_examples=300, deadline=None)
@given(sequences(), st.integers(0, 30), st.integers(0, 60), st.integers(0, 4), st.integers(1, 90))
def test_matches_the_per_person_specification(seq, cooldown, response_cooldown, cap, window):
    person, day, response = seq
    if cooldown <= 3:  # as simulate guarantees: the cooldown outlasts any response delay (here up to 3 days)
        response = [NO_RESPONSE if r == NO_RESPONSE else d for d, r in zip(day, response)]
    got = apply_contact_rules(np.array(person), np.array(day), np.array(response), cooldown_days=cooldown,
                              response_cooldown_days=response_cooldown, cap=cap, cap_window_days=window)
    assert got.tolist() == reference(person, day, response, cooldown, response_cooldown, cap, window)


@settings(max_examples=200, deadline=None)
@given(sequences(), st.integers(1, 30), st.integers(1, 4), st.integers(1, 60))
def test_invariants_cooldown_and_cap_hold_for_every_person_and_window(seq, cooldown, cap, window):
    person, day, _ = seq
    got = apply_contact_rules(np.array(person), np.array(day), cooldown_days=cooldown, cap=cap,
                              cap_window_days=window)
    person, day = np.array(person), np.array(day)
    for p in np.unique(person):
        sent = day[(person == p) & (got == INV)]
        assert np.all(np.diff(sent) >= cooldown)  # never two invitations within the cooldown
        for d in sent:  # at most `cap` invitations in every window of `window` days ending on an invitation
            assert np.sum((sent > d - window) & (sent <= d)) <= cap
        # greedy: a candidate blocked by the cooldown had an invitation less than `cooldown` days before it
        for d in day[(person == p) & (got == COOL)]:
            assert np.any((sent <= d) & (d - sent < cooldown))
    # deterministic
    assert np.array_equal(got, apply_contact_rules(person, day, cooldown_days=cooldown, cap=cap,
                                                   cap_window_days=window))
