"""Answer distributions: the share of each answer per group, in one count pass (a long table)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._validate import as_key_list
from ..data.counting import count
from .scales import Metric, get_metric

__all__ = ["answer_distribution"]


def answer_distribution(data, metric: str | Metric, *, by: str | Sequence[str] | None = None,
                        column: str | None = None) -> pd.DataFrame:
    """The share of each scale point (and of don't know) per group.

    Parameters
    ----------
    data : DataFrame or path
    metric : str or Metric
        What the column holds (its scale's points are listed).
    by : str or list, optional
        Group keys.
    column : str, optional
        The answer column; the metric's own by default.

    Returns
    -------
    DataFrame
        Long: the ``by`` keys, ``answer`` (the point, or ``"dont_know"``), ``n`` (substantive answers of
        the group), ``n_dont_know``, ``count`` and ``share`` (of substantive answers; don't know as a
        share of all answers).

    Raises
    ------
    DataError, ScaleError
        Missing columns, answers outside the scale.

    Notes
    -----
    ``n`` counts substantive answers only, so suppression by ``min_n`` uses the same base as every
    other table (don't-know answers leave the base).

    References
    ----------
    DESIGN.md, principle 2 (scales and their non-substantive codes).
    """
    info = get_metric(metric)
    keys = as_key_list(by)
    counts = count(data, info, column=column, by=keys or None)
    n = counts.n.astype(float)
    rows = []
    points = [str(p) for p in info.scale.points]
    for j, point in enumerate(points):
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(n > 0, counts.counts[:, j] / n, np.nan)
        rows.append(counts.keys.assign(answer=point, n=n, n_dont_know=counts.dont_know, count=counts.counts[:, j],
                                       share=share))
    if info.scale.dont_know:
        total = n + counts.dont_know
        rows.append(counts.keys.assign(answer="dont_know", n=n, n_dont_know=counts.dont_know, count=counts.dont_know,
                                       share=np.where(total > 0, counts.dont_know / np.maximum(total, 1), np.nan)))
    return pd.concat(rows, ignore_index=True)[keys + ["answer", "n", "n_dont_know", "count", "share"]]
