"""Reading contact events with DuckDB: the source as a view of the mapped columns, categorical columns coded
through ENUMs, ids ranked by value, and rows in a canonical order that does not depend on the source's."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import EventsError

__all__ = ["CATEGORY_ROLES", "FLAG_ROLES", "open_source", "coded_columns"]

CATEGORY_ROLES = ("unit", "touchpoint", "service", "channel", "age_group", "language")
FLAG_ROLES = ("has_mobile", "has_email", "non_disclosure", "deceased", "minor", "guardian_contact", "sensitive")
_TRUE = ("1", "true", "t", "yes", "y", "kyllä", "k")
_FALSE = ("0", "false", "f", "no", "n", "ei", "e")
_OFFSET = r"(Z|z|[+-]\d\d(:?\d\d)?)$"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def open_source(source: Any, con: duckdb.DuckDBPyConnection) -> tuple[str, dict[str, str]]:
    """Make a source of events queryable as ``wb_source`` on a DuckDB connection.

    Parameters
    ----------
    source : path, DataFrame, pyarrow.Table or duckdb.DuckDBPyRelation
        A Parquet or CSV file or glob, a data frame, or a relation on any DuckDB connection.
    con : duckdb.DuckDBPyConnection
        The connection that will read it.

    Returns
    -------
    (str, dict)
        A short description of the source (a file name, "data frame", "DuckDB relation") and its column types.

    Raises
    ------
    EventsError
        A file that does not exist, an unknown file type, an unsupported kind of source.

    Notes
    -----
    Parquet stays a view (scanned per query, reading only the columns used); CSV is parsed once into a
    temporary table; a data frame goes through Arrow; a relation of another connection is streamed once.

    References
    ----------
    DuckDB 2.0 Python API, https://duckdb.org/docs/2.0/clients/python/overview.
    """
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
        label = Path(path).name
    elif isinstance(source, duckdb.DuckDBPyRelation):
        con.register("wb_source_reader", source.to_arrow_reader())
        con.execute("CREATE TEMP TABLE wb_source AS SELECT * FROM wb_source_reader")
        label = "DuckDB relation"
    elif isinstance(source, (pd.DataFrame, pa.Table)):
        # Through Arrow: DuckDB's pandas scan rejects some layouts (reversed views, mixed object columns).
        table = pa.Table.from_pandas(source, preserve_index=False) if isinstance(source, pd.DataFrame) else source
        con.register("wb_source", table)
        label = "data frame"
    else:
        raise EventsError(f"Events must be a Parquet or CSV path, a DataFrame, a pyarrow Table or a DuckDB relation; "
                          f"got {type(source).__name__}.")
    described = con.sql("DESCRIBE SELECT * FROM wb_source").fetchall()
    return label, {row[0]: row[1] for row in described}


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


def coded_columns(con: duckdb.DuckDBPyConnection, columns: Mapping[str, str], types: Mapping[str, str],
                  label: str) -> tuple[dict, pa.Array, dict]:
    """The mapped columns of ``wb_source`` as integer codes in canonical order.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        With ``wb_source`` (:func:`open_source`).
    columns : mapping of role to column
    types : mapping of column to DuckDB type
    label : str
        The source's description, for messages.

    Returns
    -------
    (dict, pyarrow.Array, dict)
        Categories per categorical role (sorted; empty texts are missing values), the person ids in code order,
        and NumPy arrays: ``person``, ``ts`` (microseconds: UTC, or local wall time where ``ts_kind`` is 1),
        ``ts_kind`` (0 instant, 1 wall time, 2 missing, 3 unreadable), the categorical codes (-1 missing),
        ``journey`` (code of person × journey id) and the flags (1 true, 0 false, -1 missing, 2 unreadable).

    Raises
    ------
    EventsError
        A timestamp column of an unusable type.

    Notes
    -----
    One view projects the mapped columns (flags parsed from true/false, 1/0, yes/no, kyllä/ei; text timestamps
    with an offset are instants, without one local wall times); one query lists every categorical column's
    values, which become ENUM types; one query returns the codes. Person and journey ids are ranked by value
    with pyarrow (``dictionary_encode``, ``sort_indices``), and the rows sorted by one combined key (person,
    time), ties by every other column.

    References
    ----------
    DuckDB ENUM type, https://duckdb.org/docs/2.0/sql/data_types/enum; Apache Arrow compute functions.
    """
    # A view, not a table: DuckDB scans the source (only the mapped columns) once per query below, which is
    # much faster and smaller than materialising every string of tens of millions of rows.
    con.execute(f"CREATE VIEW wb_ev AS SELECT {_projection(columns, types, label)} FROM wb_source")
    categories = {}
    select = ["e.person_id", "coalesce(e.ts_utc, e.ts_wall, 0) AS ts",
              "(CASE WHEN e.ts_utc IS NOT NULL THEN 0 WHEN e.ts_wall IS NOT NULL THEN 1 WHEN e.ts_missing THEN 2 "
              "ELSE 3 END)::TINYINT AS ts_kind"]
    present = [role for role in CATEGORY_ROLES if role in columns]
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
