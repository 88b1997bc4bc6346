"""Case-mix adjustment: unit results as if every unit had the average respondent mix."""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from statsmodels.regression.linear_model import OLS

from .._validate import check_columns, check_confidence, check_memory
from ..data.counting import respondents
from ..data.readers import read_responses
from ..errors import DataError, ParameterError
from ..stats.estimation import estimate
from ..stats.scales import Metric, get_metric

__all__ = ["case_mix_adjust"]


def case_mix_adjust(
    data: pd.DataFrame | str | os.PathLike,
    metric: str | Metric,
    *,
    unit: str,
    adjusters: Sequence[str],
    column: str | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Unit results adjusted for respondent mix, side by side with the raw ones.

    Parameters
    ----------
    data : DataFrame or path
        One row per respondent.
    metric : str or Metric
    unit : str
        The unit column.
    adjusters : sequence of str
        Respondent-mix columns (each treated as categorical), e.g. age group, first visit, channel.
    column : str, optional
        The answer column; the metric's own by default.
    confidence : float

    Returns
    -------
    DataFrame
        ``unit``, ``n``, ``raw``, ``se``, ``adjusted``, ``adjustment``, ``ci_low``, ``ci_high`` (Wald,
        for the adjusted result with the raw standard error), ``rank_raw``, ``rank_adjusted``.

    Raises
    ------
    ParameterError
        No adjusters.
    DataError
        Missing columns, missing adjuster values.

    Notes
    -----
    An OLS model of the response score on unit fixed effects and the adjusters (dummies, first level
    dropped) gives the adjusters' effects β. The unit effects are absorbed by demeaning the score and the
    dummies within units (Frisch–Waugh–Lovell) and statsmodels' OLS fits the demeaned data: the same β as
    R ``lm(y ~ factor(unit) + adjusters)`` (agreement 1e-9 on ``tests/reference/r/casemix_lm.csv``, one unit
    lacking an adjuster level) in time and memory linear in the respondents, where one dummy per unit
    needed respondents × units². A unit's adjusted result is what it would score with the average
    respondent mix: raw - β'(x̄_unit - x̄_all), the approach of the CMS HCAHPS patient-mix adjustment
    (regression with hospital fixed effects). A pure mix difference is removed exactly. β is returned in
    ``result.attrs["adjuster_effects"]``. Memory: the data plus about 8·(3L + 8) bytes a respondent for L
    adjuster levels; a clear error when that is more than is available.

    References
    ----------
    CMS, HCAHPS Patient-Mix Adjustment (technical documentation). Elliott, M. N. et al. (2009).
    Effects of survey mode, patient mix, and nonresponse on CAHPS hospital survey scores. Health
    Services Research 44(2).
    """
    metric = get_metric(metric)
    confidence = check_confidence(confidence)
    adjusters = list(adjusters)
    if not adjusters:
        raise ParameterError("`adjusters` must name at least one respondent-mix column.")
    frame = read_responses(data)
    col = column or metric.column
    check_columns(frame, [unit, col] + adjusters, role="column")
    missing = {a: int(frame[a].isna().sum()) for a in adjusters if frame[a].isna().any()}
    if missing:
        raise DataError(f"Adjuster columns have missing values: {missing} (of {len(frame)} rows).")
    base = respondents(frame, metric, column=col, by=unit)
    levels = sum(int(frame[a].nunique()) for a in adjusters)
    check_memory(int(base.rows.sum()), 8 * (3 * levels + 8), "Case-mix adjustment")
    dummies = pd.get_dummies(frame.loc[base.rows, adjusters].astype(str), drop_first=True, dtype=float)
    mix = dummies.to_numpy()
    # Unit fixed effects by demeaning within units (Frisch–Waugh–Lovell): the same β as OLS with one dummy
    # per unit, without the respondents × units matrix.
    counts = base.n.astype(float)
    unit_means = np.column_stack([np.bincount(base.group, weights=mix[:, j], minlength=len(counts)) / counts
                                  for j in range(mix.shape[1])]) if mix.shape[1] else np.zeros((len(counts), 0))
    y_means = np.bincount(base.group, weights=base.scores, minlength=len(counts)) / counts
    beta = OLS(base.scores - y_means[base.group], mix - unit_means[base.group]).fit().params
    adj = -(unit_means - mix.mean(axis=0)) @ beta  # rows of base.keys = rows of `raw` (both sorted units)
    raw = estimate(frame, metric, column=col, by=unit, method="wald", confidence=confidence)
    z = stats.norm.ppf(0.5 + confidence / 2)
    out = raw[[unit, "n", "estimate", "se"]].rename(columns={"estimate": "raw"})
    out["adjusted"] = out["raw"] + adj
    out["adjustment"] = adj
    out["ci_low"] = out["adjusted"] - z * out["se"]
    out["ci_high"] = out["adjusted"] + z * out["se"]
    out["rank_raw"] = stats.rankdata(-out["raw"], method="min").astype(int)
    out["rank_adjusted"] = stats.rankdata(-out["adjusted"], method="min").astype(int)
    out.attrs["adjuster_effects"] = pd.Series(np.asarray(beta, dtype=float), index=list(dummies.columns),
                                              name="effect")
    return out
