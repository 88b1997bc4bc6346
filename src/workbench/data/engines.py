"""Counting where the data lives: DuckDB over files and relations, any Ibis backend for tables.

One Ibis expression — ``GROUP BY keys, answer`` with the row count (and the sum of weights) — is
the only thing that runs in an engine. DuckDB (embedded, no server) runs it over Parquet files,
globs and folders of them, and DuckDB relations (a CSV file of any size: ``duckdb.read_csv(...)``
with the read options it needs); an Ibis table runs it on its own backend (DuckDB,
Polars, Spark, Trino, PostgreSQL, Snowflake, BigQuery, ...). What comes back is small — one row
per group and distinct answer — and is counted by the same in-memory pass as a DataFrame
(:func:`workbench.data.tabulate.tabulate`), so keys, their order, the encoding of answers and
every error are the same whichever engine ran the GROUP BY.

The workbench ships no engine: DuckDB and Ibis do the work; this module only builds the
expression and moves the small result. A CSV or Excel path is not counted here: survey exports
need :func:`workbench.data.readers.read_table` (separators, decimal commas, encodings, total rows),
and are counted in memory.
"""

from __future__ import annotations

import functools
import glob
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from .._validate import bad_weights_error, check_available, zero_weights_error
from ..errors import DataError, ParameterError

__all__ = ["Aggregate", "aggregate", "count_expression", "is_engine_source", "open_table"]

ROWS, WEIGHT, BAD_WEIGHTS = "__wb_rows", "__wb_weight", "__wb_bad_weights"
_VIEW = "__wb_responses"
_PARQUET = (".parquet", ".pq")


@dataclass(frozen=True)
class Aggregate:
    """What an engine returns: one row per group key and distinct answer.

    Attributes
    ----------
    frame : DataFrame
        The key columns and the answer column (one row per combination present).
    rows : ndarray of int64
        Responses in each row.
    weights : ndarray of float, optional
        Sum of the respondent weights in each row (when weights were asked for).
    source : str
        The file(s), relation or table that was read.
    engine : str
        ``"duckdb"`` or ``"ibis-<backend>"``.
    """

    frame: pd.DataFrame
    rows: np.ndarray
    weights: np.ndarray | None
    source: str
    engine: str


def is_engine_source(data) -> bool:
    """Whether ``data`` is counted by an engine: Parquet files, a DuckDB relation or an Ibis table.

    Parameters
    ----------
    data : object

    Returns
    -------
    bool
        True for a Parquet path, a glob or folder (``"exports/*.parquet"``), a list of paths, a
        connection URL (to say where it belongs), a DuckDB relation or an Ibis table.

    Raises
    ------
    None

    Notes
    -----
    DataFrames are counted in memory, and so are CSV and Excel paths, read by
    :func:`workbench.read_responses` as the survey tool exported them.
    """
    if isinstance(data, (str, os.PathLike)):
        text = str(data)
        return (text.lower().rstrip("/").endswith(_PARQUET) or glob.has_magic(text) or "://" in text)
    if isinstance(data, (list, tuple)) and data and all(isinstance(d, (str, os.PathLike)) for d in data):
        return True
    return _is_relation(data) or _is_ibis_table(data)


def _is_relation(data) -> bool:
    return type(data).__module__.startswith(("duckdb", "_duckdb")) and type(data).__name__ == "DuckDBPyRelation"


def _is_ibis_table(data) -> bool:
    return type(data).__module__.startswith("ibis.") and hasattr(data, "group_by") and hasattr(data, "schema")


def count_expression(table, keys: Sequence[str], column: str, weights: str | None = None):
    """The count expression: ``GROUP BY keys, answer`` with the rows (and weights) of each combination.

    Parameters
    ----------
    table : ibis.Table
        Responses, on any Ibis backend.
    keys : sequence of str
        Group keys.
    column : str
        The answer column.
    weights : str, optional
        A weight column: adds the sum of the weights (read as numbers) and the number of rows whose
        weight is missing, negative, non-numeric or infinite.

    Returns
    -------
    ibis.Table
        ``keys``, ``column``, ``__wb_rows`` (and ``__wb_weight``, ``__wb_bad_weights``).

    Raises
    ------
    None

    Notes
    -----
    Plain SQL aggregates only (COUNT, SUM, TRY_CAST), so every Ibis backend can run it; the answer
    is grouped as stored and encoded afterwards, on the few distinct values, by
    :meth:`workbench.Scale.lookup`.
    """
    import ibis

    aggregates = {ROWS: ibis._.count()}
    if weights is not None:
        aggregates[WEIGHT] = table[weights].try_cast("float64").sum()
        aggregates[BAD_WEIGHTS] = _bad_weights(table, weights).cast("int64").sum()
    return table.group_by([*keys, column]).aggregate(**aggregates)


def _bad_weights(table, weights: str):
    """Rows whose weight is missing, not a number, infinite or negative (the rule of ``check_weights``)."""
    w = table[weights].try_cast("float64")
    return w.isnull() | w.isnan() | w.isinf() | (w < 0)


