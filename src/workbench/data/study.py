"""The study file: every input a report may read, how to read it, and how its columns and answer
labels map to the workbench's roles and scale points.

A study is a TOML file (schema in the README, a complete example in ``data/samples/study.toml``)::

    [study]
    name = "Kainuu customer feedback 2026"
    language = "fi"          # report language: fi, sv or en
    min_n = 5                # no statistic of a group smaller than this is published

    [responses]
    path = "vastaukset.xlsx" # relative to the study file
    sheet = "Vastaukset"     # read options: format, separator, decimal, encoding, sheet, header_row

    [responses.columns]      # role = "source column"
    area = "Hyvinvointialue"
    unit = "Toimipiste"

    [responses.metrics]      # metric = "source column"
    nps = "Kuinka todennäköisesti suosittelisit palvelua läheisillesi?"

    [responses.statements]   # statement id = "source column" (1–5 with don't know)
    s1_access = "Sain palvelua silloin, kun tarvitsin"

    [responses.labels.fcr]   # extra answer labels of one metric, statement or scale
    "Asia ratkesi" = "yes"

    [volumes]                # optional inputs: volumes, margins, framework, taxonomy, events, rules
    path = "volyymit.csv"
    columns = { unit = "Toimipiste", customers_per_year = "Asiakkaita" }

Reading a study never falls back to bundled sample files: an input the study does not name is
absent, and whoever needs it says so (DESIGN.md, principle 7).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .._validate import check_positive, show_values
from ..errors import DataError, ScaleError, StudyError
from ..stats.scales import AGREEMENT_SCALE, METRICS, Scale, normal_key, get_metric
from .readers import FileRead, ReadOptions, read_table

__all__ = ["Study", "InputSpec", "read_study", "study_from_data", "INPUTS", "LANGUAGES", "Mapped"]

INPUTS = ("responses", "volumes", "margins", "framework", "taxonomy", "events", "rules")
LANGUAGES = ("fi", "sv", "en")
_READ_KEYS = {"path", "format", "separator", "decimal", "encoding", "sheet", "header_row", "columns"}
_RESPONSE_KEYS = _READ_KEYS | {"metrics", "statements", "statement_texts", "labels"}
_STUDY_KEYS = {"name", "language", "min_n", "unconfirmed", "round_counts"}
_ROLE = re.compile(r"^[a-z][a-z0-9_]*$")
# Special targets of a label map: the answer is empty (not counted) or don't know (out of the base).
_MISSING_TARGETS = {"missing", "empty"}
_DK_TARGETS = {"dont_know", "don't know", "dk"}


@dataclass(frozen=True)
class InputSpec:
    """One input named by a study: where it is, how to read it, which columns play which role.

    Attributes
    ----------
    name : str
        ``responses``, ``volumes``, ``margins``, ``framework``, ``taxonomy``, ``events`` or ``rules``.
    path : Path
    options : ReadOptions
    columns : dict
        Role -> source column.
    """

    name: str
    path: Path
    options: ReadOptions = field(default_factory=ReadOptions)
    columns: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Mapped:
    """Responses mapped to roles and scale points, with what the mapping found.

    Attributes
    ----------
    frame : DataFrame
        One row per response: role columns, metric and statement columns with scale points (numbers,
        ``"yes"``/``"no"``, 6 for don't know on the agreement scale), NaN for empty answers.
    read : FileRead
        The file as read (options in effect, rows read, rows set aside).
    unknown : dict
        Column -> Series of unknown labels with their row counts (labels redacted).
    """

    frame: pd.DataFrame = field(repr=False)
    read: FileRead = field(repr=False)
    unknown: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Study:
    """A study file: inputs, column roles, metrics, statements, answer labels and publication rules.

    Attributes
    ----------
    path : Path or None
        The study file (None for a study made from a data file alone).
    name : str
    language : str
    min_n : int
    inputs : dict
        Input name -> :class:`InputSpec`.
    metrics : dict
        Metric -> source column.
    statements : dict
        Statement id -> source column.
    statement_texts : dict
        Statement id -> its wording (for tables and figures).
    labels : dict
        Metric, statement id or scale key -> {label: target}.
    unconfirmed : tuple of str
        Keys drafted by ``workbench init`` that nobody has confirmed yet.
    is_sample : bool
        True for the bundled synthetic sample.
    """

    path: Path | None
    name: str
    language: str
    min_n: int
    inputs: dict
    metrics: dict
    statements: dict
    statement_texts: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)
    unconfirmed: tuple = ()
    is_sample: bool = False
    round_counts: int | None = None

    def has(self, name: str) -> bool:
        """Whether the study names this input."""
        return name in self.inputs

    @property
    def roles(self) -> dict:
        """Role -> source column of the responses (areas, services, units, period, attributes, comment)."""
        return dict(self.inputs["responses"].columns) if self.has("responses") else {}

    def files(self) -> list[Path]:
        """Every file the study names (the study file first)."""
        return ([self.path] if self.path else []) + [spec.path for spec in self.inputs.values()]

    def check_files(self) -> None:
        """Raise a StudyError naming every named input file that does not exist or is a folder."""
        problems = [f"{spec.name}: {str(spec.path)!r} {'is a folder' if spec.path.is_dir() else 'does not exist'}"
                    for spec in self.inputs.values() if not spec.path.is_file()]
        if problems:
            where = f"Study {str(self.path)!r}" if self.path else "The data"
            raise StudyError(f"{where} names files that cannot be read: {'; '.join(problems)}.")

    def input(self, name: str) -> InputSpec:
        """The spec of a named input; a StudyError saying what to add when the study lacks it."""
        if name not in self.inputs:
            raise StudyError(f"The study does not name `{name}`: add a [{name}] table with its `path` to "
                             f"{str(self.path) if self.path else 'a study file'} (see the README, 'Your own data').")
        return self.inputs[name]

    def read(self, name: str) -> FileRead:
        """Read a tabular input (volumes, margins, events) with its read options, columns renamed to roles."""
        spec = self.input(name)
        read = read_table(spec.path, spec.options)
        if not spec.columns:
            return read
        missing = [c for c in spec.columns.values() if c not in read.frame.columns]
        if missing:
            raise DataError(f"Input `{name}` ({str(spec.path)!r}): mapped columns {show_values(missing)} not found; "
                            f"columns: {show_values(read.frame.columns, 20)}.")
        renamed = read.frame.rename(columns={source: role for role, source in spec.columns.items()})
        return FileRead(renamed, read.path, read.format, read.options, read.rows_read, read.dropped)

    def responses(self) -> pd.DataFrame:
        """The responses mapped to roles and scale points; unknown labels raise (see :meth:`map_responses`)."""
        mapped = self.map_responses()
        if mapped.unknown:
            listed = "; ".join(f"{column!r}: " + ", ".join(f"{label!r} ({count} rows)" for label, count in
                                                          list(unknown.items())[:6])
                               for column, unknown in mapped.unknown.items())
            raise ScaleError(f"Answers that are not on their scale in {str(self.input('responses').path)!r}: {listed}. "
                             "Map them in the study's [responses.labels] (e.g. \"label\" = 4, or = \"missing\").")
        return mapped.frame

    def map_responses(self) -> Mapped:
        """Read the responses and map columns to roles and answer labels to scale points.

        Returns
        -------
        Mapped
            The mapped table, the file as read and the unknown labels per column (not raised).
        """
        spec = self.input("responses")
        read = read_table(spec.path, spec.options)
        frame = read.frame
        sources = {**spec.columns, **self.metrics, **self.statements}
        missing = sorted({c for c in sources.values() if c not in frame.columns})
        if missing:
            raise DataError(f"Responses {str(spec.path)!r}: mapped columns {show_values(missing)} not found in "
                            f"{len(frame)} rows; columns: {show_values(frame.columns, 20)}.")
        out = {role: frame[source] for role, source in spec.columns.items()}
        if "date" in out and "month" not in out:
            dates = pd.to_datetime(out["date"], errors="coerce", dayfirst=True)
            bad = dates.isna() & out["date"].notna()
            if bad.any():
                raise DataError(f"Column {spec.columns['date']!r} has {int(bad.sum())} values that are not dates "
                                f"(of {len(frame)} rows).")
            out["month"] = dates.dt.strftime("%Y-%m").where(dates.notna(), None)
        unknown = {}
        for name, source in {**self.metrics, **self.statements}.items():
            scale = AGREEMENT_SCALE if name in self.statements else get_metric(name).scale
            values = self._apply_labels(frame[source], name, scale)
            bad = scale.unknown(values)
            if len(bad):  # reported by the caller; the rest of the column is still mapped
                unknown[source] = bad
                values = values.where(scale.is_known(values), None)
            out[get_metric(name).column if name in METRICS else name] = _points(values, scale, source)
        return Mapped(pd.DataFrame(out, index=frame.index).reset_index(drop=True), read, unknown)

    def _apply_labels(self, values: pd.Series, name: str, scale: Scale) -> pd.Series:
        """The study's own labels for this metric/statement (or its scale) replaced by their targets."""
        maps = [self.labels.get(name, {}), self.labels.get("agreement" if scale is AGREEMENT_SCALE else "", {})]
        table = {}
        for mapping in maps:
            for label, target in mapping.items():
                key = normal_key(label)
                if isinstance(target, str) and target.lower() in _MISSING_TARGETS:
                    table[key] = None
                elif isinstance(target, str) and target.lower() in _DK_TARGETS:
                    if not scale.dont_know:
                        raise StudyError(f"Label {label!r} of {name!r} maps to don't know, but scale {scale.name!r} "
                                         "has no don't-know code; map it to \"missing\".")
                    table[key] = scale.dont_know[0]
                else:
                    table[key] = target
        if not table:
            return values
        keys = values.map(lambda v: normal_key(v) if isinstance(v, str) else v)
        hit = keys.isin(list(table))
        return values.where(~hit, keys.map(table))


def _points(values: pd.Series, scale: Scale, column: str) -> pd.Series:
    """Answers as canonical scale points: numbers (float, NaN when empty), or the points' labels."""
    codes = scale.encode(values, column=column)
    lookup = np.array(list(scale.points) + [scale.dont_know[0] if scale.dont_know else None, None], dtype=object)
    mapped = lookup[np.where(codes < 0, len(lookup) - 1, codes)]
    if all(isinstance(p, (int, np.integer)) for p in scale.points):
        return pd.Series(pd.to_numeric(mapped, errors="coerce"), index=values.index, dtype="float64")
    return pd.Series(mapped, index=values.index, dtype=object)


def _read_options(table: Mapping, where: str) -> ReadOptions:
    try:
        return ReadOptions(**{k: table[k] for k in ("format", "separator", "decimal", "encoding", "sheet",
                                                   "header_row") if k in table})
    except (TypeError, ValueError) as error:
        raise StudyError(f"{where}: {error}") from None


def _mapping(table, where: str) -> dict:
    if not isinstance(table, Mapping) or not all(isinstance(v, str) and v.strip() for v in table.values()):
        raise StudyError(f"{where} must map names to source column names (text); got {table!r}.")
    return {str(k): v.strip() for k, v in table.items()}


def read_study(path: str | os.PathLike, *, is_sample: bool = False) -> Study:
    """Read and validate a study file.

    Parameters
    ----------
    path : str or PathLike
        The study TOML file; input paths in it are relative to its folder.
    is_sample : bool
        Mark the study as the bundled synthetic sample (reports then show a banner).

    Returns
    -------
    Study

    Raises
    ------
    StudyError
        A missing or invalid file: unknown tables or keys (the valid ones are listed), an input without
        `path`, bad read options, role names that are not identifiers, unknown metrics, a language
        other than fi/sv/en, a bad `min_n`.

    Notes
    -----
    Only the study is validated here; the files it names are read when needed
    (:meth:`Study.check_files` checks that they exist).
    """
    path = Path(path)
    if not path.is_file():
        raise StudyError(f"Study file {str(path)!r} {'is a folder' if path.is_dir() else 'does not exist'}.")
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as error:
        raise StudyError(f"Study file {str(path)!r} is not valid TOML: {error}.") from None
    except UnicodeDecodeError:
        raise StudyError(f"Study file {str(path)!r} is not UTF-8 text.") from None
    unknown = set(doc) - {"study", *INPUTS}
    if unknown:
        raise StudyError(f"Study file {str(path)!r} has unknown tables {sorted(unknown)}; valid: "
                         f"{', '.join(['study', *INPUTS])}.")
    head = doc.get("study", {})
    bad = set(head) - _STUDY_KEYS
    if bad:
        raise StudyError(f"[study] has unknown keys {sorted(bad)}; valid: {sorted(_STUDY_KEYS)}.")
    language = head.get("language", "en")
    if language not in LANGUAGES:
        raise StudyError(f"[study] language must be one of {', '.join(LANGUAGES)}; got {language!r}.")
    try:
        min_n = check_positive(head.get("min_n", 5), "min_n", integer=True)
    except ValueError as error:
        raise StudyError(f"[study] {error}") from None
    round_counts = head.get("round_counts")
    if round_counts is not None and (isinstance(round_counts, bool) or not isinstance(round_counts, int)
                                     or round_counts < 2):
        raise StudyError(f"[study] round_counts must be a whole number of at least 2; got {round_counts!r}.")
    inputs = {}
    for name in INPUTS:
        if name not in doc:
            continue
        table = doc[name]
        where = f"[{name}]"
        allowed = _RESPONSE_KEYS if name == "responses" else _READ_KEYS
        extra = set(table) - allowed
        if extra:
            raise StudyError(f"{where} has unknown keys {sorted(extra)}; valid: {sorted(allowed)}.")
        if not isinstance(table.get("path"), str) or not table["path"].strip():
            raise StudyError(f"{where} needs a `path` (relative to the study file).")
        columns = _mapping(table.get("columns", {}), f"{where} columns")
        bad_roles = [r for r in columns if not _ROLE.match(r)]
        if bad_roles:
            raise StudyError(f"{where} columns: role names must be lower-case identifiers; got {bad_roles}.")
        inputs[name] = InputSpec(name, (path.parent / table["path"]).resolve(), _read_options(table, where), columns)
    responses = doc.get("responses", {})
    metrics = _mapping(responses.get("metrics", {}), "[responses.metrics]")
    unknown_metrics = [m for m in metrics if m not in METRICS]
    if unknown_metrics:
        raise StudyError(f"[responses.metrics] has unknown metrics {unknown_metrics}; built-in: {', '.join(METRICS)}.")
    statements = _mapping(responses.get("statements", {}), "[responses.statements]")
    clash = sorted(set(statements) & (set(metrics) | set(inputs.get("responses", InputSpec("", path)).columns)))
    if clash:
        raise StudyError(f"Names used twice in [responses] (statement and metric or role): {clash}.")
    labels = responses.get("labels", {})
    if not isinstance(labels, Mapping) or not all(isinstance(v, Mapping) for v in labels.values()):
        raise StudyError("[responses.labels] must hold one table of \"label\" = target per metric or statement.")
    unconfirmed = head.get("unconfirmed", [])
    if not isinstance(unconfirmed, list) or not all(isinstance(u, str) for u in unconfirmed):
        raise StudyError("[study] unconfirmed must be a list of keys.")
    return Study(path.resolve(), str(head.get("name", path.stem)), language, int(min_n), inputs, metrics, statements,
                 dict(responses.get("statement_texts", {})), {k: dict(v) for k, v in labels.items()},
                 tuple(unconfirmed), is_sample, round_counts)


def study_from_data(data_path: str | os.PathLike, *, language: str = "en", min_n: int = 5) -> Study:
    """A study for a tidy responses file whose columns already carry the workbench's names.

    Parameters
    ----------
    data_path : str or PathLike
        CSV, Excel or Parquet with columns such as ``area``, ``service``, ``unit``, ``month``, ``nps``,
        ``csat``, ``ces``, ``fcr``, statements ``s1_…`` (1–5, 6 = don't know), ``comment``.
    language : str
    min_n : int

    Returns
    -------
    Study
        Only ``responses`` is named: no volumes, margins or framework (and never the sample's).

    Raises
    ------
    DataError
        The file cannot be read.

    Notes
    -----
    Metric columns are those named as built-in metrics; statements those named ``s<digit>…``; every
    other column keeps its name as its role.
    """
    path = Path(data_path).resolve()
    read = read_table(path)
    columns = list(read.frame.columns)
    metrics = {m: m for m in METRICS if m in columns and get_metric(m).column == m}
    statements = {c: c for c in columns if re.match(r"^s\d", c)}
    roles = {c: c for c in columns if c not in metrics and c not in statements and _ROLE.match(c)}
    return Study(None, path.stem, language, min_n, {"responses": InputSpec("responses", path, ReadOptions(), roles)},
                 metrics, statements)
