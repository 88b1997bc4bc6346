"""Reading what survey tools export: CSV (any separator, decimal comma, UTF-8 or Windows encodings),
Excel (.xlsx) and Parquet, into a DataFrame, with a record of what was read and what was dropped.

Finnish Excel CSV exports use semicolons, a decimal comma and UTF-8 with a byte-order mark (or
cp1252 from older Excel); Webropol, Questback/Essentia, Digium and Microsoft Forms put question
texts in the header and sometimes a title row above it, a total row below the data and empty rows
at the end. Every problem with a file becomes a :class:`~workbench.errors.DataError` that names the
file and what is wrong; nothing is dropped without being counted.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .._validate import show_values
from ..errors import DataError, ParameterError
from .engines import is_engine_source
from .load import check_load

__all__ = ["ReadOptions", "FileRead", "read_table", "read_responses", "FORMATS"]

FORMATS = ("csv", "xlsx", "parquet")
_SEPARATORS = (";", ",", "\t", "|")
_SNIFF_BYTES = 256 * 1024
# Labels of a total row in Finnish, Swedish and English exports.
_TOTAL_LABELS = {"yhteensä", "yhteensa", "kaikki yhteensä", "summa", "total", "totals", "sum", "totalt", "summa yhteensä",
                 "grand total", "kaikki"}


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file; what is not given is detected (and the detection is reported).

    Parameters
    ----------
    format : str, optional
        ``"csv"``, ``"xlsx"`` or ``"parquet"``; from the file name when omitted.
    separator : str, optional
        CSV field separator; sniffed among ``; , tab |`` when omitted.
    decimal : str, optional
        CSV decimal mark, ``"."`` or ``","``; sniffed when omitted.
    encoding : str, optional
        CSV text encoding; UTF-8 with or without a byte-order mark when omitted. Name ``"cp1252"``
        (or ``"latin-1"``) for files from older Windows Excel.
    sheet : str or int, optional
        Excel sheet name or 0-based position; the first sheet when omitted.
    header_row : int
        1-based row of the column names (2 when the export has a title row above them).
    """

    format: str | None = None
    separator: str | None = None
    decimal: str | None = None
    encoding: str | None = None
    sheet: str | int | None = None
    header_row: int = 1

    def __post_init__(self) -> None:
        if self.format is not None and self.format not in FORMATS:
            raise ParameterError(f"Unknown file format {self.format!r}; valid: {', '.join(map(repr, FORMATS))}.")
        if self.separator is not None and (not isinstance(self.separator, str) or len(self.separator) != 1):
            raise ParameterError(f"`separator` must be one character; got {self.separator!r}.")
        if self.decimal not in (None, ".", ","):
            raise ParameterError(f"`decimal` must be '.' or ','; got {self.decimal!r}.")
        if self.encoding is not None:
            try:
                codecs.lookup(self.encoding)
            except (LookupError, TypeError):
                raise ParameterError(f"Unknown encoding {self.encoding!r}; e.g. 'utf-8', 'cp1252', 'latin-1'.") from None
        if isinstance(self.header_row, bool) or not isinstance(self.header_row, int) or self.header_row < 1:
            raise ParameterError(f"`header_row` must be a whole number from 1; got {self.header_row!r}.")


@dataclass(frozen=True)
class FileRead:
    """A file as read: the table, the options in effect and the rows set aside.

    Attributes
    ----------
    frame : DataFrame
        The rows kept, columns named by the header (white space folded).
    path : str
    format : str
    options : dict
        The read options in effect (given or detected), e.g. ``{"separator": ";", "decimal": ","}``.
    rows_read : int
        Data rows in the file (below the header).
    dropped : dict
        Reason -> number of rows set aside (``"empty row"``, ``"total row"``).
    """

    frame: pd.DataFrame = field(repr=False)
    path: str
    format: str
    options: dict
    rows_read: int
    dropped: dict


