"""What reading a file into memory would take, before reading it.

Counting never loads a file (DuckDB counts it where it is). Respondent-level work — weights,
raking, case-mix, text — needs the rows in memory; :func:`load_size` says how much that is, and
:func:`workbench.read_responses` refuses, with a clear error, a file that would not fit instead
of letting the machine swap.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from .._validate import available_memory
from ..errors import DataError

__all__ = ["LoadSize", "check_load", "load_size", "memory_budget"]

# Bytes a value takes in a pandas column, by Arrow type, where the type alone tells.
_FIXED = {"bool": 1, "int8": 1, "uint8": 1, "int16": 2, "uint16": 2, "int32": 4, "uint32": 4, "float": 4,
          "date32[day]": 8, "int64": 8, "uint64": 8, "double": 8}
_TEXT = (".csv", ".txt", ".tsv", ".csv.gz", ".csv.zip", ".csv.bz2", ".csv.xz")
_EXCEL = (".xlsx", ".xlsm")
_COMPRESSED_CSV = (".gz", ".zip", ".bz2", ".xz", ".zst")
_CSV_EXPANSION = 5  # a compressed CSV file or a workbook (zipped XML) is assumed to hold about five times its size


@dataclass(frozen=True)
class LoadSize:
    """The memory a file would take as a DataFrame.

    Attributes
    ----------
    path : str
        The file.
    rows : int or None
        Rows (from the Parquet footer; None for CSV and Excel, which are not scanned).
    columns : list of str
        The columns that would be read.
    bytes : int
        Estimated bytes in memory.
    exact : bool
        Whether ``bytes`` comes from the file's metadata (Parquet) rather than its size on disk.
    """

    path: str
    rows: int | None
    columns: list[str]
    bytes: int
    exact: bool

    def describe(self) -> str:
        """One line for messages: ``'big.parquet': about 4.1 GB in memory (50,000,000 rows × 3 columns)``."""
        shape = f"{self.rows:,} rows × {len(self.columns)} columns" if self.rows is not None else \
            f"{len(self.columns)} columns"
        return f"{self.path!r}: about {_gb(self.bytes)} in memory ({shape})"


def load_size(path: str | os.PathLike, *, columns: Sequence[str] | None = None) -> LoadSize:
    """Estimate the memory a CSV or Parquet file takes once read into a DataFrame, without reading it.

    Parameters
    ----------
    path : str or PathLike
        A ``.parquet``, ``.xlsx`` or ``.csv`` file (optionally compressed).
    columns : sequence of str, optional
        Only these columns (default: all).

    Returns
    -------
    LoadSize

    Raises
    ------
    DataError
        The file does not exist or has another format.

    Notes
    -----
    Parquet: rows from the footer times the width of each fixed-width column; text and other
    variable-width columns count their uncompressed size from the footer plus an 8-byte offset
    per value. CSV: the size on disk (times five when compressed), scaled by the share of the
    columns read. Estimates within a factor of about two, meant for refusing what cannot fit.
    """
    path = Path(path)
    if not path.exists():
        raise DataError(f"Data file {str(path)!r} does not exist.")
    name = path.name.lower()
    if name.endswith((".parquet", ".pq")):
        meta = pq.ParquetFile(path).metadata
        schema = meta.schema.to_arrow_schema()
        names = list(columns) if columns is not None else [n for n in schema.names if not n.startswith("__index")]
        total = 0
        for name_ in names:
            if name_ not in schema.names:
                continue
            kind = str(schema.field(name_).type)
            if kind in _FIXED:
                total += _FIXED[kind] * meta.num_rows
            elif kind.startswith(("timestamp", "date64", "duration", "decimal")):
                total += 8 * meta.num_rows
            else:
                index = schema.names.index(name_)
                raw = sum(meta.row_group(g).column(index).total_uncompressed_size for g in range(meta.num_row_groups))
                total += raw + 8 * meta.num_rows
        return LoadSize(str(path), meta.num_rows, names, int(total), True)
    if name.endswith(_TEXT) or name.endswith(_EXCEL):
        compressed = name.endswith(_COMPRESSED_CSV) or name.endswith(_EXCEL)
        size = path.stat().st_size * (_CSV_EXPANSION if compressed else 1)
        if columns is not None:
            names = list(columns)
        else:
            names = []
        return LoadSize(str(path), None, names, int(size), False)
    raise DataError(f"Data file {str(path)!r}: expected a .csv, .xlsx or .parquet file.")


def memory_budget() -> int | None:
    """Bytes a single read may take by default: the memory available to this process now.

    Parameters
    ----------
    None

    Returns
    -------
    int or None
        None where the platform does not report its memory (then nothing is refused).

    Raises
    ------
    None

    Notes
    -----
    The same figure as the respondent-level methods' own check (:func:`workbench._validate.check_memory`),
    which runs after reading with each method's bytes a row: this one refuses a file before it is read.
    """
    return available_memory()


def check_load(path, columns: Sequence[str] | None = None, max_bytes: int | None = None) -> None:
    """Refuse, before reading, a file that would take more than ``max_bytes`` in memory.

    Parameters
    ----------
    path : str or PathLike
        A CSV or Parquet file.
    columns : sequence of str, optional
        The columns to be read.
    max_bytes : int, optional
        The limit; :func:`memory_budget` by default.

    Returns
    -------
    None

    Raises
    ------
    DataError
        Naming the file, its estimated size, rows and columns, the limit, and what to do instead.

    Notes
    -----
    Respondent-level functions call it through :func:`workbench.read_responses`; a function that needs
    several times its input (a model matrix) passes a smaller ``max_bytes``.
    """
    limit = memory_budget() if max_bytes is None else max_bytes
    name = Path(path).name.lower()
    if limit is None or not name.endswith((".parquet", ".pq") + _TEXT + _EXCEL):
        return  # nothing to estimate: the reader says what is wrong with the file
    size = load_size(path, columns=columns)
    if size.bytes > limit:
        raise DataError(
            f"Reading {size.describe()}, more than the {_gb(limit)} allowed (`max_bytes`; by default the "
            "memory available now). Counts and estimates without weights need no loading: pass the path to "
            "workbench.count or workbench.estimate and DuckDB counts the file where it is. Weights, raking, "
            "case-mix and text need the rows in memory: select the rows and columns you need first "
            "(for example with DuckDB), or raise `max_bytes`."
        )


def _gb(n: int) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e8 else f"{n / 1e6:.0f} MB"
