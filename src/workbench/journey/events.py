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
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._validate import check_choice, show_values
from ..errors import EventsError, ParameterError, WorkbenchWarning
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
FLAG_ROLES = ("has_mobile", "has_email", "non_disclosure", "deceased", "minor", "guardian_contact", "sensitive")
_CATEGORIES = ("unit", "touchpoint", "service", "channel", "age_group", "language")
# A missing or unreadable flag is read conservatively: exclusion flags as set, availability flags as not.
_MISSING_FLAG_MEANS = {"has_mobile": False, "has_email": False, "guardian_contact": False, "non_disclosure": True,
                       "deceased": True, "minor": True, "sensitive": True}
LANGUAGES = ("fi", "sv", "other")
_CONTACT = ("visit", "phone", "video", "chat")
_TRUE = ("1", "true", "t", "yes", "y", "kyllä", "k")
_FALSE = ("0", "false", "f", "no", "n", "ei", "e")
_OFFSET = r"(Z|z|[+-]\d\d(:?\d\d)?)$"


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


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _open(source: Any, con: duckdb.DuckDBPyConnection) -> str:
    """Make the source queryable as view ``wb_source``; returns a short description of it."""
    if isinstance(source, (str, Path)):
        path = str(source)
        suffix = Path(path.removesuffix(".gz")).suffix.lower()
        if not any(ch in path for ch in "*?[") and not Path(path).exists():
            raise EventsError(f"Events file {path!r} does not exist.")
        reader = {".parquet": "read_parquet", ".pq": "read_parquet", ".csv": "read_csv", ".tsv": "read_csv",
                  ".txt": "read_csv"}.get(suffix)
        if reader is None:
            raise EventsError(f"Events file {path!r}: unknown type {suffix!r}; use Parquet (.parquet) or CSV (.csv).")
        kind = "VIEW" if reader == "read_parquet" else "TEMP TABLE"  # CSV is parsed once, not once per query
        con.execute(f"CREATE {kind} wb_source AS SELECT * FROM {reader}({_literal(path)})")
        return Path(path).name
    if isinstance(source, duckdb.DuckDBPyRelation):
        con.register("wb_source_reader", source.to_arrow_reader())
        con.execute("CREATE TEMP TABLE wb_source AS SELECT * FROM wb_source_reader")
        return "DuckDB relation"
    if isinstance(source, (pd.DataFrame, pa.Table)):
        # Through Arrow: DuckDB's pandas scan rejects some layouts (reversed views, mixed object columns).
        table = pa.Table.from_pandas(source, preserve_index=False) if isinstance(source, pd.DataFrame) else source
        con.register("wb_source", table)
        return "data frame"
    raise EventsError(f"Events must be a Parquet or CSV path, a DataFrame, a pyarrow Table or a DuckDB relation; "
                      f"got {type(source).__name__}.")


def _timestamp_sql(col: str, kind: str, label: str, where: str) -> tuple[str, str]:
    """SQL for (UTC microseconds, local wall-clock microseconds) of a timestamp column of a given type."""
    c = _ident(col)
    if kind.startswith("TIMESTAMP WITH TIME ZONE"):
        return f"epoch_us({c})", "NULL::BIGINT"
    if kind.startswith("TIMESTAMP") or kind == "DATE":
        return "NULL::BIGINT", f"epoch_us({c}::TIMESTAMP)"
    if kind == "VARCHAR":
        has_offset = f"regexp_matches(trim({c}), {_literal(_OFFSET)})"
        return (f"CASE WHEN {has_offset} THEN epoch_us(try_cast(trim({c}) AS TIMESTAMPTZ)) END",
                f"CASE WHEN NOT {has_offset} THEN epoch_us(try_cast(trim({c}) AS TIMESTAMP)) END")
    raise EventsError(f"{where}: timestamp column {label!r} has type {kind}; expected a timestamp, a date or text.")