def _format_of(path: Path, options: ReadOptions) -> str:
    if options.format:
        return options.format
    name = path.name.lower()
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    if name.endswith((".csv", ".txt", ".tsv", ".csv.gz", ".csv.zip", ".csv.bz2", ".csv.xz")):
        return "csv"
    if name.endswith(".xls"):
        raise DataError(f"File {str(path)!r} is an old .xls workbook; save it as .xlsx (or CSV) and read that.")
    raise DataError(f"File {str(path)!r}: expected a .csv, .xlsx or .parquet file (or name `format` in the study).")


def _check_file(path: Path) -> None:
    if not path.exists():
        raise DataError(f"Data file {str(path)!r} does not exist.")
    if path.is_dir():
        raise DataError(f"Data file {str(path)!r} is a folder, not a file.")
    if not os.access(path, os.R_OK):
        raise DataError(f"Data file {str(path)!r} cannot be read (permission denied).")
    if path.stat().st_size == 0:
        raise DataError(f"Data file {str(path)!r} is empty (0 bytes).")


def _detect_encoding(path: Path, raw: bytes, given: str | None) -> str:
    """The encoding to read with: as given, UTF-16 by its byte-order mark, else UTF-8 (BOM optional)."""
    if given:
        return given
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8-sig"


def _encoding_error(path: Path, raw: bytes, error: UnicodeDecodeError) -> DataError:
    """Say which encoding the bytes look like, so the user can name it in the study."""
    try:
        text = raw.decode("cp1252")
        looks = "cp1252 (Windows Excel, Latin-1)" if re.search("[äöåÄÖÅ]", text) else "a single-byte encoding such as cp1252"
    except UnicodeDecodeError:
        looks = "neither UTF-8 nor cp1252"
    return DataError(
        f"Data file {str(path)!r} is not UTF-8: byte 0x{error.object[error.start]:02x} at position {error.start} "
        f"cannot be decoded. The bytes look like {looks}; set encoding = \"cp1252\" in the study's read options "
        "(or save the file as UTF-8)."
    )


def _sniff(path: Path, text: str, options: ReadOptions) -> tuple[str, str]:
    """Separator and decimal mark of a CSV sample, as given or detected."""
    lines = [ln for ln in text.splitlines() if ln.strip()][: 50]
    if not lines:
        raise DataError(f"Data file {str(path)!r} has no text lines.")
    separator = options.separator
    if separator is None:
        sample = "\n".join(lines)
        try:
            separator = csv.Sniffer().sniff(sample, delimiters="".join(_SEPARATORS)).delimiter
        except csv.Error:
            counts = {s: lines[0].count(s) for s in _SEPARATORS}
            best = max(counts, key=counts.get)
            # No separator anywhere: a one-column file (any separator reads it the same way).
            separator = best if counts[best] else ","
    decimal = options.decimal
    if decimal is None:
        decimal = "."
        if separator != ",":
            fields = [f.strip().strip('"') for ln in lines[1:] for f in ln.split(separator)]
            comma = sum(bool(re.fullmatch(r"-?\d+,\d+", f)) for f in fields)
            point = sum(bool(re.fullmatch(r"-?\d+\.\d+", f)) for f in fields)
            decimal = "," if comma > point else "."
    return separator, decimal


