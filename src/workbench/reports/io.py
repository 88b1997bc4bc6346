"""What report notebooks call: their inputs (from the study, never the sample by accident), and
their saved results."""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..data.study import Study, read_study, study_from_data
from ..errors import DataError, ParameterError, StudyError
from .paths import SAMPLE_DIR

__all__ = ["Inputs", "load_inputs", "resolve_study", "choose", "save_results", "jsonable", "files_read",
           "SAMPLE_STUDY"]

SAMPLE_STUDY = SAMPLE_DIR / "study.toml"
_DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".parquet", ".pq", ".toml", ".gz", ".zip")
# The page's words, not an input: a checkout or editable install is outside the Python installation too.
_CATALOGUES = str(Path(__file__).resolve().parent / "catalogue") + os.sep
_READS: list[str] = []  # files opened by this process since the first load_inputs (an audit hook is global)
_WATCHING: list[bool] = []  # non-empty once the hook is installed (hooks cannot be removed)


def _watch(event: str, args: tuple) -> None:
    """Audit hook: remember every data-like file opened for reading outside the Python installation."""
    if event != "open" or not args or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    mode = args[1] if len(args) > 1 and isinstance(args[1], str) else "r"
    if any(flag in mode for flag in "wax+"):
        return
    name = os.fsdecode(args[0])
    if name.lower().endswith(_DATA_SUFFIXES) and not name.startswith((sys.prefix, sys.base_prefix)):
        resolved = str(Path(name).resolve())
        if resolved not in _READS and not resolved.startswith(_CATALOGUES):
            _READS.append(resolved)


def files_read() -> list[str]:
    """The data files this process has opened since inputs were first loaded (absolute paths, in order).

    Returns
    -------
    list of str

    Raises
    ------
    RuntimeError
        Never.

    Notes
    -----
    Recorded by a Python audit hook on ``open`` (PEP 578); every reader of the workbench opens files
    through Python, so Parquet and Excel reads are seen too. The runner hashes these into the
    provenance and the tests assert that no sample file is among them on a user's study.
    """
    return list(_READS)


def resolve_study(study_path: str | os.PathLike = "", data_path: str | os.PathLike = "") -> Study:
    """The study a report runs on: the named study, a study for a tidy data file, or the bundled sample.

    Parameters
    ----------
    study_path : str or PathLike
        A study file; empty when none was given.
    data_path : str or PathLike
        A tidy responses file (columns named as the workbench's roles); empty when none was given.

    Returns
    -------
    Study
        ``is_sample`` is True only when neither was given.

    Raises
    ------
    StudyError
        Both given, or an invalid study.

    Notes
    -----
    The sample study (``data/samples/study.toml``) is used only when no data is given at all.
    """
    if study_path and data_path:
        raise StudyError("Give either a study file or a data file, not both (the study names its data).")
    if study_path:
        return read_study(study_path)
    if data_path:
        return study_from_data(data_path)
    return read_study(SAMPLE_STUDY, is_sample=True)


@dataclass
class Inputs:
    """A report's inputs: the study and what it names, read once on demand.

    Attributes
    ----------
    study : Study
    """

    study: Study
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def is_sample(self) -> bool:
        """Whether the report runs on the bundled synthetic sample."""
        return self.study.is_sample

    @property
    def statements(self) -> list[str]:
        """The statement ids the study maps."""
        return list(self.study.statements)

    @property
    def statement_texts(self) -> dict:
        """Statement id -> wording (the id where the study gives none)."""
        return {s: self.study.statement_texts.get(s, s) for s in self.study.statements}

    def metrics(self, wanted: Sequence[str] | None = None) -> list[str]:
        """The metrics the study maps, in the order wanted (all of them when None)."""
        mapped = list(self.study.metrics)
        return mapped if wanted is None else [m for m in wanted if m in mapped]

    def roles(self, wanted: Sequence[str]) -> list[str]:
        """The wanted roles (columns) that the responses have, in order."""
        columns = set(self.responses().columns)
        return [r for r in wanted if r in columns]

    def responses(self) -> pd.DataFrame:
        """The mapped responses (see :meth:`workbench.data.study.Study.responses`)."""
        if "responses" not in self._cache:
            self._cache["responses"] = self.study.responses()
        return self._cache["responses"]

    def has(self, name: str) -> bool:
        """Whether the study names this input."""
        return self.study.has(name)

    def table(self, name: str) -> pd.DataFrame | None:
        """A tabular input (``volumes``, ``margins``) with columns renamed to roles; None when not named."""
        if not self.study.has(name):
            return None
        if name not in self._cache:
            self._cache[name] = self.study.read(name).frame
        return self._cache[name]

    def columns(self, name: str) -> dict:
        """Role -> source column of an input (e.g. ``[events] columns``); empty when it maps none or is not named."""
        return dict(self.study.inputs[name].columns) if self.study.has(name) else {}

    def path(self, name: str) -> Path | None:
        """The path of a file input (``framework``, ``taxonomy``, ``rules``, ``events``); None when not named.

        The file counts as read (:func:`files_read`): some readers open files outside Python (DuckDB reads
        the events), where the audit hook cannot see them, and the provenance must still list and hash them.
        """
        if not self.study.has(name):
            return None
        path = self.study.inputs[name].path
        if _WATCHING and str(path.resolve()) not in _READS:
            _READS.append(str(path.resolve()))
        return path

    def notice(self, name: str, what: str) -> str:
        """A Markdown notice for a section left out because the study does not name an input."""
        return (f"**Not shown: {what}.** It needs `{name}`, which this study does not name. Add a `[{name}]` table "
                f"with its `path` to the study file to include it (nothing is substituted).")


