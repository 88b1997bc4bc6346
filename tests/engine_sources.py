"""The same responses as every source `count` takes: a DataFrame, Parquet, CSV, a DuckDB relation, Ibis tables.

`as_source(df, engine, folder)` writes or registers ``df``; `reference(df, engine, source)` is the DataFrame
the in-memory path must agree with (the frame itself, or what pandas reads back from the CSV file, or the
frame with categoricals as text for Ibis, which has no categorical type); `outcome` runs a count and returns
what it produced or the error it raised, so that two paths can be compared whole.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import ibis
import pandas as pd

import workbench as wb

ENGINES = ["parquet", "csv", "duckdb-relation", "ibis-duckdb", "ibis-polars"]


def as_source(df: pd.DataFrame, engine: str, folder: Path):
    """``df`` as the given engine sees it."""
    if engine == "pandas":
        return df
    if engine == "parquet":
        path = folder / "responses.parquet"
        df.to_parquet(path)
        return path
    if engine == "csv":
        path = folder / "responses.csv"
        df.to_csv(path, index=False)
        return str(path)
    if engine == "duckdb-relation":
        return duckdb.connect().from_df(df)
    if engine == "ibis-duckdb":
        return ibis.duckdb.connect().create_table("responses", df)
    if engine == "ibis-polars":
        return ibis.polars.connect().create_table("responses", df)
    raise ValueError(engine)


def reference(df: pd.DataFrame, engine: str, source) -> pd.DataFrame:
    """The DataFrame whose in-memory count the engine's count must equal."""
    if engine == "csv":
        return pd.read_csv(source)
    if engine.startswith("ibis"):
        return df.assign(**{c: df[c].astype(object).where(df[c].notna(), None).astype("str")
                            for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)})
    return df


def outcome(data, metric, **kwargs):
    """("ok", count table, quality figures, invalid answers) or ("error", class name, message)."""
    try:
        counts = wb.count(data, metric, **kwargs)
    except wb.WorkbenchError as error:
        return ("error", type(error).__name__, str(error))
    return ("ok", counts.to_frame(), counts.quality.to_frame(), counts.quality.invalid)


def assert_same_outcome(got, expected) -> None:
    assert got[0] == expected[0], (got, expected)
    if got[0] == "error":
        assert got[1:] == expected[1:]
        return
    pd.testing.assert_frame_equal(got[1], expected[1])
    pd.testing.assert_frame_equal(got[2], expected[2])
    pd.testing.assert_frame_equal(got[3], expected[3])