def _read_csv(path: Path, options: ReadOptions) -> tuple[pd.DataFrame, dict]:
    with open(path, "rb") as handle:
        raw = handle.read(_SNIFF_BYTES)
    encoding = _detect_encoding(path, raw, options.encoding)
    try:
        sample = raw.decode(encoding, errors="strict") if len(raw) < _SNIFF_BYTES else \
            codecs.getincrementaldecoder(encoding)().decode(raw, final=False)
    except UnicodeDecodeError as error:
        raise _encoding_error(path, raw, error) from None
    skip = options.header_row - 1
    body = "\n".join(sample.splitlines()[skip:])
    separator, decimal = _sniff(path, body, options)
    try:
        frame = pd.read_csv(path, sep=separator, decimal=decimal, encoding=encoding, skiprows=skip,
                            keep_default_na=False, na_values=[""], skip_blank_lines=False, engine="c")
    except UnicodeDecodeError as error:
        with open(path, "rb") as handle:
            raise _encoding_error(path, handle.read(), error) from None
    except pd.errors.EmptyDataError:
        raise DataError(f"Data file {str(path)!r} has no header row (nothing to read).") from None
    except pd.errors.ParserError as error:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
        if found:
            expected, line, saw = found.groups()
            raise DataError(f"Data file {str(path)!r} is ragged: line {int(line) + skip} has {saw} fields where the "
                            f"header has {expected} (separator {separator!r}). Check the separator or quoting."
                            ) from None
        raise DataError(f"Data file {str(path)!r} is not a readable CSV file ({str(error).splitlines()[0]}).") from None
    return frame, {"separator": separator, "decimal": decimal, "encoding": encoding, "header_row": options.header_row}


def _read_xlsx(path: Path, options: ReadOptions) -> tuple[pd.DataFrame, dict]:
    sheet = 0 if options.sheet is None else options.sheet
    handle = open(path, "rb")  # opened in Python, so that audit hooks see which files a report reads
    try:
        workbook = pd.ExcelFile(handle, engine="calamine")
    except Exception as error:  # calamine raises its own error types for damaged workbooks
        handle.close()
        raise DataError(f"Data file {str(path)!r} is not a readable Excel workbook ({type(error).__name__}).") from None
    with handle, workbook:
        names = workbook.sheet_names
        if isinstance(sheet, str) and sheet not in names:
            raise DataError(f"Data file {str(path)!r} has no sheet {sheet!r}; sheets: {show_values(names)}.")
        if isinstance(sheet, int) and not 0 <= sheet < len(names):
            raise DataError(f"Data file {str(path)!r} has {len(names)} sheets; sheet {sheet} does not exist.")
        frame = pd.read_excel(workbook, sheet_name=sheet, header=options.header_row - 1)
    return frame, {"sheet": names[sheet] if isinstance(sheet, int) else sheet, "header_row": options.header_row}


def _read_parquet(path: Path, columns: list[str] | None) -> tuple[pd.DataFrame, dict]:
    try:
        with open(path, "rb") as handle:  # opened in Python, so that audit hooks see which files a report reads
            return pd.read_parquet(handle, columns=columns), {}
    except (OSError, ValueError) as error:  # pyarrow's ArrowInvalid is a ValueError
        first = str(error).splitlines()[0][:160]
        raise DataError(f"Data file {str(path)!r} is not a readable Parquet file (truncated or damaged: {first}).") from None


def _fold(name) -> str:
    return re.sub(r"\s+", " ", str(name).replace("\ufeff", "")).strip()


