"""The same responses as every source `count` takes: a DataFrame, Parquet, DuckDB relations, Ibis tables.

`as_source(df, engine, folder)` writes or registers ``df``; `reference(df, engine, folder)` is the DataFrame
the in-memory path must agree with (the frame itself, or what pandas reads back from the CSV file a DuckDB
relation reads, or the frame with categoricals as text for Ibis, which has no categorical type); `outcome` runs a count and returns
what it produced or the error it raised, so that two paths can be compared whole.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import ibis
import numpy as np
import pandas as pd
from hypothesis import strategies as st

import workbench as wb

ENGINES = ["parquet", "duckdb-csv", "duckdb-relation", "ibis-duckdb", "ibis-polars"]


def as_source(df: pd.DataFrame, engine: str, folder: Path):
    """``df`` as the given engine sees it."""
    if engine == "pandas":
        return df
    if engine == "parquet":
        path = folder / "responses.parquet"
        df.to_parquet(path)
        return path
    if engine == "duckdb-csv":  # a CSV file too large for memory: a DuckDB relation over it
        path = folder / "responses.csv"
        df.to_csv(path, index=False)
        return duckdb.connect().read_csv(str(path))
    if engine == "duckdb-relation":
        return duckdb.connect().from_df(df)
    if engine == "ibis-duckdb":
        return ibis.duckdb.connect().create_table("responses", df)
    if engine == "ibis-polars":
        return ibis.polars.connect().create_table("responses", df)
    raise ValueError(engine)


def reference(df: pd.DataFrame, engine: str, folder: Path | None = None) -> pd.DataFrame:
    """The DataFrame whose in-memory count the engine's count must equal."""
    if engine == "duckdb-csv":  # DuckDB, like the export reader, takes only empty cells as missing
        return pd.read_csv(folder / "responses.csv", keep_default_na=False, na_values=[""])
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


ANSWERS = {
    # metric: answers drawn for it, valid and not (out of range, unknown text, empty, don't know)
    "nps": st.one_of(st.integers(-1, 12), st.sampled_from([float("nan"), 9.0, 7.0])),
    "agreement": st.sampled_from([1, 2, 5, 6, "eos", " EOS ", "", None, "7", "maybe", "4"]),
    "fcr": st.sampled_from(["kyllä", "ei", "yes", "NO", 1, 0, None, "", "perhaps"]),
}


@st.composite
def responses(draw):
    """Responses with integer, text or categorical keys (sometimes missing) and answers of every kind."""
    metric = draw(st.sampled_from(sorted(ANSWERS)))
    n = draw(st.integers(1, 40))
    answers = draw(st.lists(ANSWERS[metric], min_size=n, max_size=n))
    if metric == "nps":
        kind = draw(st.sampled_from(["int", "float"]))
        answers = ([a for a in answers if not isinstance(a, float)] or [5]) if kind == "int" else answers
        n = len(answers)
        column = pd.Series(answers, dtype=np.int64 if kind == "int" else float)
    else:
        text = [None if a is None else str(a) for a in answers]
        column = pd.Series(text, dtype="str")
    missing_keys = draw(st.booleans()) and draw(st.booleans())
    names = st.sampled_from(["Kainuu", "Lappi", "Pirkanmaa", "Åland"] + ([None] if missing_keys else []))
    area = pd.Series(draw(st.lists(names, min_size=n, max_size=n)), dtype="str")
    if draw(st.booleans()):
        categories = draw(st.permutations(["Kainuu", "Lappi", "Pirkanmaa", "Åland", "Uusimaa"]))
        area = pd.Series(pd.Categorical(area, categories=categories))
    year = pd.Series(draw(st.lists(st.integers(2024, 2026), min_size=n, max_size=n)), dtype=np.int64)
    by = draw(st.sampled_from([None, "area", "year", ["area", "year"], ["year", "area"]]))
    return pd.DataFrame({"area": area, "year": year, metric: column}), metric, by