def _bad_weight_sample(table, weights: str):
    """The first few offending weights, as stored (for the error message)."""
    return table.filter(_bad_weights(table, weights)).select(weights).limit(8)


def aggregate(data, *, keys: Sequence[str], column: str, weights: str | None = None,
              roles: dict[str, str] | None = None) -> Aggregate:
    """Run :func:`count_expression` where ``data`` lives and bring back the small result.

    Parameters
    ----------
    data : path, glob, folder, list of paths, DuckDB relation or Ibis table
        Parquet files (read by DuckDB, only the needed columns), a relation, or a table.
    keys : sequence of str
        Group keys.
    column : str
        The answer column.
    weights : str, optional
        A weight column.
    roles : dict, optional
        Role of each column in error messages (``{"unit": "group column"}``).

    Returns
    -------
    Aggregate

    Raises
    ------
    DataError
        A file that does not exist or cannot be read, a pattern or folder that matches none, a file
        that is not Parquet, missing columns, bad weights.

    Notes
    -----
    Only the GROUP BY runs in the engine. From a single Parquet file written by pandas, key and
    answer columns get back their pandas types (nullable integers, categoricals with their
    categories), so the count table equals the one from ``pd.read_parquet``.
    """
    needed = [*keys, column] + ([weights] if weights else [])
    roles = roles or {}
    if _is_ibis_table(data):
        return _run_ibis(data, keys, column, weights, needed, roles)
    if _is_relation(data):
        relation, source, files = data, "DuckDB relation", []
    else:
        files = _files(data)
        source = str(data) if isinstance(data, (str, os.PathLike)) else f"{len(files)} files"
        relation = _read_parquet(files, source)
    _check(relation.columns, needed, roles, lambda: relation.aggregate("count(*)").fetchall()[0][0])
    import ibis
    from ibis.backends.sql.datatypes import DuckDBType

    types = dict(zip(relation.columns, relation.types))
    unbound = ibis.table({c: DuckDBType.from_string(str(types[c])) for c in dict.fromkeys(needed)}, name=_VIEW)
    sql = ibis.to_sql(count_expression(unbound, keys, column, weights), dialect="duckdb")
    frame = _run(lambda: relation.query(_VIEW, str(sql)).to_arrow_table().to_pandas(), source)
    if len(files) == 1 and files[0].lower().endswith(_PARQUET):
        frame = _pandas_types(frame, files[0], list(dict.fromkeys([*keys, column])))
    if weights is not None:
        sample = ibis.to_sql(_bad_weight_sample(unbound, weights), dialect="duckdb")
        _check_weights(frame, weights, lambda: relation.query(_VIEW, str(sample)).to_arrow_table().to_pandas()[weights])
    return _result(frame, source, "duckdb", weights)


@functools.cache
def _connection():
    """One embedded in-memory DuckDB for reading files, opened on first use (opening costs ~20 ms).

    Each count reads through its own cursor (a connection of its own to the same empty database),
    so concurrent counts do not share state; nothing is stored in the database.
    """
    import duckdb

    return duckdb.connect()


def _run_ibis(table, keys, column, weights, needed, roles) -> Aggregate:
    _check(table.columns, needed, roles, lambda: int(table.count().execute()))
    frame = count_expression(table, keys, column, weights).to_pyarrow().to_pandas()
    if weights is not None:
        _check_weights(frame, weights, lambda: _bad_weight_sample(table, weights).to_pandas()[weights])
    return _result(frame, f"Ibis table on {table.get_backend().name}", f"ibis-{table.get_backend().name}", weights)


def _result(frame: pd.DataFrame, source: str, engine: str, weights: str | None) -> Aggregate:
    rows = frame.pop(ROWS).to_numpy(dtype=np.int64)
    w = frame.pop(WEIGHT).to_numpy(dtype=float) if weights is not None else None
    if weights is not None:
        frame.pop(BAD_WEIGHTS)
    return Aggregate(frame.reset_index(drop=True), rows, w, source, engine)


def _check(available, needed, roles, rows) -> None:
    for role in dict.fromkeys(roles.get(c, "column") for c in needed):
        check_available(available, [c for c in needed if roles.get(c, "column") == role], rows=rows, role=role)


def _check_weights(frame: pd.DataFrame, weights: str, sample) -> None:
    """The rules of :func:`workbench._validate.check_weights`, from the aggregate (a sample only on error)."""
    total = int(frame[ROWS].sum())
    bad = int(frame[BAD_WEIGHTS].sum())
    label = f"Weight column {weights!r}"
    if bad:
        raise bad_weights_error(label, pd.to_numeric(sample(), errors="coerce").to_numpy(dtype=float), bad, total)
    if total and not (frame[WEIGHT] > 0).any():
        raise zero_weights_error(label, total)


