"""Counting: the one pass over raw responses (DESIGN.md, principle 1).

Responses reduce to a count table — one row per group, the count of each scale point and of
don't-know answers — in a single vectorised pass (:mod:`workbench.data.tabulate`). Where the
pass runs depends on where the data is: a DataFrame is counted in memory, and so are CSV and
Excel exports (read as their tool wrote them); Parquet files (or globs of them) and DuckDB
relations are counted by DuckDB without loading them; an Ibis table is counted on its own
backend (:mod:`workbench.data.engines`). Every path returns the same table, and every estimator
takes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._validate import as_key_list, check_choice, check_columns, check_not_empty, check_weights
from ..errors import DataError, ParameterError
from ..stats.scales import Metric, Scale, get_metric, shown_answer
from .engines import aggregate, is_engine_source, open_table
from .readers import read_responses
from .tabulate import tabulate

__all__ = ["Counts", "CountQuality", "count", "count_table", "Respondents", "respondents", "scale_of"]

_DENSE_LIMIT = 50_000_000  # largest dense (groups × slots) table counted without compressing keys
INVALID_HANDLING = ("raise", "exclude")


@dataclass(frozen=True)
class CountQuality:
    """What the counting pass read: the figures of a data-quality summary.

    Attributes
    ----------
    source : str
        ``"DataFrame"``, the file or pattern, ``"DuckDB relation"`` or ``"Ibis table on <backend>"``.
    engine : str
        Where the pass ran: ``"pandas"``, ``"duckdb"`` or ``"ibis-<backend>"``.
    column : str
        The answer column.
    rows : int
        Rows read.
    empty : int
        Empty answers (missing values and blank text): not in the base.
    dont_know : int
        Don't-know answers: not in the base.
    invalid : DataFrame
        Answers that are not on the scale (``value``, ``rows``), most frequent first, text redacted
        and cut at 40 characters; they are left out of the counts only with ``invalid="exclude"``
        (by default they raise).
    groups : int
        Groups in the count table (with at least one point or don't-know answer).
    groups_without_answers : int
        Groups whose every answer was empty or invalid, left out of the table.
    """

    source: str
    engine: str
    column: str
    rows: int
    empty: int
    dont_know: int
    invalid: pd.DataFrame = field(repr=False)
    groups: int
    groups_without_answers: int

    @property
    def answered(self) -> int:
        """Rows with a point of the scale (the base, before weighting)."""
        return self.rows - self.empty - self.dont_know - self.invalid_rows

    @property
    def invalid_rows(self) -> int:
        """Rows whose answer is not on the scale."""
        return int(self.invalid["rows"].sum())

    def to_frame(self) -> pd.DataFrame:
        """The figures as a two-column table (``figure``, ``value``), in reading order."""
        figures = {"rows read": self.rows, "answers on the scale": self.answered, "empty answers": self.empty,
                   "don't know": self.dont_know, "invalid answers": self.invalid_rows, "groups": self.groups,
                   "groups without answers": self.groups_without_answers}
        return pd.DataFrame({"figure": list(figures), "value": list(figures.values())})


@dataclass(frozen=True)
class Counts:
    """A count table: one row per group with the (possibly weighted) count of each point.

    Attributes
    ----------
    keys : DataFrame
        The group keys, one row per group (no columns when ungrouped).
    counts : ndarray, shape (groups, points)
        Count of each scale point per group.
    dont_know : ndarray, shape (groups,)
        Count of don't-know answers per group.
    scale : Scale
    quality : CountQuality, optional
        What the counting pass read (set by :func:`count`; None for tables built otherwise).
    """

    keys: pd.DataFrame
    counts: np.ndarray
    dont_know: np.ndarray
    scale: Scale
    quality: CountQuality | None = field(default=None, repr=False, compare=False)

    @property
    def by(self) -> list[str]:
        return list(self.keys.columns)

    @property
    def n(self) -> np.ndarray:
        """Respondents in the base (substantive answers) per group."""
        return self.counts.sum(axis=1)

    def level_counts(self, metric: Metric) -> np.ndarray:
        """Counts per score level of ``metric`` (groups × levels)."""
        if metric.scale != self.scale:
            raise ParameterError(
                f"These counts are on scale {self.scale.name!r}; metric {metric.name!r} uses {metric.scale.name!r}."
            )
        return self.counts @ metric.level_matrix

    def aggregate(self, by: str | Sequence[str] | None = None) -> "Counts":
        """Counts summed to fewer keys (e.g. service from service × unit): no second pass over responses."""
        keys = as_key_list(by)
        unknown = [k for k in keys if k not in self.by]
        if unknown:
            raise ParameterError(f"Cannot aggregate to {unknown}: the count table has keys {self.by}.")
        if not keys:
            return Counts(pd.DataFrame(index=range(1)), self.counts.sum(axis=0, keepdims=True),
                          np.atleast_1d(self.dont_know.sum()), self.scale)
        grouped = self.keys.groupby(keys, sort=True)
        codes = grouped.ngroup().to_numpy()
        counts = np.zeros((grouped.ngroups, self.counts.shape[1]), dtype=self.counts.dtype)
        np.add.at(counts, codes, self.counts)
        dont_know = np.zeros(grouped.ngroups, dtype=self.dont_know.dtype)
        np.add.at(dont_know, codes, self.dont_know)
        return Counts(grouped.size().index.to_frame(index=False), counts, dont_know, self.scale)

    def to_frame(self) -> pd.DataFrame:
        """Tidy count table: keys, one column per point (named by the point), ``dont_know``."""
        points = pd.DataFrame(self.counts, columns=[str(p) for p in self.scale.points])
        frame = pd.concat([self.keys.reset_index(drop=True), points], axis=1)
        frame["dont_know"] = self.dont_know
        return frame

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, scale: Scale | Metric | str, *, by: str | Sequence[str] | None = None):
        """Counts from a table with one column per scale point (as written by :meth:`to_frame`).

        A count table produced elsewhere (SQL, DuckDB) enters the workbench here.
        """
        scale = scale_of(scale)
        keys = as_key_list(by)
        point_cols = [str(p) for p in scale.points]
        check_columns(frame, keys + point_cols, role="count column")
        counts = frame[point_cols].to_numpy()
        dk = frame["dont_know"].to_numpy() if "dont_know" in frame else np.zeros(len(frame))
        if not np.issubdtype(counts.dtype, np.number) or (counts < 0).any() or (dk < 0).any():
            raise DataError(f"Count columns {point_cols} must hold non-negative numbers ({len(frame)} rows).")
        return cls(frame[keys].reset_index(drop=True), counts, np.asarray(dk), scale)


def scale_of(scale: Scale | Metric | str) -> Scale:
    """The scale of a Scale, a Metric or a metric's name.

    Parameters
    ----------
    scale : Scale, Metric or str

    Returns
    -------
    Scale

    Raises
    ------
    MetricError
        An unknown metric name.

    Notes
    -----
    Counting needs only the scale; estimators add the metric's scores afterwards.
    """
    if isinstance(scale, Scale):
        return scale
    return get_metric(scale).scale


def _group_codes(frame: pd.DataFrame, keys: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Integer group id per row and the keys of each group, in sorted key order."""
    if not keys:
        return np.zeros(len(frame), dtype=np.int64), pd.DataFrame(index=range(1))
    codes_list, uniques_list = [], []
    for key in keys:
        codes, uniques = pd.factorize(frame[key], sort=True, use_na_sentinel=True)
        if (codes < 0).any():
            raise DataError(
                f"Group column {key!r} has {int((codes < 0).sum())} missing values "
                f"(of {len(frame)} rows); fill or drop them first."
            )
        codes_list.append(codes.astype(np.int64, copy=False))
        uniques_list.append(uniques)
    sizes = [len(u) for u in uniques_list]
    if float(np.prod(sizes, dtype=np.float64)) > _DENSE_LIMIT:
        # Too many combinations for a dense table (and, with many keys, for int64 codes):
        # let pandas compress the keys, in the same sorted order.
        grouped = frame.groupby(keys, sort=True)
        return grouped.ngroup().to_numpy().astype(np.int64), grouped.size().index.to_frame(index=False)
    group = codes_list[0]
    for codes, size in zip(codes_list[1:], sizes[1:]):
        group = group * size + codes
    # Dense: every key combination gets a slot; empty ones are dropped after counting.
    combos = np.unravel_index(np.arange(int(np.prod(sizes))), sizes)
    key_frame = pd.DataFrame({k: u.take(combos[i]) for i, (k, u) in enumerate(zip(keys, uniques_list))})
    return group, key_frame


def count(
    data,
    metric: str | Metric | Scale,
    *,
    column: str | None = None,
    by: str | Sequence[str] | None = None,
    weights: str | np.ndarray | pd.Series | None = None,
    invalid: str = "raise",
) -> Counts:
    """Reduce responses to a count table in one pass, where the data lives.

    Parameters
    ----------
    data : DataFrame, path, glob, list of paths, DuckDB relation or Ibis table
        One row per response. A DataFrame is counted in memory, and so is a CSV or Excel export
        (read by :func:`workbench.read_responses`). Parquet files (a path, a glob such as
        ``"exports/*.parquet"``, a folder, or a list) and DuckDB relations (a large CSV file:
        ``duckdb.read_csv(path)``) are counted by DuckDB without loading them; an Ibis table is
        counted by its backend (see :func:`count_table`).
    metric : str, Metric or Scale
        What the column holds; only its scale matters here.
    column : str, optional
        The answer column; defaults to the metric's column (its name for every built-in
        metric except ``csat_mean`` and ``ces_mean``, which read ``csat`` and ``ces``).
    by : str or list of str, optional
        Group keys. Groups with no answer at all (only empty cells) are left out.
    weights : column name or array, optional
        Respondent weights: the table then holds weighted counts. With a file, relation or table,
        the name of a weight column.
    invalid : {"raise", "exclude"}
        Answers that are not on the scale raise :class:`ScaleError` (default), or are left out of
        the counts and listed in ``quality.invalid``.

    Returns
    -------
    Counts
        With ``quality`` (:class:`CountQuality`): rows read, empty, don't-know and invalid answers,
        groups.

    Raises
    ------
    DataError
        Missing files or columns, empty data, missing group keys (with their row count), bad weights.
    ScaleError
        Answers that are not points of the scale, naming the column, each value with its row count,
        and the total.
    ParameterError
        ``column`` missing with a Scale, an unknown ``invalid``, an array of weights with a file.

    Notes
    -----
    Every row lands in slot ``group * (K + 3) + s`` (s: empty, K points, don't know, invalid) and
    one ``np.bincount`` counts everything (:func:`workbench.data.tabulate.tabulate`). An engine runs
    only ``GROUP BY keys, answer`` (:func:`workbench.data.engines.count_expression`) and the same
    pass counts its small result, so every path gives the same keys, order, counts and errors
    (property tests in ``tests/data/test_counting.py`` and ``tests/data/test_engines.py``). The
    table equals ``groupby([keys, answer]).size()`` with answers encoded by the scale.

    Examples
    --------
    >>> import pandas as pd, workbench as wb
    >>> df = pd.DataFrame({"unit": ["a", "a", "b"], "nps": [10, 3, 9]})
    >>> wb.count(df, "nps", by="unit").to_frame()[["unit", "3", "9", "10"]]
      unit  3  9  10
    0    a  1  0   1
    1    b  0  1   0
    """
    scale = scale_of(metric)
    if column is None:
        if isinstance(metric, Scale):
            raise ParameterError("`column` is required when a Scale (not a Metric) is given.")
        column = get_metric(metric).column
    keys = as_key_list(by)
    check_choice(invalid, "invalid", INVALID_HANDLING, error=ParameterError)
    if not isinstance(data, pd.DataFrame) and is_engine_source(data):
        if weights is not None and not isinstance(weights, str):
            raise ParameterError("With a file, relation or table, `weights` must name a weight column.")
        roles = {column: "answer column", **{k: "group column" for k in keys}}
        if weights is not None:
            roles.setdefault(weights, "weight column")
        agg = aggregate(data, keys=keys, column=column, weights=weights, roles=roles)
        if agg.rows.sum() == 0:
            raise DataError("The data is empty (0 rows); nothing to estimate.")
        tab = tabulate(agg.frame, scale, column=column, keys=keys, weights=agg.weights, rows=agg.rows)
        source, engine = agg.source, agg.engine
    else:
        frame = read_responses(data)
        check_columns(frame, [column], role="answer column")
        check_columns(frame, keys, role="group column")
        check_not_empty(frame)
        w = check_weights(frame, weights) if weights is not None else None
        tab = tabulate(frame, scale, column=column, keys=keys, weights=w)
        source, engine = "DataFrame", "pandas"
    k = scale.size
    empty = int(tab.totals[0])
    shown = tab.invalid.assign(value=[shown_answer(v) for v in tab.invalid["value"]])  # text redacted, as in errors
    quality = CountQuality(source, engine, column, tab.rows_read, empty, int(tab.totals[k + 1]), shown,
                           len(tab.keys), tab.groups_without_answers)
    if invalid == "raise" and len(tab.invalid):
        raise scale.invalid_error(tab.invalid["value"], tab.invalid["rows"], column=column, total=tab.rows_read)
    if not len(tab.keys):
        if quality.invalid_rows:
            raise DataError(f"Column {column!r} has no valid answers: {empty} of {tab.rows_read} rows are empty "
                            f"and {quality.invalid_rows} invalid.")
        raise DataError(f"Column {column!r} has no answers: all {tab.rows_read} rows are empty.")
    return Counts(tab.keys, tab.table[:, 1:k + 1], tab.table[:, k + 1], scale, quality)


def count_table(source, metric: str | Metric | Scale, *, table: str | None = None, by: str | Sequence[str] | None = None,
                column: str | None = None, database=None, weights: str | None = None, invalid: str = "raise") -> Counts:
    """Count responses in the warehouse or cluster where they are kept: only the GROUP BY runs there.

    Parameters
    ----------
    source : ibis.Table, Ibis connection or str
        An Ibis table; an Ibis connection (``ibis.pyspark.connect(spark)``, ``ibis.postgres.connect(...)``);
        or a connection URL for ``ibis.connect`` (``"duckdb:///feedback.duckdb"``,
        ``"postgres://analyst@db.example/feedback"``, ``"snowflake://..."``, ``"bigquery://project"``).
    metric : str, Metric or Scale
        What the column holds.
    table : str, optional
        The table's name (required with a connection or a URL).
    by : str or list of str, optional
        Group keys.
    column : str, optional
        The answer column; the metric's by default.
    database : str or tuple, optional
        The table's database, or (catalog, schema), as the backend names them.
    weights : str, optional
        A weight column.
    invalid : {"raise", "exclude"}
        As in :func:`count`.

    Returns
    -------
    Counts
        The same table :func:`count` gives for the same rows in a DataFrame, with ``quality``.

    Raises
    ------
    ParameterError
        No table name with a connection or URL; a source of another type.
    DataError, ScaleError
        As :func:`count`.

    Notes
    -----
    The backend runs one ``GROUP BY keys, answer`` with ``COUNT(*)`` (and ``SUM`` of the weights);
    the result — one row per group and distinct answer — comes back and is counted in memory.
    Tested on DuckDB and Polars (``make test``) and Spark in local mode (``make test-spark``).

    Examples
    --------
    >>> import ibis, pandas as pd, workbench as wb
    >>> con = ibis.duckdb.connect()
    >>> t = con.create_table("feedback", pd.DataFrame({"unit": ["a", "a", "b"], "nps": [10, 3, 9]}))
    >>> wb.count_table(con, "nps", table="feedback", by="unit").n.tolist()
    [2, 1]
    """
    return count(open_table(source, table, database=database), metric, column=column, by=by, weights=weights,
                 invalid=invalid)


@dataclass(frozen=True)
class Respondents:
    """Respondent-level view for the few estimators that need it (weighted linearisation, regression).

    Built from the same single encoding and key factorisation as :func:`count`, so a weighted
    estimate costs one pass over the responses like any other.

    Attributes
    ----------
    keys : DataFrame
        Groups with at least one answer in the base, in sorted key order.
    group : ndarray
        Group (row of ``keys``) of each response in the base.
    scores : ndarray
        Score of each response in the base.
    rows : ndarray of bool
        Which rows of the data are in the base (answered, not don't know).
    dont_know : ndarray
        Don't-know answers per group.
    """

    keys: pd.DataFrame
    group: np.ndarray
    scores: np.ndarray
    rows: np.ndarray
    dont_know: np.ndarray

    @property
    def n(self) -> np.ndarray:
        return np.bincount(self.group, minlength=len(self.keys))


def respondents(data, metric: str | Metric, *, column: str | None = None,
                by: str | Sequence[str] | None = None) -> Respondents:
    """Scores and group ids of the responses in the base, in one vectorised pass.

    Parameters
    ----------
    data : DataFrame or path
    metric : str or Metric
    column : str, optional
        The answer column; the metric's own by default.
    by : str or list of str, optional
        Group keys.

    Returns
    -------
    Respondents
        Groups in sorted key order (only those with an answer in the base), each response's group
        and score, which rows are in the base, and don't-know counts per group.

    Raises
    ------
    DataError
        Missing columns, empty data, no answer in the base.
    ScaleError
        Answers that are not points of the scale.

    Notes
    -----
    Built from the same encoding and key factorisation as :func:`count`, so the groups and their
    order agree with the count table (tested); weighted estimators need this respondent-level view.
    """
    frame = read_responses(data)
    metric = get_metric(metric)
    column = column or metric.column
    keys = as_key_list(by)
    check_columns(frame, [column], role="answer column")
    check_columns(frame, keys, role="group column")
    check_not_empty(frame)
    codes = metric.scale.encode(frame[column], column=column)
    group_all, key_frame = _group_codes(frame, keys)
    base = (codes >= 0) & (codes < metric.scale.size)
    everyone = bool(base.all())  # the usual case: no boolean selection needed
    group_base = group_all if everyone else group_all[base]
    present = np.bincount(group_base, minlength=len(key_frame)) > 0
    if not present.any():
        raise DataError(f"Column {column!r} has no answers in the base (all {len(frame)} rows empty or don't know).")
    dont_know = (np.zeros(len(key_frame), dtype=np.int64) if everyone else
                 np.bincount(group_all[codes == metric.scale.size], minlength=len(key_frame)))[present]
    group = group_base if present.all() else (np.cumsum(present) - 1)[group_base]
    return Respondents(key_frame.loc[present].reset_index(drop=True), group,
                       np.asarray(metric.scores, dtype=float)[codes if everyone else codes[base]], base, dont_know)
