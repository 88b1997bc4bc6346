"""Raking: respondent weights that reproduce population margins (iterative proportional fitting).

Raking is the textbook iterative proportional fitting (Deming & Stephan 1940; Deville & Särndal
1992). Why not a library: Meta's ``balance`` pins numpy < 2, ``weightipy`` before 0.4.2 failed on
pandas 3, and ``svy`` 0.35 installs (with polars and a Rust core) but would route every call through
polars frames for an algorithm of twenty lines; the variance that accounts for raking is needed in
our own estimators anyway (:mod:`workbench.stats.design`). Both are checked against R ``survey``'s
``rake`` + ``svymean``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import dataclasses
import functools

import numpy as np
import pandas as pd

from .._validate import check_columns, check_memory, check_positive, check_weights, show_values
from ..data.readers import read_responses
from ..errors import ConvergenceError, DataError, ParameterError
from ..stats.design import Calibration, Design, as_design
from ..stats.variance import IndicatorBlocks

__all__ = ["RakeResult", "rake", "calibration_matrix"]


@dataclass(frozen=True)
class RakeResult:
    """Raked respondent weights (mean 1) with the margins they match.

    Attributes
    ----------
    weights : ndarray
        The raked weights, aligned with the data's rows, mean 1.
    start_weights : ndarray
        The weights raking started from (mean 1).
    variables : tuple of str
        The margin variables.
    iterations : int
    max_error : float
        Largest absolute difference between an achieved and a target share.
    fit : DataFrame
        ``variable``, ``category``, ``target``, ``achieved``.
    margin_data : DataFrame
        The margin variables of every respondent (for the calibration auxiliaries).
    total : float or None
        The population total the design's weights sum to: the margins' total when they are counts,
        else the total of the starting weights; None (weights sum to the respondents) without either.
    base_design : Design or None
        The design raking started from (its strata, clusters and population sizes carry over).

    Notes
    -----
    ``result.design`` is the :class:`workbench.Design` to pass as ``design=`` to
    :func:`workbench.estimate`, :func:`workbench.total`, :func:`workbench.overall`,
    :func:`workbench.contributions` or :func:`workbench.compare`: its standard errors account for the
    raking, its weights are on the population scale (``total``).
    """

    weights: np.ndarray = field(repr=False)
    start_weights: np.ndarray = field(repr=False)
    variables: tuple[str, ...]
    iterations: int
    max_error: float
    fit: pd.DataFrame = field(repr=False)
    margin_data: pd.DataFrame = field(repr=False)
    total: float | None = None
    base_design: Design | None = field(default=None, repr=False)

    @functools.cached_property
    def design(self) -> Design:
        """The calibrated design: raked weights (population scale) plus the calibration they came from."""
        scale = self.total / len(self.weights) if self.total is not None else 1.0
        blocks = [pd.factorize(self.margin_data[v], sort=True) for v in self.variables]
        auxiliaries = IndicatorBlocks(tuple(codes.astype(np.int64) for codes, _ in blocks),
                                      tuple(len(labels) for _, labels in blocks))
        calibration = Calibration(auxiliaries, self.start_weights, self.variables)
        base = self.base_design or Design()
        return dataclasses.replace(base, weights=self.weights * scale, calibration=calibration)

    def to_frame(self) -> pd.DataFrame:
        """The fit table: target and achieved share per margin category."""
        return self.fit.copy()


def _margin_tables(margins, frame: pd.DataFrame) -> tuple[dict[str, pd.Series], float | None]:
    """Margins as {variable: Series(category -> target share)} with every check, and their total if counts."""
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
            raise DataError(f"Margin {variable!r} has categories {show_values(absent)} that no respondent has "
                            f"({len(frame)} rows); merge them or drop them from the margins.")
        unknown = [c for c in present if c not in set(series.index)]
        if unknown:
            rows = int(frame[variable].isin(unknown).sum())
            raise DataError(f"Column {variable!r} has categories {show_values(unknown)} in {rows} rows that the margins do "
                            f"not list; the margins list {show_values(series.index)}.")
        if frame[variable].isna().any():
            raise DataError(f"Margin variable {variable!r} has {int(frame[variable].isna().sum())} missing values.")
        totals[variable] = series.sum()
        tables[variable] = series
    values = np.array(list(totals.values()))
    counts_given = not np.allclose(values, 1.0, atol=1e-6)
    if counts_given and not np.allclose(values, values[0], rtol=1e-6):
        raise DataError(f"Margins do not describe the same total: {totals}.")
    return {v: t / t.sum() for v, t in tables.items()}, (float(values[0]) if counts_given else None)


def rake(
    data: pd.DataFrame | str | os.PathLike,
    margins: Mapping[str, Mapping] | pd.DataFrame,
    *,
    weights: str | np.ndarray | None = None,
    design: Design | None = None,
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
        Starting (design) weights; default 1. Finite and non-negative, as every weight.
    design : Design, optional
        The starting design instead of ``weights``: its weights (or N_h/n_h from its population sizes)
        start the raking, and its strata, clusters and population sizes carry over to ``result.design``
        (R: ``rake(svydesign(...), ...)``).
    max_iter : int
        Largest number of full cycles over the margins.
    tol : float
        Convergence: the largest absolute difference between achieved and target shares.
    bounds : (low, high), optional
        Trim weights to [low, high] times the mean weight, then rake again, until both hold.

    Returns
    -------
    RakeResult
        ``weights`` (mean 1), ``iterations``, ``max_error``, ``fit`` (target and achieved share
        per category) and ``design`` (weights on the population scale, with the calibration).

    Raises
    ------
    DataError
        A margin category no respondent has, a respondent category the margins lack, margins with
        different totals, missing values; data too large for memory.
    ParameterError
        Both ``weights`` and ``design``; bounds that do not bracket 1.
    ConvergenceError
        No convergence within ``max_iter`` cycles (e.g. bounds that cannot hold together).

    Notes
    -----
    Each cycle multiplies the weights of each category of each variable in turn by target /
    achieved share (Deming & Stephan 1940). The result matches R ``survey::rake`` on the same
    margins (``tests/reference/weighting_raked_weights.csv``, made by
    ``tests/reference/weighting.R``) and, fully converged, R's ``?rake`` example
    (``tests/reference/r/survey_rake_weights.csv``). Memory: the data plus about 40 bytes a respondent
    and 8 per margin category (a clear error when that is more than is available).

    References
    ----------
    Deming, W. E. & Stephan, F. F. (1940). On a least squares adjustment of a sampled frequency
    table when the expected marginal totals are known. Annals of Mathematical Statistics 11(4).
    Deville, J.-C. & Särndal, C.-E. (1992). Calibration estimators in survey sampling. JASA 87(418).
    """
    frame = read_responses(data)
    max_iter = check_positive(max_iter, "max_iter", integer=True)
    tol = check_positive(tol, "tol")
    tables, margin_total = _margin_tables(margins, frame)
    check_memory(len(frame), 40 + 8 * sum(len(t) for t in tables.values()), "Raking")
    if weights is not None and design is not None:
        raise ParameterError("Pass the starting weights in `weights` or in `design`, not both.")
    base_design = None if design is None else as_design(design)
    if base_design is not None:
        if base_design.calibration is not None:
            raise ParameterError("`design` is already calibrated; rake from the design it started from.")
        base = base_design.resolve(frame).weights
    else:
        base = np.ones(len(frame)) if weights is None else check_weights(frame, weights)
    start_total = None if weights is None and base_design is None else float(base.sum())
    total = margin_total if margin_total is not None else start_total
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
    return RakeResult(w, base / base.mean(), tuple(tables), total_iterations, float(error), fit,
                      frame[list(tables)].copy(), total, base_design)


def calibration_matrix(margin_data: pd.DataFrame, variables: tuple[str, ...]) -> np.ndarray:
    """Indicator columns of every margin category (the auxiliaries of the calibration).

    Parameters
    ----------
    margin_data : DataFrame
        The margin variables of every respondent.
    variables : tuple of str

    Returns
    -------
    ndarray, shape (respondents, categories)

    Raises
    ------
    KeyError
        A variable that is not a column.

    Notes
    -----
    Raking is calibration on these indicators with the raking distance (Deville & Särndal 1992).

    References
    ----------
    Deville, J.-C. & Särndal, C.-E. (1992). JASA 87(418).
    """
    blocks = []
    for v in variables:
        codes, categories = pd.factorize(margin_data[v], sort=True)
        block = np.zeros((len(codes), len(categories)))
        block[np.arange(len(codes)), codes] = 1.0
        blocks.append(block)
    return np.hstack(blocks)