def load_inputs(study_path: str = "", data_path: str = "") -> Inputs:
    """The inputs of a report run: the named study, a tidy data file, or (neither given) the bundled sample.

    Parameters
    ----------
    study_path : str
        Injected by the runner when the user gave ``--study``.
    data_path : str
        Injected by the runner when the user gave ``--data``.

    Returns
    -------
    Inputs

    Raises
    ------
    StudyError, DataError
        An invalid study or missing files.

    Notes
    -----
    Starts recording which files the process opens (:func:`files_read`), so that the provenance
    lists every file a report read and tests can prove that no sample file was opened on user data.
    """
    if not _WATCHING:
        sys.addaudithook(_watch)
        _WATCHING.append(True)
    study = resolve_study(study_path, data_path)
    study.check_files()
    return Inputs(study)


def choose(value: str, frame: pd.DataFrame, column: str) -> str:
    """A value of ``column`` to focus on: ``value`` when given (checked to exist), else the most frequent.

    Parameters
    ----------
    value : str
        The user's choice; empty for automatic.
    frame : DataFrame
    column : str

    Returns
    -------
    str

    Raises
    ------
    DataError
        A value the column does not hold (the message lists some that it does), or a missing column.

    Notes
    -----
    Lets a report's focus parameters (an area, a service, a unit) default to what the data has
    instead of to the sample's names.
    """
    if column not in frame.columns:
        raise DataError(f"Column {column!r} not found; columns: {list(frame.columns)[:20]}.")
    counts = frame[column].value_counts()
    if not value:
        if counts.empty:
            raise DataError(f"Column {column!r} has no values to choose from.")
        return str(counts.index[0])
    if value not in counts.index:
        raise DataError(f"{column!r} has no {value!r}; e.g. {[str(v) for v in counts.index[:8]]}.")
    return value


def jsonable(value: Any) -> Any:
    """A value converted to what ``json.dumps`` writes stably (tables to records, NaN to null).

    Parameters
    ----------
    value : any
        DataFrame, Series, mapping, sequence, NumPy scalar or plain value.

    Returns
    -------
    any
        Plain Python values; floats rounded to 12 significant digits so that files are identical
        across runs.

    Raises
    ------
    RecursionError
        Only for self-referencing containers.

    Notes
    -----
    A suppressed cell (NaN) becomes null.
    """
    if isinstance(value, pd.DataFrame):
        return [jsonable(r) for r in value.to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return jsonable(value.to_dict())
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [jsonable(v) for v in value]
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        v = float(value)
        # NaN (a suppressed cell) becomes null; 12 significant digits keep files stable across runs.
        return None if not math.isfinite(v) else float(f"{v:.12g}")
    if value is None or isinstance(value, str):
        return value
    if pd.isna(value):
        return None
    return str(value)


def save_results(results_path: str, summary: str, **results: Any) -> None:
    """Write a report's key results (tables, numbers) and its one-line summary as JSON.

    Parameters
    ----------
    results_path : str
        Where to write; empty in interactive use (then nothing is written).
    summary : str
        One line for the index page.
    **results
        Published tables (:class:`workbench.reports.tables.Published`) and values to save; a bare
        DataFrame is refused, so that no unsuppressed table reaches a results file.

    Returns
    -------
    None

    Raises
    ------
    ParameterError
        A bare DataFrame or Series among the results.
    OSError
        The file cannot be written.

    Notes
    -----
    Keys are sorted, so two runs on the same data write identical files. ``files_read`` lists every
    data file the report opened (:func:`files_read`).
    """
    if not results_path:
        return
    for key, value in results.items():
        if isinstance(value, (pd.DataFrame, pd.Series)):
            raise ParameterError(f"Result {key!r} is a bare table: publish it first (page.table(...)), so that its "
                                 "small cells are suppressed and it is audited.")
    payload = {"summary": summary, **{k: jsonable(getattr(v, "frame", v)) for k, v in results.items()},
               "files_read": files_read()}
    Path(results_path).write_text(json.dumps(payload, indent=1, sort_keys=True, ensure_ascii=False), encoding="utf-8")