def _projection(columns: Mapping[str, str], types: Mapping[str, str], where: str) -> str:
    parts = []
    for role, col in columns.items():
        c, kind = _ident(col), types[col]
        if role == "timestamp":
            utc, wall = _timestamp_sql(col, kind, col, where)
            parts += [f"{utc} AS ts_utc", f"{wall} AS ts_wall", f"({c} IS NULL) AS ts_missing"]
        elif role in FLAG_ROLES and kind == "BOOLEAN":
            parts.append(f"(CASE WHEN {c} IS NULL THEN -1 WHEN {c} THEN 1 ELSE 0 END)::TINYINT AS {role}")
        elif role in FLAG_ROLES:
            text = f"lower(trim(CAST({c} AS VARCHAR)))"
            parts.append(f"(CASE WHEN {c} IS NULL THEN -1 WHEN {text} IN ({', '.join(map(_literal, _TRUE))}) THEN 1 "
                         f"WHEN {text} IN ({', '.join(map(_literal, _FALSE))}) THEN 0 ELSE 2 END)::TINYINT AS {role}")
        elif role in ("person_id", "journey_id"):
            parts.append(f"{c} AS {role}")  # ids as they are (an empty text id counts as missing)
        else:
            # Values as they are (an empty one counts as missing); channel and language are case-insensitive.
            text = c if kind == "VARCHAR" else f"CAST({c} AS VARCHAR)"
            parts.append(f"lower({text}) AS {role}" if role in ("channel", "language") else f"{text} AS {role}")
    return ", ".join(parts)


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
    key, ties by every column), so that nothing depends on the order of the file. Timestamps with a time zone (or text with an offset) are instants; timestamps without one are
    local wall-clock times in ``timezone``: a wall time in the spring-forward gap moves to the end of the gap,
    and one in the repeated autumn hour is read as its first occurrence (both counted as problems, kept).
    Flags accept true/false, 1/0, yes/no and kyllä/ei; a missing or unreadable exclusion flag is read as set
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
        label = _open(source, con)
        described = con.sql("DESCRIBE SELECT * FROM wb_source").fetchall()
        types = {row[0]: row[1] for row in described}
        columns = {role: mapping.get(role, role) for role in ROLES if role in mapping or role in types}
        missing = [f"{role} -> {col}" for role, col in columns.items() if col not in types]
        missing += [f"{role} -> {role}" for role in REQUIRED_ROLES if role not in columns]
        if missing:
            raise EventsError(f"{label}: column(s) for role(s) {show_values(missing)} not found "
                              f"({len(types)} columns: {show_values(list(types), 20)}); name them in the mapping.")
        # A view, not a table: DuckDB scans the source (only the mapped columns) once per query below, which is
        # much faster and smaller than materialising every string of tens of millions of rows.
        con.execute(f"CREATE VIEW wb_ev AS SELECT {_projection(columns, types, label)} FROM wb_source")
        frame, person_ids, raw = _coded(con, columns)
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


