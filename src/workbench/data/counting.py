"""Counting: the one pass over raw responses (DESIGN.md, principle 1).

Responses reduce to a count table — one row per group, the count of each scale point and
of don't-know answers — in a single vectorised pass: group keys are factorised, answers
are encoded to point codes, and one ``np.bincount`` over ``group * slots + code`` counts
everything at once. No Python loop runs over groups or rows.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._validate import as_key_list, check_columns, check_not_empty, check_weights
from ..errors import DataError, ParameterError
from ..stats.scales import Metric, Scale, get_metric
from .readers import read_responses

__all__ = ["Counts", "count", "Respondents", "respondents", "scale_of"]

_DENSE_LIMIT = 50_000_000  # largest dense (groups × slots) table counted without compressing keys


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
    """

    keys: pd.DataFrame
    counts: np.ndarray
    dont_know: np.ndarray
    scale: Scale

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
    data: pd.DataFrame | str | os.PathLike,
    metric: str | Metric | Scale,
    *,
    column: str | None = None,
    by: str | Sequence[str] | None = None,
    weights: str | np.ndarray | pd.Series | None = None,
) -> Counts:
    """Reduce responses to a count table in one vectorised pass.

    Parameters
    ----------
    data : DataFrame or path
        One row per response. A path is read as CSV or Parquet.
    metric : str, Metric or Scale
        What the column holds; only its scale matters here.
    column : str, optional
        The answer column; defaults to the metric's column (its name for every built-in
        metric except ``csat_mean`` and ``ces_mean``, which read ``csat`` and ``ces``).
    by : str or list of str, optional
        Group keys. Groups with no answer at all (only empty cells) are left out.
    weights : column name or array, optional
        Respondent weights: the table then holds weighted counts.

    Returns
    -------
    Counts

    Raises
    ------
    DataError
        Missing columns, empty data, missing group keys, bad weights.
    ScaleError
        Answers that are not points of the scale.

    Notes
    -----
    Keys are factorised (sorted), answers encoded to point codes (slot 0 empty, 1..K points, K+1
    don't know), and one ``np.bincount`` over ``group * (K + 2) + code`` counts everything; with many
    high-cardinality keys pandas compresses the key combinations first. The result equals a
    ``groupby([keys, answer]).size()`` (property test in ``tests/data/test_counting.py``).

    Examples
    --------
    >>> import pandas as pd, workbench as wb
    >>> df = pd.DataFrame({"unit": ["a", "a", "b"], "nps": [10, 3, 9]})
    >>> wb.count(df, "nps", by="unit").to_frame()[["unit", "3", "9", "10"]]
      unit  3  9  10
    0    a  1  0   1
    1    b  0  1   0
    """
    frame = read_responses(data)
    scale = scale_of(metric)
    if column is None:
        if isinstance(metric, Scale):
            raise ParameterError("`column` is required when a Scale (not a Metric) is given.")
        column = get_metric(metric).column
    keys = as_key_list(by)
    check_columns(frame, [column], role="answer column")
    check_columns(frame, keys, role="group column")
    check_not_empty(frame)
    codes = scale.encode(frame[column], column=column)
    group, key_frame = _group_codes(frame, keys)
    slots = scale.size + 2  # slot 0: empty answer; 1..size: points; size+1: don't know
    flat = group * slots + (codes + 1)
    n_groups = len(key_frame)
    if weights is None:
        table = np.bincount(flat, minlength=n_groups * slots)
    else:
        w = check_weights(frame, weights)
        table = np.bincount(flat, weights=w, minlength=n_groups * slots)
    table = table.reshape(n_groups, slots)
    answered = table[:, 1:].sum(axis=1) > 0
    if not answered.any():
        raise DataError(f"Column {column!r} has no answers: all {len(frame)} rows are empty.")
    key_frame = key_frame.loc[answered].reset_index(drop=True)
    table = table[answered]
    return Counts(key_frame, table[:, 1:-1], table[:, -1], scale)


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
