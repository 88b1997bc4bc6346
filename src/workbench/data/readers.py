"""Reading responses: a DataFrame as it is, or a CSV / Parquet file.

The study file and the export-shaped readers (Excel, Finnish CSV, label maps) build on this.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ..errors import DataError

__all__ = ["read_responses"]


def read_responses(data: pd.DataFrame | str | os.PathLike) -> pd.DataFrame:
    """Responses as a DataFrame: a DataFrame is returned as is (never modified); a path is read.

    Parameters
    ----------
    data : DataFrame, str or PathLike
        A DataFrame, or the path of a CSV (optionally compressed) or Parquet file.

    Returns
    -------
    DataFrame

    Raises
    ------
    DataError
        The file does not exist, has another format, or ``data`` is of another type.

    Notes
    -----
    CSV through ``pandas.read_csv`` with its defaults, Parquet through pyarrow.
    """
    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, (str, os.PathLike)):
        path = Path(data)
        if not path.exists():
            raise DataError(f"Data file {str(path)!r} does not exist.")
        suffixes = "".join(path.suffixes).lower()
        if suffixes.endswith((".parquet", ".pq")):
            return pd.read_parquet(path)
        if suffixes.endswith((".csv", ".csv.gz", ".csv.zip", ".csv.bz2", ".csv.xz")):
            return pd.read_csv(path)
        raise DataError(f"Data file {str(path)!r}: expected a .csv or .parquet file.")
    raise DataError(
        f"`data` must be a pandas DataFrame, a CSV/Parquet path or a Counts table; got {type(data).__name__}."
    )
