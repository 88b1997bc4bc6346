"""Overall scores across units: one defensible organisation-level score from many units.

Unit-weighted schemes are stratified estimators with the units as strata (Cochran 1977, ch. 5):
overall = Σ_h W_h ȳ_h with weight shares W_h, variance Σ_h W_h² (1 - f_h) s_h² / n_h, s_h² with
divisor n_h - 1, f_h = n_h / N_h under ``fpc=True``. This is what R ``survey``'s ``svymean``
computes for ``svydesign(ids = ~1, strata = ~unit, weights = ~W_h / n_h, fpc = ~N_h)``; the
agreement is pinned in ``tests/reference/weighting_survey.csv`` with the R calls beside them.

Overall scores, contributions and the sensitivity table share the unit-level tables and checks of
this module, which keeps it a little over the 350-line guide.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .._validate import as_key_list, check_columns, check_confidence, check_in_range, check_memory, show_values
from ..data.counting import count, respondents
from ..data.readers import read_responses
from ..errors import DataError, ParameterError, WorkbenchWarning
from ..stats.design import Design, ResolvedDesign, as_design
from ..stats.estimation import estimate
from ..stats.scales import Metric, get_metric
from ..stats.survey import BYTES_PER_CALIBRATION_COLUMN, BYTES_PER_ROW, design_results
from ..stats.variance import design_structure, group_means
from .schemes import SCHEMES, unit_weight_shares, volume_table

__all__ = ["overall", "contributions", "sensitivity"]

_OVERALL_COLUMNS = ("units", "n", "estimate", "se", "ci_low", "ci_high", "moe", "n_eff", "deff", "max_unit_weight",
                    "scheme", "confidence")


def _resolved_design(frame: pd.DataFrame, design) -> ResolvedDesign | None:
    """The respondent weights and calibration of a design (None when unweighted), checked against ``frame``."""
    design = as_design(design)
    if design.strata is not None or design.population is not None or design.clusters is not None:
        raise ParameterError("In `overall` the units are the strata and `volumes` their population sizes; "
                             "pass only weights and calibration in `design`.")
    if not design.is_weighted:
        return None
    columns = 0 if design.calibration is None else design.calibration.auxiliaries.shape[1]
    check_memory(len(frame), BYTES_PER_ROW + BYTES_PER_CALIBRATION_COLUMN * columns, "A weighted overall score")
    return design.resolve(frame)


def _unit_level_table(frame, metric, unit, keys, column):
    """Per (by, unit): n, mean and the variance of the mean, s²/n with s² of divisor n - 1 (one count pass)."""
    counts = count(frame, metric, column=column, by=keys + [unit])
    lc = counts.level_counts(metric).astype(float)
    answered = lc.sum(axis=1) > 0
    lc = lc[answered]
    levels = metric.levels
    table = counts.keys.loc[answered].reset_index(drop=True)
    table["n"] = lc.sum(axis=1)
    table["mean"] = lc @ levels / table["n"]
    ss = lc @ levels**2 - table["n"] * table["mean"] ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        s2 = np.where(table["n"] > 1, np.maximum(ss, 0) / (table["n"] - 1), 0.0)
    table["var"] = s2 / table["n"]
    return table


def _weighted_unit_level_table(frame, metric, unit, keys, column, resolved: ResolvedDesign):
    """Per (by, unit): n, weighted mean and its linearisation variance, each (by, unit) cell a stratum.

    Linear in the rows (:func:`workbench.stats.variance.group_means`): no respondents × units matrix.
    """
    base = respondents(frame, metric, column=column, by=keys + [unit])
    if base.rows.all():  # the cells are the groups
        mean, variance = group_means(base.scores, resolved.weights, base.group, len(base.keys),
                                     design_structure(len(frame), base.group), calibration=resolved.calibration,
                                     start_weights=resolved.start_weights)
    else:  # respondents outside the base stay in their cell (stratum) as zeros
        cells = frame.groupby(keys + [unit], sort=True, dropna=False).ngroup().to_numpy()
        y = np.zeros(len(frame))
        g = np.zeros(len(frame), dtype=np.int64)
        y[base.rows], g[base.rows] = base.scores, base.group
        mean, variance = group_means(y, resolved.weights, g, len(base.keys), design_structure(len(frame), cells),
                                     in_base=base.rows, calibration=resolved.calibration,
                                     start_weights=resolved.start_weights)
    table = base.keys.copy()
    table["n"] = base.n.astype(float)
    table["mean"] = mean
    table["var"] = variance
    return table


def overall(
    data: pd.DataFrame | str | os.PathLike,
    metric: str | Metric,
    *,
    unit: str,
    scheme: str = "volume",
    volumes=None,
    design: Design | None = None,
    unit_weights: Mapping | None = None,
    column: str | None = None,
    by: str | Sequence[str] | None = None,
    fpc: bool = False,
    confidence: float = 0.95,
    cap: float = 0.25,
) -> pd.DataFrame:
    """One overall score across units under a weighting scheme, with its design-based uncertainty.

    Parameters
    ----------
    data : DataFrame or path
    metric : str or Metric
    unit : str
        The unit column (the strata).
    scheme : str
        ``"pooled"`` (every response counts once), ``"equal"`` (every unit the same),
        ``"volume"`` (units weighted by their service volume), ``"sqrt_volume"``, ``"custom"``
        (``unit_weights``, a mapping unit -> weight) or ``"capped"`` (volume weights, no unit
        above ``cap`` of the total).
    volumes : mapping or DataFrame
        Volume per unit (a DataFrame with the unit column and one volume column).
    design : Design, optional
        Respondent weights and calibration (e.g. ``rake(...).design``); the standard error then
        accounts for the raking. With ``scheme="pooled"`` the whole sample is one stratum; with a
        unit scheme the units are the strata.
    unit_weights : mapping, optional
        The strategic weights of ``scheme="custom"``.
    by : str or list, optional
        One overall score per group (e.g. per area).
    fpc : bool
        Finite population correction 1 - n_h/N_h per unit with N_h = its volume; under ``"pooled"``
        1 - n/N with N the sum of the volumes (of the group's units with ``by``).
    confidence : float
    cap : float
        Largest weight share of one unit under ``"capped"``.

    Returns
    -------
    DataFrame
        ``by`` keys, ``units``, ``n``, ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``moe``,
        ``n_eff`` (Kish), ``deff`` (n / n_eff), ``max_unit_weight``, ``scheme``, ``confidence``.

    Notes
    -----
    Unit schemes: Σ W_h ȳ_h with variance Σ W_h² (1 - f_h) s_h² / n_h (Cochran 1977, eq. 5.6),
    equal to R ``svymean`` on ``svydesign(ids=~1, strata=~unit, weights=~W_h/n_h, fpc=~N_h)``.
    Pooled: the plain estimate of :func:`workbench.estimate` (identical numbers; with ``fpc`` that of
    ``Design(population=ΣN_h)``, R ``svymean`` on ``svydesign(ids=~1, fpc=~N)``). Kish's
    effective sample size of the implied respondent weights: n_eff = (Σw)² / Σw² = 1 / Σ W_h²/n_h.
    Intervals are Wald intervals, clipped to the metric's range. With respondent weights the unit variances
    come from the linear-time engine of :mod:`workbench.stats.variance` (no respondents × units matrix);
    memory about 160 bytes a respondent plus 24 per calibration column, checked before the work starts.

    Raises
    ------
    ParameterError
        An unknown scheme, a scheme without the volumes or unit weights it needs, a cap that cannot
        hold, ``fpc`` without volumes.
    DataError
        Missing columns, units without volume, volumes below the responses, units without answers; data
        too large for memory under a weighted design.

    References
    ----------
    Cochran, W. G. (1977). Sampling Techniques, ch. 5. Kish, L. (1965). Survey Sampling.
    Lumley, T. (2010). Complex Surveys (R ``survey``).
    """
    metric = get_metric(metric)
    confidence = check_confidence(confidence)
    if scheme not in SCHEMES:
        raise ParameterError(f"Unknown scheme {scheme!r}; valid: {', '.join(map(repr, SCHEMES))}.")
    cap = check_in_range(cap, "cap", 0.0, 1.0)
    keys = as_key_list(by)
    frame = read_responses(data)
    check_columns(frame, [unit], role="unit column")
    resolved = _resolved_design(frame, design)
    z = stats.norm.ppf(0.5 + confidence / 2)
    if fpc and volumes is None:
        raise ParameterError("`fpc=True` needs `volumes` (the unit population sizes).")
    if scheme == "pooled":
        return _pooled(frame, metric, unit, keys, column, resolved, confidence, volumes if fpc else None)
    if resolved is None:
        table = _unit_level_table(frame, metric, unit, keys, column)
    else:
        table = _weighted_unit_level_table(frame, metric, unit, keys, column, resolved)
    if scheme in ("volume", "sqrt_volume", "capped"):
        empty = sorted(set(frame[unit].unique()) - set(table[unit]), key=str)
        if empty:
            raise DataError(f"Units {show_values(empty)} have rows but no answers; their volume cannot be represented. "
                            "Drop them or merge them with a similar unit.")
    group = table.groupby(keys, sort=True).ngroup().to_numpy() if keys else np.zeros(len(table), dtype=int)
    shares = np.empty(len(table))
    for g in np.unique(group):  # one small vector per group of units, not per response
        rows = group == g
        shares[rows] = unit_weight_shares(table.loc[rows, unit].reset_index(drop=True).rename(unit), scheme, volumes,
                                     unit_weights, cap, strict=not keys)
    n_resp = table["n"].to_numpy()
    unit_var = table["var"].to_numpy()
    if fpc:
        N = volume_table(volumes, unit).reindex(table[unit]).to_numpy()
        small = N < n_resp
        if np.isnan(N).any() or small.any():
            raise DataError(f"Units {show_values(table.loc[np.isnan(N) | small, unit].tolist())} have no volume or a volume "
                            "smaller than their responses; the finite population correction needs N_h >= n_h.")
        unit_var = unit_var * (1 - n_resp / N)
    table["_w"] = shares
    table["_contrib"] = shares * table["mean"]
    table["_var"] = shares**2 * unit_var
    table["_kish"] = shares**2 / n_resp
    grouped = table.groupby(keys, sort=True) if keys else table.assign(_g=0).groupby("_g")
    agg = grouped.agg(units=(unit, "size"), n=("n", "sum"), estimate=("_contrib", "sum"), var=("_var", "sum"),
                      kish=("_kish", "sum"), max_unit_weight=("_w", "max"))
    return _finish(agg.reset_index(drop=not keys), metric, scheme, confidence, z)


def _pooled(frame, metric, unit, keys, column, resolved: ResolvedDesign | None, confidence, volumes=None):
    """Every response counts once: the plain (or respondent-weighted) estimate of `estimate`, one pass.

    With ``volumes`` (``fpc=True``) the population of a group is the sum of its units' volumes: unweighted,
    each group is a simple random sample from it (1 - n/N); weighted, the groups are domains of one sample
    from the population of all units.
    """
    unit_counts = count(frame, metric, column=column, by=keys + [unit])
    coarse = (unit_counts.keys.groupby(keys, sort=True).ngroup().to_numpy() if keys
              else np.zeros(len(unit_counts.keys), dtype=int))
    if volumes is not None:
        N_unit = volume_table(volumes, unit).reindex(unit_counts.keys[unit]).to_numpy(float)
        if np.isnan(N_unit).any():
            absent = unit_counts.keys.loc[np.isnan(N_unit), unit].tolist()
            raise DataError(f"Units {show_values(absent)} have no volume; the finite population correction needs "
                            "every unit's population size.")
    if resolved is None:
        counts = unit_counts.aggregate(keys)
        population = None
        if volumes is not None:
            sizes = np.bincount(coarse, weights=N_unit, minlength=len(counts.keys))
            population = (float(sizes[0]) if not keys else
                          {tuple(k) if len(keys) > 1 else k[0]: v
                           for k, v in zip(counts.keys.itertuples(index=False, name=None), sizes)})
        result = estimate(counts, metric, method="wald", confidence=confidence,
                          design=Design(population=population) if population is not None else None)
        units = np.bincount(coarse[unit_counts.n > 0], minlength=len(counts.keys))[counts.n > 0]
        result.insert(len(keys), "units", units)
        result["n_eff"] = result["n"].astype(float)
    else:
        base = respondents(frame, metric, column=column, by=keys + [unit])
        grouped = base.keys.groupby(keys, sort=True) if keys else None
        coarse = grouped.ngroup().to_numpy() if keys else np.zeros(len(base.keys), dtype=int)
        key_frame = grouped.size().index.to_frame(index=False) if keys else pd.DataFrame(index=range(1))
        dont_know = np.bincount(coarse, weights=base.dont_know, minlength=len(key_frame))
        group = coarse[base.group]
        if volumes is not None:
            fpc = np.array([1 - len(frame) / N_unit.sum()])
            resolved = ResolvedDesign(resolved.weights, None, None, None, resolved.calibration,
                                      resolved.start_weights, design_structure(len(frame), None, None, fpc))
        result = design_results(frame, base, resolved, metric, method="wald", confidence=confidence, group=group,
                                keys=key_frame, dont_know=dont_know).drop(columns="df")
        result.insert(len(keys), "units", np.bincount(coarse, minlength=len(key_frame)))
        wb = resolved.weights[base.rows]
        result["n_eff"] = np.bincount(group, weights=wb) ** 2 / np.bincount(group, weights=wb**2)
    result["deff"] = result["n"] / result["n_eff"]
    result["max_unit_weight"] = np.nan
    result["scheme"] = "pooled"
    return result[keys + list(_OVERALL_COLUMNS)]


def _finish(agg: pd.DataFrame, metric: Metric, scheme: str, confidence: float, z: float) -> pd.DataFrame:
    lo, hi = metric.bounds
    se = np.sqrt(agg.pop("var").to_numpy(float))
    out = agg.copy()
    out["se"] = se
    out["ci_low"] = np.clip(out["estimate"] - z * se, lo, hi)
    out["ci_high"] = np.clip(out["estimate"] + z * se, lo, hi)
    out["moe"] = (out["ci_high"] - out["ci_low"]) / 2
    out["n_eff"] = 1 / out.pop("kish")
    out["deff"] = out["n"] / out["n_eff"]
    out["scheme"] = scheme
    out["confidence"] = confidence
    out["n"] = np.round(out["n"]).astype(np.int64)
    keys = [c for c in out.columns if c not in _OVERALL_COLUMNS]
    return out[keys + list(_OVERALL_COLUMNS)]


def contributions(
    data: pd.DataFrame | str | os.PathLike,
    metric: str | Metric,
    *,
    unit: str,
    scheme: str = "volume",
    volumes=None,
    design: Design | None = None,
    unit_weights: Mapping | None = None,
    column: str | None = None,
    by: str | Sequence[str] | None = None,
    confidence: float = 0.95,
    cap: float = 0.25,
    dominant_share: float = 0.5,
) -> pd.DataFrame:
    """Each unit's weight, its own estimate with interval, and its contribution to the overall score.

    Parameters
    ----------
    data : DataFrame or path
    metric : str or Metric
    unit, scheme, volumes, unit_weights, column, by, confidence, cap
        As in :func:`overall`.
    design : Design, optional
        Respondent weights (and calibration): each unit's own estimate is then weighted, and under
        ``scheme="pooled"`` a unit's weight is its share of the respondent weights.
    dominant_share : float
        A unit above this share of the weight is flagged (and warned about).

    Returns
    -------
    DataFrame
        The ``by`` keys and ``unit``, ``n``, ``estimate``, ``ci_low``, ``ci_high`` (the unit's
        own, default interval method), ``weight`` (its share of the total weight), ``contribution``
        (weight × estimate; they sum to the overall score), ``dominant`` and ``scheme``.

    Raises
    ------
    ParameterError, DataError
        As :func:`overall`.

    Notes
    -----
    With ``scheme="pooled"`` the weight is the unit's share of responses (of respondent weights
    with a weighted design). The contributions sum to :func:`overall`'s estimate (tested).

    References
    ----------
    Cochran, W. G. (1977). Sampling Techniques, ch. 5.
    """
    metric = get_metric(metric)
    dominant_share = check_in_range(dominant_share, "dominant_share", 0.0, 1.0)
    keys = as_key_list(by)
    frame = read_responses(data)
    design = as_design(design)
    _resolved_design(frame, design)  # same checks as `overall`
    own = estimate(frame, metric, column=column, by=keys + [unit], confidence=confidence,
                   design=design if design.is_weighted else None)
    if design.is_weighted:  # pooled weight of a unit: its share of the respondent weights
        base = respondents(frame, metric, column=column, by=keys + [unit])
        mass = np.bincount(base.group, weights=design.respondent_weights(frame)[base.rows], minlength=len(base.keys))
    else:
        mass = own["n"].to_numpy(float)
    group = own.groupby(keys, sort=True).ngroup().to_numpy() if keys else np.zeros(len(own), dtype=int)
    weight = np.empty(len(own))
    for g in np.unique(group):
        rows = group == g
        if scheme == "pooled":
            weight[rows] = mass[rows] / mass[rows].sum()
        else:
            weight[rows] = unit_weight_shares(own.loc[rows, unit].reset_index(drop=True).rename(unit), scheme, volumes,
                                              unit_weights, cap, strict=not keys)  # as `overall`
    result = own[keys + [unit, "n", "estimate", "ci_low", "ci_high"]].copy()
    result["weight"] = weight
    result["contribution"] = weight * result["estimate"]
    result["dominant"] = weight > dominant_share
    result["scheme"] = scheme
    shared = np.bincount(group)[group] > 1  # a unit alone in its group carries all of it: nothing to warn of
    if (result["dominant"] & shared).any():
        heavy = result.loc[result["dominant"] & shared, unit].tolist()
        warnings.warn(f"Units {show_values(heavy, 4)} carry more than {dominant_share:.0%} of the weight under {scheme!r}.",
                      WorkbenchWarning, stacklevel=2)
    return result


def sensitivity(
    data: pd.DataFrame | str | os.PathLike,
    metric: str | Metric,
    *,
    unit: str,
    volumes=None,
    schemes: Sequence[str] = ("pooled", "equal", "volume", "sqrt_volume", "capped"),
    unit_weights: Mapping | None = None,
    column: str | None = None,
    by: str | Sequence[str] | None = None,
    confidence: float = 0.95,
    cap: float = 0.25,
    fpc: bool = False,
) -> pd.DataFrame:
    """The overall score under every scheme side by side (one row per scheme and group).

    Parameters
    ----------
    data : DataFrame or path
    metric : str or Metric
    unit, volumes, unit_weights, column, by, confidence, cap, fpc, design
        As in :func:`overall`.
    schemes : sequence of str
        The schemes compared.

    Returns
    -------
    DataFrame
        :func:`overall`'s columns, one row per scheme (and group).

    Raises
    ------
    ParameterError, DataError
        As :func:`overall`.

    Notes
    -----
    ``fpc`` applies to every scheme (pooled: N is the sum of the volumes).

    References
    ----------
    Cochran, W. G. (1977). Sampling Techniques, ch. 5.
    """
    frames = [overall(data, metric, unit=unit, scheme=s, volumes=volumes, unit_weights=unit_weights, column=column,
                      by=by, confidence=confidence, cap=cap, fpc=fpc) for s in schemes]
    return pd.concat(frames, ignore_index=True)