def _rank_codes(column) -> tuple[np.ndarray, Any]:
    """Integer codes of a column ordered by value (-1 for missing or empty), and the sorted distinct values."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    encoded = pc.dictionary_encode(array)
    dictionary = encoded.dictionary
    order = pc.sort_indices(dictionary).to_numpy()
    rank = np.empty(len(dictionary), dtype=np.int32)
    rank[order] = np.arange(len(dictionary), dtype=np.int32)
    empty = np.zeros(len(dictionary), dtype=bool)
    if pa.types.is_string(dictionary.type) or pa.types.is_large_string(dictionary.type):
        empty = pc.equal(dictionary, "").to_numpy(zero_copy_only=False)  # an empty id is a missing id
    if empty.any():  # the empty value sorts first: drop it and shift the others down
        rank = rank - 1
        rank[empty] = -1
        order = order[~empty[order]]
    index = pc.fill_null(encoded.indices, -1).to_numpy()
    codes = np.where(index >= 0, rank[np.maximum(index, 0)], -1).astype(np.int32)
    return codes, dictionary.take(pa.array(order))


def _coded(con: duckdb.DuckDBPyConnection, columns: Mapping[str, str]):
    """Integer-coded columns in canonical order; categories from ENUM types, ids ranked by value."""
    categories = {}
    select = ["e.person_id", "coalesce(e.ts_utc, e.ts_wall, 0) AS ts",
              "(CASE WHEN e.ts_utc IS NOT NULL THEN 0 WHEN e.ts_wall IS NOT NULL THEN 1 WHEN e.ts_missing THEN 2 "
              "ELSE 3 END)::TINYINT AS ts_kind"]
    present = [role for role in _CATEGORIES if role in columns]
    lists = con.sql("SELECT " + ", ".join(f"list(DISTINCT {r} ORDER BY {r}) FILTER (WHERE {r} IS NOT NULL)"
                                          for r in present) + " FROM wb_ev").fetchall()[0] if present else []
    for role, values in zip(present, lists):  # one pass for every categorical column
        values = sorted(v for v in values or [] if v != "")  # an empty value is a missing value
        categories[role] = values
        if values:
            con.execute(f"CREATE TYPE wb_{role} AS ENUM ({', '.join(map(_literal, values))})")
            select.append(f"coalesce(enum_code(TRY_CAST(e.{role} AS wb_{role}))::INTEGER, -1) AS {role}")
        else:
            select.append(f"-1::INTEGER AS {role}")
    if "journey_id" in columns:
        select.append("e.journey_id")
    select += [f"e.{role}" for role in FLAG_ROLES if role in columns]
    table = con.sql(f"SELECT {', '.join(select)} FROM wb_ev e").to_arrow_table()
    person, person_ids = _rank_codes(table.column("person_id"))
    raw = {"person": person}
    raw.update({name: table.column(name).to_numpy() for name in table.column_names
                if name not in ("person_id", "journey_id")})
    if "journey_id" in columns:
        journey, values = _rank_codes(table.column("journey_id"))
        pair = np.where((person >= 0) & (journey >= 0), person.astype(np.int64) * (len(values) + 1) + journey, -1)
        codes, _ = pd.factorize(pair, sort=True)  # code order: by person, then by journey id
        raw["journey"] = np.where(pair >= 0, codes - int((pair < 0).any()), -1).astype(np.int32)
    del table
    return categories, person_ids, _canonical(raw)


def _canonical(raw: dict) -> dict:
    """Rows sorted by person, time and every other column: the order never depends on the source's.

    One stable argsort of a single int64 key (person code in the high bits, time in the low bits, coarsened
    only if the span needs it), then rows tied on that key are ordered by every column (few rows).
    """
    person, ts = raw["person"].astype(np.int64), raw["ts"]
    n = len(person)
    if n == 0:
        return raw
    person_bits = max(int(person.max()) + 2, 2).bit_length()
    span = int(ts.max()) - int(ts.min())
    shift = max(span.bit_length() - (62 - person_bits), 0)
    key = ((person + 1) << (62 - person_bits)) + ((ts - ts.min()) >> shift)
    order = np.argsort(key, kind="stable")
    key = key[order]
    tied = key[1:] == key[:-1]
    if tied.any():  # order tied rows by time and then by every other column
        block = np.cumsum(np.concatenate([[True], ~tied])) - 1
        members = np.flatnonzero(np.concatenate([tied, [False]]) | np.concatenate([[False], tied]))
        others = [raw[k][order[members]] for k in sorted(raw) if k not in ("person", "ts")]
        inner = np.lexsort(others[::-1] + [raw["ts"][order[members]], block[members]])
        order[members] = order[members][inner]
    for k in list(raw):  # one column at a time, so that only one unsorted copy is alive
        raw[k] = raw[k][order]
    return raw


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
        flag_invalid(bad, "unknown unit", col["unit"], show_values([u for u, b in zip(categories["unit"], unknown) if b]))
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