def _files(data) -> list[str]:
    """The Parquet files a path, glob, folder or list names."""
    items = [data] if isinstance(data, (str, os.PathLike)) else list(data)
    files: list[str] = []
    for item in items:
        text = str(item)
        if "://" in text:
            raise DataError(f"{text!r} is a connection URL; pass it to workbench.count_table with a table name.")
        if glob.has_magic(text):
            found = sorted(glob.glob(text, recursive=True))
            if not found:
                raise DataError(f"Data file pattern {text!r} matches no file.")
            files += found
        elif Path(text).is_dir():  # a Parquet dataset as Spark and Databricks write it
            found = sorted(str(f) for f in Path(text).rglob("*.parquet"))
            if not found:
                raise DataError(f"Data folder {text!r} holds no .parquet file.")
            files += found
        elif not Path(text).exists():
            raise DataError(f"Data file {text!r} does not exist.")
        else:
            files.append(text)
    other = [f for f in files if not f.lower().endswith(_PARQUET)]
    if other:
        raise DataError(f"Data file {other[0]!r}: DuckDB counts Parquet files; read a CSV or Excel export with "
                        "workbench.read_responses, or a large CSV file as a DuckDB relation "
                        "(duckdb.read_csv(path, ...)).")
    return files


def _read_parquet(files: list[str], source: str):
    return _run(lambda: _connection().cursor().read_parquet(files), source)


def _run(step, source: str):
    """Run a DuckDB step; a file DuckDB cannot read becomes a DataError naming it."""
    import duckdb

    try:
        return step()
    except (duckdb.IOException, duckdb.InvalidInputException) as error:
        first = str(error).splitlines()[0][:200]
        raise DataError(f"Data file {source!r} is not a readable Parquet file ({first}).") from None


def _pandas_types(frame: pd.DataFrame, path: str, columns: list[str]) -> pd.DataFrame:
    """Restore the pandas types a Parquet file written by pandas records (nullable integers, categoricals)."""
    meta = pq.read_schema(path).pandas_metadata or {}
    stored = {c.get("name"): c for c in meta.get("columns", [])}
    for name in columns:
        info = stored.get(name)
        if info is None:
            continue
        if info.get("pandas_type") == "categorical":
            dtype = _categories(path, name, frame[name])
            if dtype is not None:
                frame[name] = pd.Categorical(frame[name], dtype=dtype)
            continue
        try:
            dtype = pd.api.types.pandas_dtype(info.get("numpy_type"))
        except TypeError:
            continue
        if isinstance(dtype, pd.api.extensions.ExtensionDtype) and frame[name].dtype != dtype:
            frame[name] = frame[name].astype(dtype)
    return frame


def open_table(source, table: str | None = None, *, database=None):
    """An Ibis table from an Ibis table, an Ibis connection, or a connection URL and a table name.

    Parameters
    ----------
    source : ibis.Table, Ibis backend or str
        A table; a connection (``ibis.duckdb.connect(...)``, ``ibis.pyspark.connect(session)``,
        ``ibis.postgres.connect(...)``); or a URL that ``ibis.connect`` understands
        (``"duckdb:///feedback.duckdb"``, ``"postgres://user@host/db"``, ``"snowflake://..."``).
    table : str, optional
        The table's name (required with a connection or a URL).
    database : str or tuple, optional
        Its database or (catalog, schema), as the backend names them.

    Returns
    -------
    ibis.Table

    Raises
    ------
    ParameterError
        A table name missing or given twice, or a source of another type.

    Notes
    -----
    Opening a connection reads no rows; the backend's driver must be installed
    (``pip install 'ibis-framework[postgres]'``, ...).
    """
    if _is_ibis_table(source):
        if table is not None:
            raise ParameterError("`table` names a table of a connection; an Ibis table was given already.")
        return source
    if table is None:
        raise ParameterError(f"`table` is required with a connection or URL; got source {type(source).__name__}.")
    if isinstance(source, str):
        import ibis

        source = ibis.connect(source)
    if not hasattr(source, "table"):
        raise ParameterError(f"`source` must be an Ibis table, an Ibis connection or a connection URL; "
                             f"got {type(source).__name__}.")
    return source.table(table, database=database) if database is not None else source.table(table)


def _categories(path: str, name: str, values: pd.Series):
    """The categorical type pandas reads for a column: the Parquet dictionary, in its order.

    pyarrow writes a categorical's whole dictionary (unused categories too) with every row group, so
    the first row group tells; only if the values counted are not all among its categories is the
    whole column read, as ``pd.read_parquet`` would.
    """
    file = pq.ParquetFile(path)
    if file.metadata.num_row_groups == 0:
        return None
    first = file.read_row_group(0, columns=[name]).to_pandas()[name].dtype
    if isinstance(first, pd.CategoricalDtype) and values.dropna().isin(first.categories).all():
        return first
    dtype = pd.read_parquet(path, columns=[name])[name].dtype
    return dtype if isinstance(dtype, pd.CategoricalDtype) else None