def _set_aside(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Drop empty rows and total rows, counting each reason."""
    if frame.empty:
        return frame, {}
    text = frame.astype(object).where(frame.notna(), "")
    blank = text.apply(lambda col: col.astype(str).str.strip() == "").all(axis=1).to_numpy()
    first_text = text.apply(lambda row: next((str(v).strip().lower() for v in row if str(v).strip()), ""), axis=1)
    total = first_text.isin(_TOTAL_LABELS).to_numpy() & ~blank
    dropped = {}
    if blank.any():
        dropped["empty row"] = int(blank.sum())
    if total.any():
        dropped["total row"] = int(total.sum())
    return frame.loc[~(blank | total)].reset_index(drop=True), dropped


def read_table(path: str | os.PathLike, options: ReadOptions | None = None, *,
               columns: list[str] | None = None) -> FileRead:
    """Read a CSV, Excel or Parquet file as its tool exported it.

    Parameters
    ----------
    path : str or PathLike
    options : ReadOptions, optional
        What to assume instead of detecting.
    columns : list of str, optional
        For Parquet: read only these columns.

    Returns
    -------
    FileRead
        The table (header names with white space folded), the options in effect, rows read and
        rows set aside by reason.

    Raises
    ------
    DataError
        The file is missing, a folder, empty, unreadable (truncated Parquet, damaged workbook), of
        another format, ragged (a line with more fields than the header), in another encoding than
        UTF-8 without the study saying so (the message says which encoding the bytes look like), or
        has duplicate column names.
    ParameterError
        Invalid read options.

    Notes
    -----
    CSV: separator sniffed with :class:`csv.Sniffer` among ``; , tab |``, decimal comma detected
    from the numbers in the first lines; pandas infers the column types with that decimal mark
    (only empty cells are missing: "NA" stays text). Excel through ``python-calamine``. Rows that are entirely empty and rows whose
    first non-empty cell is a total label (Yhteensä, Summa, Totalt, Total, …) are set aside and
    counted. Tested on one fixture per export shape in ``tests/data/``.
    """
    options = options or ReadOptions()
    path = Path(path)
    _check_file(path)
    kind = _format_of(path, options)
    if kind == "csv":
        frame, effective = _read_csv(path, options)
    elif kind == "xlsx":
        frame, effective = _read_xlsx(path, options)
    else:
        frame, effective = _read_parquet(path, columns)
    frame.columns = [_fold(c) for c in frame.columns]
    duplicated = pd.Index(frame.columns)[pd.Index(frame.columns).duplicated()].unique().tolist()
    if duplicated:
        raise DataError(f"Data file {str(path)!r} has duplicate column names {show_values(duplicated)}.")
    unnamed = [c for c in frame.columns if c.startswith("Unnamed:") and frame[c].isna().all()]
    frame = frame.drop(columns=unnamed)
    rows_read = len(frame)
    if rows_read == 0:
        raise DataError(f"Data file {str(path)!r} has a header but no rows.")
    frame, dropped = _set_aside(frame) if kind != "parquet" else (frame, {})
    return FileRead(frame, str(path), kind, effective, rows_read, dropped)


def read_responses(data: pd.DataFrame | str | os.PathLike, options: ReadOptions | None = None, *,
                   columns: Sequence[str] | None = None, max_bytes: int | None = None) -> pd.DataFrame:
    """Responses as a DataFrame: a DataFrame is returned as is (never modified); a path is read.

    Parameters
    ----------
    data : DataFrame, str or PathLike
        A DataFrame, or the path of a CSV (optionally compressed), Excel (.xlsx) or Parquet file.
    options : ReadOptions, optional
        Read options for a path.
    columns : sequence of str, optional
        Keep only these columns of a file (Parquet reads only them).
    max_bytes : int, optional
        Refuse a file that would take more memory than this, before reading it; by default the
        memory available now (:func:`workbench.data.load.memory_budget`).

    Returns
    -------
    DataFrame

    Raises
    ------
    DataError
        As :func:`read_table`; a file that would not fit in ``max_bytes`` (the message gives its
        estimated size, rows and columns); or ``data`` of another type.

    Notes
    -----
    A path goes through :func:`read_table`: empty and total rows are set aside (a study file's
    data-quality summary reports how many). Only respondent-level work reads Parquet files: counts
    and estimates without weights are computed by DuckDB on the file (:func:`workbench.count`).
    """
    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, (str, os.PathLike)):
        if Path(data).is_file():
            check_load(data, columns, max_bytes)
        wanted = None if columns is None else list(dict.fromkeys(columns))
        frame = read_table(data, options, columns=wanted).frame
        return frame if wanted is None else frame[[c for c in wanted if c in frame.columns]]
    rows_elsewhere = (" Counts come from it directly; respondent-level work (weights, raking, case-mix, text) needs "
                      "the rows in memory: select the rows and columns it needs and pass a DataFrame "
                      "(relation.df(), table.to_pandas())." if is_engine_source(data) else "")
    raise DataError(
        f"`data` must be a pandas DataFrame, a CSV/Parquet path or a Counts table; got {type(data).__name__}."
        + rows_elsewhere
    )
