"""Volume weighting and raking: one defensible organisation-level score from many units.

Unit-weighted schemes are stratified estimators with the units as strata (Cochran 1977, ch. 5):
overall = Σ_h W_h ȳ_h with weight shares W_h, variance Σ_h W_h² (1 - f_h) s_h² / n_h, s_h² with
divisor n_h - 1, f_h = n_h / N_h under ``fpc=True``. This is what R ``survey``'s ``svymean``
computes for ``svydesign(ids = ~1, strata = ~unit, weights = ~W_h / n_h, fpc = ~N_h)``; the
agreement is pinned in ``tests/reference/weighting_*.csv`` with the R calls beside them.

Raking is the textbook iterative proportional fitting (Deming & Stephan 1940; Deville & Särndal
1992). Why not a library: Meta's ``balance`` pins numpy < 2, ``weightipy`` before 0.4.2 failed on
pandas 3, and ``svy`` 0.35 installs (with polars and a Rust core) but would route every call through
polars frames for an algorithm of twenty lines; the variance that accounts for raking is needed in
our own estimators anyway. Both are checked against R ``survey``'s ``rake`` + ``svymean``.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from ._validate import _show, as_key_list, check_columns, check_confidence, check_in_range, check_positive
from .counting import count, read_responses, respondents
from .errors import ConvergenceError, DataError, ParameterError, WorkbenchWarning
from .estimation import estimate, weighted_results
from .scales import Metric, get_metric

__all__ = ["SCHEMES", "RakeResult", "rake", "overall", "contributions", "sensitivity", "weighting_advice",
           "volumes_by"]

SCHEMES = ("pooled", "equal", "volume", "sqrt_volume", "custom", "capped")
_OVERALL_COLUMNS = ("units", "n", "estimate", "se", "ci_low", "ci_high", "moe", "n_eff", "deff", "max_unit_weight",
                    "scheme", "confidence")


# --- Raking -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class RakeResult:
    """Raked respondent weights (mean 1) with the margins they match.

    Pass the whole result as ``weights=`` to :func:`workbench.estimate` or :func:`overall`:
    the standard error then accounts for the raking (calibration residuals).
    """

    weights: np.ndarray
    variables: tuple[str, ...]
    iterations: int
    max_error: float
    fit: pd.DataFrame = field(repr=False)
    design: pd.DataFrame = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        return self.fit.copy()


def _margin_tables(margins, frame: pd.DataFrame) -> dict[str, pd.Series]:
    """Margins as {variable: Series(category -> target share)} with every check of the inputs."""
    if isinstance(margins, pd.DataFrame):
        check_columns(margins, ["variable", "category"], role="margin column")
        value = "share" if "share" in margins else ("count" if "count" in margins else None)
        if value is None:
            raise DataError("Margin table needs a `share` or a `count` column.")
        margins = {v: dict(zip(part["category"], part[value])) for v, part in margins.groupby("variable", sort=False)}
    if not isinstance(margins, Mapping) or not margins:
        raise ParameterError("`margins` must map each variable to {category: share or count}.")
    check_columns(frame, list(margins), role="margin variable")
    tables, totals = {}, {}
    for variable, targets in margins.items():
        series = pd.Series(dict(targets), dtype=float)
        if (series < 0).any() or not np.isfinite(series).all() or series.sum() <= 0:
            raise DataError(f"Margin {variable!r} must hold non-negative numbers with a positive total; got {series.to_dict()}.")
        present = pd.unique(frame[variable].dropna())
        absent = [c for c in series.index if c not in set(present) and series[c] > 0]
        if absent:
            raise DataError(f"Margin {variable!r} has categories {_show(absent)} that no respondent has "
                            f"({len(frame)} rows); merge them or drop them from the margins.")
        unknown = [c for c in present if c not in set(series.index)]
        if unknown:
            rows = int(frame[variable].isin(unknown).sum())
            raise DataError(f"Column {variable!r} has categories {_show(unknown)} in {rows} rows that the margins do "
                            f"not list; the margins list {_show(series.index)}.")
        if frame[variable].isna().any():
            raise DataError(f"Margin variable {variable!r} has {int(frame[variable].isna().sum())} missing values.")
        totals[variable] = series.sum()
        tables[variable] = series
    values = np.array(list(totals.values()))
    counts_given = not np.allclose(values, 1.0, atol=1e-6)
    if counts_given and not np.allclose(values, values[0], rtol=1e-6):
        raise DataError(f"Margins do not describe the same total: {totals}.")
    return {v: t / t.sum() for v, t in tables.items()}


def rake(
    data: pd.DataFrame | str | os.PathLike,
    margins: Mapping[str, Mapping] | pd.DataFrame,
    *,
    weights: str | np.ndarray | None = None,
    max_iter: int = 100,
    tol: float = 1e-10,
    bounds: tuple[float, float] | None = None,
) -> RakeResult:
    """Rake respondent weights to population margins (iterative proportional fitting).

    Parameters
    ----------
    data : DataFrame or path
        One row per respondent.
    margins : mapping or DataFrame
        ``{variable: {category: share or count}}`` or a table with ``variable``, ``category`` and
        ``share`` (or ``count``) columns. Shares of a variable are normalised; counts must give
        every variable the same total.
    weights : column name or array, optional
        Starting (design) weights; default 1.
    max_iter : int
        Largest number of full cycles over the margins.
    tol : float
        Convergence: the largest absolute difference between achieved and target shares.
    bounds : (low, high), optional
        Trim weights to [low, high] times the mean weight, then rake again, until both hold.

    Returns
    -------
    RakeResult
        ``weights`` (mean 1), ``iterations``, ``max_error`` and ``fit`` (target and achieved share
        per category).

    Raises
    ------
    DataError
        A margin category no respondent has, a respondent category the margins lack, margins with
        different totals, missing values.
    ConvergenceError
        No convergence within ``max_iter`` cycles (e.g. bounds that cannot hold together).

    Notes
    -----
    Each cycle multiplies the weights of each category of each variable in turn by target /
    achieved share (Deming & Stephan 1940). The result matches R ``survey::rake`` on the same
    margins (``tests/reference/weighting_rake.csv``).
    """
    frame = read_responses(data)
    max_iter = check_positive(max_iter, "max_iter", integer=True)
    tol = check_positive(tol, "tol")
    tables = _margin_tables(margins, frame)
    n = len(frame)
    if weights is None:
        base = np.ones(n)
    elif isinstance(weights, str):
        check_columns(frame, [weights], role="weight column")
        base = frame[weights].to_numpy(dtype=float)
    else:
        base = np.asarray(weights, dtype=float)
    if base.shape != (n,) or not np.isfinite(base).all() or (base <= 0).any():
        raise DataError(f"Starting weights must be {n} positive numbers.")
    if bounds is not None:
        low, high = bounds
        check_positive(low, "bounds[0]")
        if not high > 1 > low:
            raise ParameterError(f"`bounds` must satisfy low < 1 < high; got {bounds!r}.")
    codes, targets = [], []
    for variable, table in tables.items():
        c = pd.Categorical(frame[variable], categories=table.index).codes.astype(np.int64)
        codes.append(c)
        targets.append(table.to_numpy())
    w = base / base.mean()
    total_iterations = 0
    for _attempt in range(max_iter):
        error = np.inf
        for iteration in range(1, max_iter + 1):
            for c, t in zip(codes, targets):
                achieved = np.bincount(c, weights=w, minlength=len(t)) / w.sum()
                w = w * np.where(achieved[c] > 0, t[c] / achieved[c], 1.0)
            error = max(np.abs(np.bincount(c, weights=w, minlength=len(t)) / w.sum() - t).max()
                        for c, t in zip(codes, targets))
            if error < tol:
                break
        total_iterations += iteration
        if error >= tol:
            raise ConvergenceError(f"Raking did not converge in {max_iter} cycles (largest share error {error:.2e}).")
        w = w / w.mean()
        if bounds is None or ((w >= bounds[0] - 1e-12).all() and (w <= bounds[1] + 1e-12).all()):
            break
        w = np.clip(w, bounds[0], bounds[1])
    else:
        raise ConvergenceError(f"Trimming to bounds {bounds} and raking did not settle in {max_iter} rounds.")
    fit_rows = []
    for (variable, table), c in zip(tables.items(), codes):
        achieved = np.bincount(c, weights=w, minlength=len(table)) / w.sum()
        for category, target, got in zip(table.index, table.to_numpy(), achieved):
            fit_rows.append((variable, category, target, got))
    fit = pd.DataFrame(fit_rows, columns=["variable", "category", "target", "achieved"])
    return RakeResult(w, tuple(tables), total_iterations, float(error), fit, frame[list(tables)].copy())


def _calibration_matrix(result: RakeResult) -> np.ndarray:
    """Indicator columns of every margin category (the auxiliaries of the calibration)."""
    blocks = [pd.get_dummies(result.design[v].astype("category")).to_numpy(dtype=float) for v in result.variables]
    return np.hstack(blocks)


def weighted_linearisation(y: np.ndarray, w: np.ndarray, group: np.ndarray, n_groups: int,
                           calibration: np.ndarray | None = None, strata: np.ndarray | None = None) -> tuple:
    """Weighted means per group and their linearisation variances, in one vectorised pass.

    The influence value of respondent i on the mean of its group g is u_i = (y_i - ȳ_g) / Σ_g w.
    With calibration auxiliaries X (raking), u is replaced by its residual from the weighted
    regression on X (the GREG projection, Deville & Särndal 1992). The variance is that of the
    weighted total of u under with-replacement sampling of respondents (within strata if given):
    n_h/(n_h - 1) Σ_h Σ_i (w_i u_i - mean_h)², as R ``survey`` computes it.
    """
    wsum = np.bincount(group, weights=w, minlength=n_groups)
    mean = np.bincount(group, weights=w * y, minlength=n_groups) / wsum
    u = np.zeros((len(y), n_groups))
    u[np.arange(len(y)), group] = (y - mean[group]) / wsum[group]
    if calibration is not None:
        xw = calibration * w[:, None]
        beta = np.linalg.pinv(calibration.T @ xw) @ (xw.T @ u)
        u = u - calibration @ beta
    z = u * w[:, None]
    if strata is None:
        strata = np.zeros(len(y), dtype=np.int64)
    n_h = np.bincount(strata)
    means = np.zeros((len(n_h), n_groups))
    np.add.at(means, strata, z)
    means /= np.maximum(n_h, 1)[:, None]
    dev = z - means[strata]
    factor = np.where(n_h > 1, n_h / np.maximum(n_h - 1, 1), 0.0)
    variance = (factor[strata][:, None] * dev**2).sum(axis=0)
    return mean, variance


def volumes_by(volumes: pd.DataFrame, level: str, *, value: str = "customers_per_year") -> pd.DataFrame:
    """Volumes summed to a coarser level (e.g. areas from area × service units)."""
    check_columns(volumes, [level, value], role="volume column")
    values = pd.to_numeric(volumes[value], errors="coerce")
    if values.isna().any() or (values <= 0).any():
        raise DataError(f"Column {value!r} must hold positive volumes ({int((values.isna() | (values <= 0)).sum())} rows do not).")
    return volumes.assign(**{value: values}).groupby(level, sort=True, as_index=False)[value].sum()


# --- Unit-weighted overall scores ---------------------------------------------------------------

def _volume_table(volumes, unit: str) -> pd.Series:
    if volumes is None:
        raise ParameterError("This scheme needs `volumes` (a mapping unit -> volume or a DataFrame).")
    if isinstance(volumes, pd.DataFrame):
        value_cols = [c for c in volumes.columns if c != unit]
        check_columns(volumes, [unit], role="unit column of `volumes`")
        if len(value_cols) != 1:
            candidates = [c for c in value_cols if pd.api.types.is_numeric_dtype(volumes[c])]
            if len(candidates) != 1:
                raise DataError(f"`volumes` must have the unit column and one numeric volume column; got {list(volumes.columns)}.")
            value_cols = candidates
        series = volumes.set_index(unit)[value_cols[0]]
        if series.index.duplicated().any():
            dup = series.index[series.index.duplicated()].unique().tolist()
            raise DataError(f"`volumes` lists units {_show(dup)} more than once.")
    elif isinstance(volumes, Mapping):
        series = pd.Series(dict(volumes))
    else:
        raise ParameterError(f"`volumes` must be a mapping or a DataFrame; got {type(volumes).__name__}.")
    return pd.to_numeric(series, errors="coerce").astype(float)


def _unit_weights(units: pd.Series, scheme: str, volumes, weights, cap: float, strict: bool = True) -> np.ndarray:
    """Weight share W_h of each unit under a scheme (sums to 1 within the group)."""
    k = len(units)
    if scheme == "equal":
        raw = np.ones(k)
    elif scheme in ("volume", "sqrt_volume", "capped"):
        table = _volume_table(volumes, units.name)
        missing = [u for u in units if u not in table.index]
        if missing:
            raise DataError(f"Units {_show(missing)} have no volume ({len(missing)} of {k} units).")
        raw = table.reindex(units).to_numpy()
        bad = ~np.isfinite(raw) | (raw <= 0)
        if bad.any():
            raise DataError(f"Volumes must be positive; units {_show(units[bad].tolist())} have {_show(raw[bad])}.")
        raw = np.sqrt(raw) if scheme == "sqrt_volume" else raw
        if scheme == "capped":
            if not strict and cap * k < 1:
                warnings.warn(f"A cap of {cap:g} cannot hold for the {k} units {_show(units.tolist(), 3)}; "
                              f"they get equal weights (1/{k}).", WorkbenchWarning, stacklevel=3)
                return np.full(k, 1 / k)
            return _cap(raw / raw.sum(), cap)
    elif scheme == "custom":
        if weights is None:
            raise ParameterError("Scheme 'custom' needs `weights`: a mapping from unit to weight.")
        table = pd.Series(dict(weights), dtype=float) if isinstance(weights, Mapping) else None
        if table is None:
            raise ParameterError("Scheme 'custom' takes `weights` as a mapping from unit to weight.")
        missing = [u for u in units if u not in table.index]
        if missing:
            raise DataError(f"Units {_show(missing)} have no custom weight ({len(missing)} of {k} units).")
        raw = table.reindex(units).to_numpy()
        if (~np.isfinite(raw) | (raw < 0)).any():
            raise DataError(f"Custom weights must be non-negative numbers; got {_show(raw)}.")
        if raw.sum() <= 0:
            raise DataError(f"Custom weights sum to {raw.sum():g}; they must have a positive total.")
    else:
        raise ParameterError(f"Unknown scheme {scheme!r}; valid: {', '.join(map(repr, SCHEMES))}.")
    return raw / raw.sum()


def _cap(shares: np.ndarray, cap: float) -> np.ndarray:
    """Cap each share at `cap`, giving the excess to the uncapped units in proportion (water-filling)."""
    if cap * len(shares) < 1:
        raise ParameterError(f"A cap of {cap:g} cannot hold for {len(shares)} units (the shares must sum to 1).")
    w = shares.copy()
    for _ in range(len(w)):
        over = w > cap + 1e-15
        if not over.any():
            break
        fixed = over | np.isclose(w, cap)
        excess = (w[over] - cap).sum()
        w[over] = cap
        free = ~fixed
        w[free] += excess * w[free] / w[free].sum()
    return w


def _respondent_weights(frame: pd.DataFrame, weights):
    if weights is None:
        return None, None
    if isinstance(weights, RakeResult):
        if len(weights.weights) != len(frame):
            raise DataError(f"The raked weights are for {len(weights.weights)} rows; the data has {len(frame)}.")
        return weights.weights, _calibration_matrix(weights)
    if isinstance(weights, str):
        check_columns(frame, [weights], role="weight column")
        w = frame[weights].to_numpy(dtype=float)
    else:
        w = np.asarray(weights, dtype=float)
    if w.shape != (len(frame),) or not np.isfinite(w).all() or (w <= 0).any():
        raise DataError(f"Respondent weights must be {len(frame)} positive numbers.")
    return w, None


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


def _weighted_unit_level_table(frame, metric, unit, keys, column, w, calibration):
    """Per (by, unit): n, weighted mean and its linearisation variance (respondents within units), one pass."""
    base = respondents(frame, metric, column=column, by=keys + [unit])
    cal = calibration[base.rows] if calibration is not None else None
    mean, variance = weighted_linearisation(base.scores, w[base.rows], base.group, len(base.keys), cal,
                                            strata=base.group)
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
    weights=None,
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
    weights : column name, array or RakeResult, optional
        Respondent weights (e.g. from :func:`rake`). A RakeResult makes the standard error
        account for the raking. With ``scheme="pooled"`` the whole sample is one stratum.
    unit_weights : mapping, optional
        The strategic weights of ``scheme="custom"``.
    by : str or list, optional
        One overall score per group (e.g. per area).
    fpc : bool
        Finite population correction per unit with N_h = its volume.
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
    Pooled: the plain estimate of :func:`workbench.estimate` (identical numbers). Kish's
    effective sample size of the implied respondent weights: n_eff = (Σw)² / Σw² = 1 / Σ W_h²/n_h.
    Intervals are Wald intervals, clipped to the metric's range.
    """
    metric = get_metric(metric)
    confidence = check_confidence(confidence)
    if scheme not in SCHEMES:
        raise ParameterError(f"Unknown scheme {scheme!r}; valid: {', '.join(map(repr, SCHEMES))}.")
    cap = check_in_range(cap, "cap", 0.0, 1.0)
    keys = as_key_list(by)
    frame = read_responses(data)
    check_columns(frame, [unit], role="unit column")
    w, calibration = _respondent_weights(frame, weights)
    z = stats.norm.ppf(0.5 + confidence / 2)
    if scheme == "pooled":
        return _pooled(frame, metric, unit, keys, column, w, calibration, confidence)
    if w is None:
        table = _unit_level_table(frame, metric, unit, keys, column)
    else:
        table = _weighted_unit_level_table(frame, metric, unit, keys, column, w, calibration)
    if scheme in ("volume", "sqrt_volume", "capped"):
        empty = sorted(set(frame[unit].unique()) - set(table[unit]), key=str)
        if empty:
            raise DataError(f"Units {_show(empty)} have rows but no answers; their volume cannot be represented. "
                            "Drop them or merge them with a similar unit.")
    group = table.groupby(keys, sort=True).ngroup().to_numpy() if keys else np.zeros(len(table), dtype=int)
    shares = np.empty(len(table))
    for g in np.unique(group):  # one small vector per group of units, not per response
        rows = group == g
        shares[rows] = _unit_weights(table.loc[rows, unit].reset_index(drop=True).rename(unit), scheme, volumes,
                                     unit_weights, cap, strict=not keys)
    n_resp = table["n"].to_numpy()
    unit_var = table["var"].to_numpy()
    if fpc:
        if volumes is None:
            raise ParameterError("`fpc=True` needs `volumes` (the unit population sizes).")
        N = _volume_table(volumes, unit).reindex(table[unit]).to_numpy()
        small = N < n_resp
        if np.isnan(N).any() or small.any():
            raise DataError(f"Units {_show(table.loc[np.isnan(N) | small, unit].tolist())} have no volume or a volume "
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


def _pooled(frame, metric, unit, keys, column, w, calibration, confidence):
    """Every response counts once: the plain (or respondent-weighted) estimate of `estimate`, one pass."""
    if w is None:
        unit_counts = count(frame, metric, column=column, by=keys + [unit])
        counts = unit_counts.aggregate(keys)
        result = estimate(counts, metric, method="wald", confidence=confidence)
        coarse = unit_counts.keys.groupby(keys, sort=True).ngroup().to_numpy() if keys else np.zeros(len(unit_counts.keys), dtype=int)
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
        result = weighted_results(base, group, key_frame, dont_know, w, calibration, metric, confidence)
        result.insert(len(keys), "units", np.bincount(coarse, minlength=len(key_frame)))
        wb = w[base.rows]
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
    unit_weights: Mapping | None = None,
    column: str | None = None,
    by: str | Sequence[str] | None = None,
    confidence: float = 0.95,
    cap: float = 0.25,
    dominant_share: float = 0.5,
) -> pd.DataFrame:
    """Each unit's weight, its own estimate with interval, and its contribution to the overall score.

    Returns the ``by`` keys and ``unit``, ``n``, ``estimate``, ``ci_low``, ``ci_high`` (the unit's
    own, default interval method), ``weight`` (its share of the total weight), ``contribution``
    (weight × estimate; they sum to the overall score) and ``dominant`` (weight above
    ``dominant_share``). With ``scheme="pooled"`` the weight is the unit's share of responses.
    """
    metric = get_metric(metric)
    dominant_share = check_in_range(dominant_share, "dominant_share", 0.0, 1.0)
    keys = as_key_list(by)
    frame = read_responses(data)
    own = estimate(frame, metric, column=column, by=keys + [unit], confidence=confidence)
    group = own.groupby(keys, sort=True).ngroup().to_numpy() if keys else np.zeros(len(own), dtype=int)
    weight = np.empty(len(own))
    for g in np.unique(group):
        rows = group == g
        if scheme == "pooled":
            n = own.loc[rows, "n"].to_numpy(float)
            weight[rows] = n / n.sum()
        else:
            weight[rows] = _unit_weights(own.loc[rows, unit].reset_index(drop=True).rename(unit), scheme, volumes,
                                         unit_weights, cap)
    result = own[keys + [unit, "n", "estimate", "ci_low", "ci_high"]].copy()
    result["weight"] = weight
    result["contribution"] = weight * result["estimate"]
    result["dominant"] = weight > dominant_share
    result["scheme"] = scheme
    if result["dominant"].any():
        heavy = result.loc[result["dominant"], unit].tolist()
        warnings.warn(f"Units {_show(heavy, 4)} carry more than {dominant_share:.0%} of the weight under {scheme!r}.",
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
    """The overall score under every scheme side by side (one row per scheme and group)."""
    frames = [overall(data, metric, unit=unit, scheme=s, volumes=volumes, unit_weights=unit_weights, column=column,
                      by=by, confidence=confidence, cap=cap, fpc=fpc and s != "pooled") for s in schemes]
    return pd.concat(frames, ignore_index=True)


def weighting_advice(table: pd.DataFrame, *, max_unit_weight: float = 0.5) -> str:
    """A plain-language recommendation from a :func:`sensitivity` table (one group).

    Rule: (1) if under volume weights one unit carries more than ``max_unit_weight`` of the total,
    the overall score mostly describes that unit — do not publish one overall score; (2) if the
    schemes' estimates spread more than the volume-weighted margin of error, the choice of weights
    changes the conclusion — publish unit or service results and, if one number is required, use
    volume weights (it describes the area's customers) and say so; (3) otherwise the choice does not
    matter at this precision — use volume weights.
    """
    check_columns(table, ["scheme", "estimate", "moe", "max_unit_weight"])
    by_scheme = table.set_index("scheme")
    if "volume" not in by_scheme.index:
        raise ParameterError("`weighting_advice` needs the 'volume' scheme in the table.")
    vol = by_scheme.loc["volume"]
    spread = table["estimate"].max() - table["estimate"].min()
    if vol["max_unit_weight"] > max_unit_weight:
        return (f"Do not publish one overall score: one unit carries {vol['max_unit_weight']:.0%} of the volume, so the "
                "overall mainly describes that unit. Publish unit results.")
    if spread > vol["moe"]:
        return (f"The weighting changes the result: the schemes differ by {spread:.1f} points, more than the margin "
                f"±{vol['moe']:.1f}. Publish unit or service results; if one number is required, weight by volume "
                "(it describes the area's customers) and state the weighting.")
    return (f"The weighting does not change the conclusion: the schemes differ by {spread:.1f} points, within the "
            f"margin ±{vol['moe']:.1f}. Weight by volume.")
