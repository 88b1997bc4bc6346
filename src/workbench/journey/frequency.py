"""Contact-frequency rules per person: cooldown after an invitation, cooldown after a response, and a cap per
rolling window, applied in time order and vectorised across persons."""

from __future__ import annotations

import numpy as np
from tqdm import tqdm  # plain bar: tqdm.auto warns on every report page (no ipywidgets)

from .._validate import check_positive
from ..errors import ParameterError

__all__ = ["apply_contact_rules", "OUTCOMES", "NO_RESPONSE"]

OUTCOMES = ("invited", "cooldown", "response_cooldown", "cap")
NO_RESPONSE = np.iinfo(np.int32).min  # response day of a candidate that would not respond
_NEVER = np.iinfo(np.int64).min // 4  # "no invitation yet": far enough in the past for every comparison


def apply_contact_rules(
    person: np.ndarray,
    day: np.ndarray,
    response_day: np.ndarray | None = None,
    *,
    cooldown_days: int = 0,
    response_cooldown_days: int = 0,
    cap: int = 0,
    cap_window_days: int = 0,
    progress: bool = False,
) -> np.ndarray:
    """Which candidates become invitations under per-person contact-frequency rules.

    Parameters
    ----------
    person : array of int
        Person code of each candidate, sorted (all candidates of a person together).
    day : array of int
        Local day of each candidate's send time, non-decreasing within each person.
    response_day : array of int, optional
        Day on which the person would respond if this candidate were sent (:data:`NO_RESPONSE` if not).
        Needed only for the response cooldown.
    cooldown_days : int
        No invitation within this many days after the person's last invitation (0: off): a person invited
        on day d can be invited again from day d + ``cooldown_days``.
    response_cooldown_days : int
        No invitation within this many days after the person's last response (0: off).
    cap, cap_window_days : int
        At most ``cap`` invitations in any ``cap_window_days`` consecutive days (0: off): on day d the
        invitations on days d - ``cap_window_days`` + 1 … d count.
    progress : bool
        Show a progress bar over candidate ranks (tqdm).

    Returns
    -------
    array of int8
        Index into :data:`OUTCOMES` for each candidate: 0 invited, 1 cooldown, 2 response cooldown, 3 cap
        (the first rule that blocks it, in that order).

    Raises
    ------
    ParameterError
        Arrays of different lengths; persons not grouped or days decreasing within a person; a negative
        setting; a cap without a window.

    Notes
    -----
    The rules are sequential (whether a candidate is sent depends on which earlier ones were sent), so
    they are applied greedily in time order. The loop runs over the rank of a candidate within its person,
    not over persons: step k handles the k-th candidate of every person who has at least k + 1 candidates
    at once, with the per-person state (day of the last invitation, of the last response, and a ring buffer
    of the last ``cap`` invitation days) in arrays. Persons are ordered by their number of candidates, so
    the persons active at step k are a prefix and each step costs only its own candidates: total work is
    linear in the number of candidates, with one NumPy step per rank (the largest number of candidates of
    any one person). The cap check uses the ring buffer: a candidate on day d is capped when the person
    already has ``cap`` invitations and the oldest of the last ``cap`` lies within the window. Checked
    A response counts from its own day: one dated after a candidate's day (the person has not responded
    yet) does not block it. Only the latest response is kept, which is exact whenever a person's responses
    come in the order of their invitations (:func:`simulate` ensures it: its cooldown outlasts the
    reminders). Checked against a direct per-person implementation on random sequences (hypothesis) and
    hand-worked sequences
    in ``tests/journey/test_frequency.py``.

    References
    ----------
    Contact-frequency ("survey fatigue") rules as in national patient experience programmes, e.g. NHS
    England, *Friends and Family Test guidance* (2019); Porter, Whitcomb & Weitzer (2004), Multiple surveys
    of students and survey fatigue, New Directions for Institutional Research 121.
    """
    person = np.asarray(person)
    day = np.asarray(day, dtype=np.int64)
    n = len(person)
    if len(day) != n or (response_day is not None and len(response_day) != n):
        raise ParameterError(f"`person`, `day` and `response_day` must have the same length; got {n}, {len(day)}"
                             f"{'' if response_day is None else f', {len(response_day)}'}.")
    cooldown = check_positive(cooldown_days, "cooldown_days", allow_zero=True, integer=True)
    response_cooldown = check_positive(response_cooldown_days, "response_cooldown_days", allow_zero=True,
                                       integer=True)
    cap = check_positive(cap, "cap", allow_zero=True, integer=True)
    window = check_positive(cap_window_days, "cap_window_days", allow_zero=True, integer=True)
    if cap and window < 1:
        raise ParameterError(f"`cap_window_days` must be at least 1 when `cap` is set; got {cap_window_days!r}.")
    out = np.zeros(n, dtype=np.int8)
    if n == 0:
        return out
    new_person = np.concatenate([[True], person[1:] != person[:-1]])
    starts = np.flatnonzero(new_person)
    ascending = bool(np.all(person[1:] >= person[:-1]))  # sorted persons are grouped: skip the hash check
    if not ascending and len(np.unique(person[starts])) != len(starts):
        raise ParameterError("`person` must be grouped: all candidates of a person next to each other.")
    if np.any((np.diff(day) < 0) & ~new_person[1:]):
        bad = int(np.sum((np.diff(day) < 0) & ~new_person[1:]))
        raise ParameterError(f"`day` must not decrease within a person; it does at {bad} candidates.")
    counts = np.diff(np.append(starts, n))
    order = np.argsort(-counts, kind="stable")
    starts, counts = starts[order], counts[order]
    active = np.searchsorted(-counts, -np.arange(1, counts[0] + 1), side="right")  # persons with > k candidates
    responses = None if response_day is None else np.asarray(response_day, dtype=np.int64)
    persons = len(starts)
    last_invite = np.full(persons, _NEVER, dtype=np.int64)
    last_response = np.full(persons, _NEVER, dtype=np.int64)
    ring = np.full((persons, max(cap, 1)), _NEVER, dtype=np.int64)
    sent = np.zeros(persons, dtype=np.int64)
    for k in tqdm(range(int(counts[0])), desc="contact rules", unit="rank", disable=not progress, leave=False):
        a = int(active[k])
        idx = starts[:a] + k
        d = day[idx]
        blocked = np.zeros(a, dtype=np.int8)
        if cap:
            oldest = ring[np.arange(a), sent[:a] % cap]
            blocked[(sent[:a] >= cap) & (d - oldest < window)] = 3
        if response_cooldown:
            since = d - last_response[:a]
            blocked[(since >= 0) & (since < response_cooldown)] = 2
        if cooldown:
            blocked[d - last_invite[:a] < cooldown] = 1
        out[idx] = blocked
        ok = np.flatnonzero(blocked == 0)
        last_invite[ok] = d[ok]
        if cap:
            ring[ok, sent[ok] % cap] = d[ok]
        sent[ok] += 1
        if responses is not None:
            r = responses[idx[ok]]
            answered = r != NO_RESPONSE
            last_response[ok[answered]] = np.maximum(last_response[ok[answered]], r[answered])
    return out
