"""Contact events: read them with DuckDB (Parquet, CSV, a data frame or a DuckDB relation), map the study's
column names to roles, validate, and report every bad event with counts.

Nothing is dropped: an event that cannot be used (no person id, no readable timestamp, a timestamp in the
future, an unknown unit, …) stays in the data marked invalid with its problem, the simulator gives it the
reason ``invalid_event``, and :attr:`Events.problems` counts it.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from .._validate import check_choice, show_values
from ..errors import EventsError, ParameterError, WorkbenchWarning
from .sources import CATEGORY_ROLES as _CATEGORIES
from .sources import FLAG_ROLES, coded_columns, open_source
from .windows import from_wall, local_wall

__all__ = ["Events", "read_events", "ROLES", "REQUIRED_ROLES", "FLAG_ROLES", "LANGUAGES"]

ROLES = {
    "person_id": "pseudonymised person id", "timestamp": "time of the contact", "unit": "the unit",
    "touchpoint": "the touchpoint", "service": "the service", "channel": "contact channel: visit, phone, video, chat",
    "journey_id": "the journey the contact belongs to, where known", "age_group": "age group",
    "language": "fi, sv or other", "has_mobile": "a mobile number is known", "has_email": "an e-mail address is known",
    "non_disclosure": "non-disclosure for personal safety (turvakielto)", "deceased": "the person has died",
    "minor": "a minor whose invitation goes to a guardian", "guardian_contact": "the guardian can be reached",
    "sensitive": "palliative or otherwise sensitive care",
}
REQUIRED_ROLES = ("person_id", "timestamp", "unit", "touchpoint")
# A missing or unreadable flag is read conservatively: exclusion flags as set, availability flags as not.
_MISSING_FLAG_MEANS = {"has_mobile": False, "has_email": False, "guardian_contact": False, "non_disclosure": True,
                       "deceased": True, "minor": True, "sensitive": True}
LANGUAGES = ("fi", "sv", "other")
_CONTACT = ("visit", "phone", "video", "chat")


@dataclass(frozen=True)
class Events:
    """Validated contact events in canonical form, sorted by person and time.

    Attributes
    ----------
    frame : DataFrame
        One row per event: ``person`` (int32 code; ids stay in :attr:`person_ids`), ``time`` (UTC), ``unit``,
        ``touchpoint``, ``service``, ``channel``, ``age_group``, ``language`` (categoricals), ``journey`` (int32
        code of person × journey id, -1 if none), the flags (bool, missing ones resolved as documented in
        :attr:`problems`), ``valid`` and ``problem`` (why an event is invalid).
    problems : DataFrame
        ``problem``, ``column``, ``rows``, ``share``, ``action``, ``values`` (examples; never person ids).
    source : str
        What was read (a file name, "data frame", "DuckDB relation").
    roles : tuple of str
        The roles present in the source.
    person_ids : pyarrow.Array
        The pseudonymised ids, in code order.
    """

    frame: pd.DataFrame
    problems: pd.DataFrame
    source: str
    roles: tuple
    person_ids: Any

    @property
    def n_invalid(self) -> int:
        """Number of events that cannot be simulated."""
        return int((~self.frame["valid"]).sum())


def _problem_rows(found: list, total: int) -> pd.DataFrame:
    rows = [(p, c, n, n / total if total else np.nan, a, v) for p, c, n, a, v in found if n]
    return pd.DataFrame(rows, columns=["problem", "column", "rows", "share", "action", "values"])


def read_events(
    source: Any,
    *,
    mapping: Mapping[str, str] | None = None,
    units: Iterable[str] | None = None,
    now: Any = None,
    timezone: str = "Europe/Helsinki",
    on_bad: str = "warn",
) -> Events:
    """Read contact events through DuckDB, validate them, and count every problem.

    Parameters
    ----------
    source : path, DataFrame, pyarrow.Table or duckdb.DuckDBPyRelation
        A Parquet or CSV file (or a glob of them), a data frame, or a relation on any DuckDB connection
        (for example a table of an attached database).
    mapping : mapping of role to column, optional
        The study's column names, ``{"person_id": "asiakas_pseudo", "timestamp": "aika", …}``; roles not named
        are looked up under their own name. Roles: see :data:`ROLES`; required: :data:`REQUIRED_ROLES`.
    units : iterable of str, optional
        The study's units; events of any other unit are invalid ("unknown unit").
    now : timestamp, optional
        Events after this instant are invalid ("timestamp in the future"); default: the current time.
    timezone : str
        Zone of timestamps without an offset (local wall-clock times).
    on_bad : {"warn", "raise", "keep"}
        Invalid events always stay in the data, marked, and are counted in ``problems``; "warn" also emits a
        :class:`WorkbenchWarning` with the counts, "raise" raises :class:`EventsError` instead.

    Returns
    -------
    Events
        The canonical events (sorted by person and time) and the problem table.

    Raises
    ------
    EventsError
        The file does not exist or has an unknown type; a required role has no column; the mapping names an
        unknown role or a missing column; the timestamp column has an unusable type; with ``on_bad="raise"``,
        any invalid event (the message gives counts per problem, never ids).
    ParameterError
        An unknown ``on_bad``.

    Notes
    -----
    DuckDB scans the source through a view of the mapped columns (CSV is parsed once into a temporary
    table) and codes every categorical column through an ENUM; person and journey ids are ranked by value with
    pyarrow, and the rows are sorted by person, time and every other column (one NumPy sort of a combined
    key, ties by every column), so that nothing depends on the order of the file. Timestamps with a time zone
    (or text with an offset) are instants; timestamps without one are local wall-clock times in ``timezone``:
    a wall time in the spring-forward gap moves to the end of the gap,
    and one in the repeated autumn hour is read as its first occurrence (both counted as problems, kept).
    Text values are used as they are, not trimmed (an empty one is missing; channel and language ignore
    case), so "Kainuu / imaging " is a unit of its own and, with ``units``, an unknown one. Flags accept
    true/false, 1/0, yes/no and kyllä/ei; a missing or unreadable exclusion flag is read as set
    (the person is not invited), a missing availability flag as not available.

    References
    ----------
    DuckDB 2.0 Python API, https://duckdb.org/docs/2.0/clients/python/overview; IANA tz database via zoneinfo.
    """
    check_choice(on_bad, "on_bad", ("warn", "raise", "keep"), error=ParameterError)
    mapping = dict(mapping or {})
    unknown = sorted(set(mapping) - set(ROLES))
    if unknown:
        raise EventsError(f"Unknown role(s) {show_values(unknown)} in the column mapping; roles: {list(ROLES)}.")
    now_us = pd.Timestamp.now(tz="UTC") if now is None else pd.Timestamp(now)
    now_us = (now_us.tz_localize(timezone) if now_us.tzinfo is None else now_us).tz_convert("UTC").value // 1000
    con = duckdb.connect(config={"preserve_insertion_order": False})
    try:
        label, types = open_source(source, con)
        columns = {role: mapping.get(role, role) for role in ROLES if role in mapping or role in types}
        missing = [f"{role} -> {col}" for role, col in columns.items() if col not in types]
        missing += [f"{role} -> {role}" for role in REQUIRED_ROLES if role not in columns]
        if missing:
            raise EventsError(f"{label}: column(s) for role(s) {show_values(missing)} not found "
                              f"({len(types)} columns: {show_values(list(types), 20)}); name them in the mapping.")
        frame, person_ids, raw = coded_columns(con, columns, types, label)
    finally:
        con.close()
    events = _finish(frame, raw, columns, label, units, now_us, timezone)
    events = Events(events[0], events[1], label, tuple(columns), person_ids)
    bad = events.problems[events.problems["action"].str.startswith("invalid")]
    if len(bad) and on_bad != "keep":
        counts = "; ".join(f"{r.problem} ({r.column}): {r.rows}" for r in bad.itertuples())
        message = (f"{label}: {events.n_invalid} of {len(events.frame)} events cannot be used (an event can have "
                   f"several problems) — {counts}.")
        if on_bad == "raise":
            raise EventsError(message)
        warnings.warn(message + " They are kept and counted as 'invalid_event'.", WorkbenchWarning, stacklevel=2)
    return events


def _finish(categories, raw, columns, label, units, now_us, timezone):
    """Resolve times, validate, and build the canonical frame and the problem table."""
    n = len(raw["person"])
    ts, kind = raw["ts"].astype(np.int64), raw["ts_kind"]
    found, invalid, problem = [], np.zeros(n, dtype=bool), np.full(n, -1, dtype=np.int8)
    col = {role: columns.get(role, role) for role in ROLES}

    wall = kind == 1
    gap = ambiguous = np.zeros(n, dtype=bool)
    if wall.any():
        utc = from_wall(ts[wall], timezone)
        gap = np.zeros(n, dtype=bool)
        gap[wall] = local_wall(utc, timezone) != ts[wall]
        later = pd.DatetimeIndex(ts[wall].view("datetime64[us]")).tz_localize(
            timezone, ambiguous=np.zeros(int(wall.sum()), dtype=bool), nonexistent="shift_forward")
        ambiguous = np.zeros(n, dtype=bool)
        ambiguous[wall] = later.tz_convert("UTC").asi8 != utc
        ts = ts.copy()
        ts[wall] = utc
        order = np.lexsort((ts, raw["person"]))
        if np.any(order != np.arange(n)):  # a mix of instants and wall times: sort again by person and instant
            raw = {k: v[order] for k, v in raw.items()}
            ts, kind, gap, ambiguous = ts[order], kind[order], gap[order], ambiguous[order]

    def flag_invalid(mask, name, column, values=""):
        new = mask & ~invalid
        problem[new] = len(found)
        invalid[:] |= mask
        found.append((name, column, int(mask.sum()), "invalid: not simulated", values))

    def codes_of(role):
        return raw[role] if role in raw else np.full(n, -1, dtype=np.int32)

    flag_invalid(raw["person"] < 0, "missing person id", col["person_id"])
    flag_invalid(kind == 2, "missing timestamp", col["timestamp"])
    flag_invalid(kind == 3, "unreadable timestamp", col["timestamp"])
    flag_invalid((kind < 2) & (ts > now_us), "timestamp in the future", col["timestamp"])
    unit = codes_of("unit")
    flag_invalid(unit < 0, "missing unit", col["unit"])
    if units is not None:
        known = set(units)
        unknown = np.array([u not in known for u in categories["unit"]], dtype=bool)
        bad = unknown[unit] & (unit >= 0) if len(unknown) else np.zeros(n, dtype=bool)
        names = [u for u, b in zip(categories["unit"], unknown) if b]
        flag_invalid(bad, "unknown unit", col["unit"], show_values(names))
    flag_invalid(codes_of("touchpoint") < 0, "missing touchpoint", col["touchpoint"])
    if "channel" in categories:
        other = np.array([c not in _CONTACT for c in categories["channel"]], dtype=bool)
        ch = codes_of("channel")
        bad = (ch < 0) | (other[ch] if len(other) else False)
        flag_invalid(bad, "missing or unknown contact channel", col["channel"],
                     show_values([c for c, b in zip(categories["channel"], other) if b]))
    keys = [raw["person"], ts] + [raw[k] for k in ("unit", "touchpoint", "channel", "journey") if k in raw]
    same = np.ones(max(n - 1, 0), dtype=bool)
    for key in keys:
        same &= key[1:] == key[:-1]
    flag_invalid(np.concatenate([[False], same]) & ~invalid, "duplicate event (all key columns repeat)",
                 "; ".join(col[k] for k in ("person_id", "timestamp", "unit", "touchpoint")))

    found.append(("local time in the spring-forward gap, moved to its end", col["timestamp"], int(gap.sum()),
                  "kept", ""))
    found.append(("local time in the repeated autumn hour, first occurrence taken", col["timestamp"],
                  int(ambiguous.sum()), "kept", ""))
    frame = {"person": raw["person"].astype(np.int32), "time": pd.DatetimeIndex(ts.view("datetime64[us]"))
             .tz_localize("UTC")}
    for role in _CATEGORIES:
        values = list(categories.get(role, []))
        codes = codes_of(role).astype(np.int32)
        if role in ("age_group", "language") and role in categories:
            found.append((f"missing {role.replace('_', ' ')}", col[role], int(((codes < 0) & ~invalid).sum()),
                          "kept: counted as missing in rates and representativeness", ""))
        if role == "language" and values:
            bad_lang = np.array([v not in LANGUAGES for v in values], dtype=bool)
            mask = bad_lang[codes] & (codes >= 0)
            found.append(("language not fi, sv or other", col[role], int(mask.sum()), "kept: language missing",
                          show_values([v for v, b in zip(values, bad_lang) if b])))
            codes = np.where(mask, -1, codes)
        frame[role] = pd.Categorical.from_codes(codes, categories=values) if values else \
            pd.Categorical.from_codes(np.full(n, -1), categories=pd.Index([], dtype=object))
    frame["journey"] = codes_of("journey").astype(np.int32)
    for role in FLAG_ROLES:
        value = raw.get(role, np.zeros(n, dtype=np.int8))
        unusable = (value < 0) | (value > 1)
        if role in raw:
            meaning = "set (not invited)" if _MISSING_FLAG_MEANS[role] else "not available"
            found.append((f"missing or unreadable flag {role}", col[role], int((unusable & ~invalid).sum()),
                          f"kept: read as {meaning}", ""))
        frame[role] = np.where(unusable, _MISSING_FLAG_MEANS[role], value == 1)
    frame["valid"] = ~invalid
    names = [f[0] for f in found]
    frame["problem"] = pd.Categorical.from_codes(problem.astype(np.int32), categories=names)
    return pd.DataFrame(frame, copy=False), _problem_rows(found, n)
