"""The survey design: one object that carries weights, calibration, strata, clusters and population sizes.

Every estimator takes it through one keyword, ``design=``, as R ``survey`` carries its
``svydesign`` object into ``svymean``, so no estimate can forget the design (DESIGN.md,
principle 3)::

    >>> import numpy as np, pandas as pd, workbench as wb
    >>> df = pd.DataFrame({"nps": [10, 9, 3, 8, 10, 0], "w": [1.0, 2.0, 1.0, 1.0, 2.0, 1.0]})
    >>> round(float(wb.estimate(df, "nps", design=wb.Design(weights="w")).loc[0, "estimate"]), 2)
    37.5

A design is resolved against the rows of one data frame (:meth:`Design.resolve`); the variance engine
(:mod:`workbench.stats.variance`) then works on those arrays in time and memory linear in the rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._validate import check_columns, check_weights, show_values
from ..errors import DataError, ParameterError
from .variance import (DesignStructure, IndicatorBlocks, calibration_residuals, design_structure,
                       linearised_variance, stratified_total_variance)

__all__ = ["Calibration", "Design", "ResolvedDesign", "as_design", "calibration_residuals", "linearised_variance",
           "stratified_total_variance"]


@dataclass(frozen=True)
class Calibration:
    """What calibration (raking) fixed: the auxiliary indicators and the weights before it.

    Attributes
    ----------
    auxiliaries : ndarray, shape (rows, columns), or IndicatorBlocks
        The calibration's auxiliary variables, aligned with the data's rows: a matrix, or for raking the
        category of every margin variable (:class:`~workbench.stats.variance.IndicatorBlocks`, the 0/1
        columns without building them).
    start_weights : ndarray, shape (rows,)
        The respondent weights before calibration (ones when raking started from none); the calibration
        residuals are regressed with these weights, as R ``calibrate`` and Deville & Särndal (1992) do.
    variables : tuple of str
        The margin variables.
    """

    auxiliaries: np.ndarray | IndicatorBlocks = field(repr=False)
    start_weights: np.ndarray = field(repr=False)
    variables: tuple[str, ...] = ()

    def matrix(self) -> np.ndarray:
        """The auxiliaries as a dense rows × columns matrix."""
        aux = self.auxiliaries
        return aux.dense() if isinstance(aux, IndicatorBlocks) else np.asarray(aux, dtype=float)


@dataclass(frozen=True)
class ResolvedDesign:
    """A design resolved against the rows of one data frame: every array aligned with those rows.

    Attributes
    ----------
    weights : ndarray
        Respondent weights (from the design, or N_h / n_h from the population sizes, or ones).
    strata : ndarray of int or None
        Stratum code of each row (sorted stratum labels).
    clusters : ndarray of int or None
        Cluster (PSU) code of each row.
    population : ndarray or None
        Population size per stratum (PSUs with clusters), for the finite population correction.
    calibration : ndarray, IndicatorBlocks or None
        Calibration auxiliaries (rows × columns, or category codes).
    start_weights : ndarray or None
        Weights before calibration.
    structure : DesignStructure
        PSUs within strata with their variance factors (every row of the frame is in the sample).
    """

    weights: np.ndarray = field(repr=False)
    strata: np.ndarray | None = field(repr=False)
    clusters: np.ndarray | None = field(repr=False)
    population: np.ndarray | None = field(repr=False)
    calibration: np.ndarray | IndicatorBlocks | None = field(repr=False)
    start_weights: np.ndarray | None = field(repr=False)
    structure: DesignStructure = field(repr=False)

    @property
    def df(self) -> int:
        """Design degrees of freedom: PSUs minus strata (R ``degf``)."""
        return self.structure.df


@dataclass(frozen=True)
class Design:
    """How the respondents represent the population (R ``survey``'s ``svydesign``).

    Parameters
    ----------
    weights : column name or array, optional
        Respondent weights, aligned with the rows of the data the design is used with. None: computed
        from ``population`` as N_h / n_h (as ``svydesign`` does from ``fpc``), or all equal.
    strata : str, optional
        The stratum column; variances are computed within strata.
    population : column name, mapping or number, optional
        Population size N for the finite population correction 1 - n/N. In a respondent-level design
        (weights, strata, clusters or calibration): per stratum — a column constant within strata, a
        mapping from stratum to size, or one number without strata; with clusters, the number of
        clusters in the population. In a design with nothing else: per estimated group (a column
        constant within groups, a mapping from group key to size, or one number), each group being
        its own simple random sample.
    calibration : Calibration, optional
        Set by :func:`workbench.rake`; the standard error then accounts for the calibration.
    clusters : str, optional
        The primary sampling unit column (one-stage cluster sampling within strata): influence values are
        summed to clusters before the variance, and the degrees of freedom are clusters minus strata.

    Notes
    -----
    ``Design()`` is simple random sampling with replacement. Without weights, strata, clusters or
    calibration, every group of ``by`` is its own simple random sample (R: ``svymean`` on each group's
    rows, which equals ``svyby`` with the groups as strata) and estimates come from counts. With any of
    them, the groups of ``by`` are domains of one design (R ``svyby``): respondents of other groups are
    zeros in the variance, and respondents outside the base (don't know, empty) are in the sample but
    outside the domain, as ``svymean(..., na.rm=TRUE)`` treats them. A raked result is used as
    ``design=raked.design`` (or ``design=raked``).
    """

    weights: str | np.ndarray | None = field(default=None, repr=False)
    strata: str | None = None
    population: str | Mapping | float | None = field(default=None, repr=False)
    calibration: Calibration | None = field(default=None, repr=False)
    clusters: str | None = None

    def __post_init__(self) -> None:
        if self.strata is not None and not isinstance(self.strata, str):
            raise ParameterError(f"`strata` must be one column name; got {self.strata!r}.")
        if self.clusters is not None and not isinstance(self.clusters, str):
            raise ParameterError(f"`clusters` must be one column name; got {self.clusters!r}.")
        if self.calibration is not None and not isinstance(self.calibration, Calibration):
            raise ParameterError(f"`calibration` must be a Calibration; got {type(self.calibration).__name__}.")

    @property
    def is_weighted(self) -> bool:
        """Whether estimates need the respondent-level (linearisation) path rather than counts."""
        return (self.weights is not None or self.calibration is not None or self.strata is not None
                or self.clusters is not None)

    def respondent_weights(self, frame: pd.DataFrame) -> np.ndarray:
        """The weights checked against ``frame`` (ones when the design has none)."""
        if self.weights is None:
            if self.calibration is not None:
                raise ParameterError("A calibrated design needs its calibrated `weights`.")
            return np.ones(len(frame))
        return check_weights(frame, self.weights)

    def auxiliaries(self, frame: pd.DataFrame) -> np.ndarray | IndicatorBlocks | None:
        """The calibration auxiliaries, checked to be aligned with ``frame``."""
        if self.calibration is None:
            return None
        aux = self.calibration.auxiliaries
        if aux.shape[0] != len(frame):
            raise DataError(f"The calibration is for {aux.shape[0]} rows; the data has {len(frame)}.")
        return aux

    def _codes(self, frame: pd.DataFrame, column: str, role: str) -> tuple[np.ndarray, pd.Index]:
        check_columns(frame, [column], role=role)
        codes, labels = pd.factorize(frame[column], sort=True)
        if (codes < 0).any():
            raise DataError(f"{role.capitalize()} {column!r} has {int((codes < 0).sum())} missing values "
                            f"(of {len(frame)} rows).")
        return codes.astype(np.int64), pd.Index(labels)

    def stratum_codes(self, frame: pd.DataFrame) -> np.ndarray | None:
        """Integer stratum per row, or None without strata."""
        return None if self.strata is None else self._codes(frame, self.strata, "stratum column")[0]

    def _stratum_population(self, frame, strata, labels, psu_per_stratum) -> np.ndarray | None:
        """Population size per stratum (checked), or None."""
        population = self.population
        if population is None:
            return None
        n_strata = len(psu_per_stratum)
        if isinstance(population, str):
            check_columns(frame, [population], role="population column")
            values = pd.to_numeric(frame[population], errors="coerce").to_numpy(float)
            if np.isnan(values).any():
                raise DataError(f"Population column {population!r} has {int(np.isnan(values).sum())} missing or "
                                f"non-numeric values (of {len(frame)} rows).")
            low = np.full(n_strata, np.inf)
            high = np.full(n_strata, -np.inf)
            np.minimum.at(low, strata, values)
            np.maximum.at(high, strata, values)
            if (low != high).any():
                bad = labels[low != high].tolist() if labels is not None else ["(all)"]
                raise DataError(f"Population column {population!r} must be constant within each stratum; it varies "
                                f"in strata {show_values(bad)}.")
            N = low
        elif isinstance(population, Mapping):
            if labels is None:
                raise ParameterError("`population` as a mapping gives one size per stratum; the design has no `strata`.")
            missing = [k for k in labels if k not in population]
            if missing:
                raise DataError(f"`population` has no size for strata {show_values(missing)} "
                                f"({len(missing)} of {len(labels)} strata).")
            N = np.array([population[k] for k in labels], dtype=float)
        elif isinstance(population, (int, float, np.integer, np.floating)) and not isinstance(population, bool):
            if n_strata > 1:
                raise ParameterError(f"`population` is one number but the design has {n_strata} strata; give a column "
                                     "or a mapping from stratum to size.")
            N = np.full(n_strata, float(population))
        else:
            raise ParameterError(f"`population` must be a column name, a mapping or a number; got {population!r}.")
        if not np.isfinite(N).all() or (N <= 0).any():
            raise DataError(f"`population` sizes must be positive numbers; got {show_values(N[~(np.isfinite(N) & (N > 0))])}.")
        small = N < psu_per_stratum
        if small.any():
            what = "clusters" if self.clusters is not None else "respondents"
            names = labels[small].tolist() if labels is not None else ["(all)"]
            raise DataError(f"`population` is smaller than the sampled {what} in strata {show_values(names, 4)} "
                            f"(population {show_values(N[small], 4)}, sample {show_values(psu_per_stratum[small], 4)}).")
        return N

    def resolve(self, frame: pd.DataFrame) -> ResolvedDesign:
        """The design's arrays aligned with the rows of ``frame``, every input checked.

        Parameters
        ----------
        frame : DataFrame
            The respondents (every row is in the sample).

        Returns
        -------
        ResolvedDesign

        Raises
        ------
        DataError
            Missing columns or values, weights that are not finite and non-negative, population sizes that
            are not constant within strata or smaller than the sample, a calibration for other rows.
        ParameterError
            A population that does not match the strata; a calibrated design without weights.

        Notes
        -----
        Without weights, the weight of a respondent is N_h / n_h when population sizes are given (n_h the
        sampled PSUs of its stratum), as ``svydesign`` computes weights from ``fpc``; otherwise 1.

        References
        ----------
        Lumley, T. (2010). Complex Surveys, ch. 2 (``svydesign``).
        """
        strata, labels = (None, None) if self.strata is None else self._codes(frame, self.strata, "stratum column")
        clusters = None if self.clusters is None else self._codes(frame, self.clusters, "cluster column")[0]
        structure = design_structure(len(frame), strata, clusters)
        N = None
        if self.population is not None:
            N = self._stratum_population(frame, strata if strata is not None else np.zeros(len(frame), np.int64),
                                         labels, structure.n_psu)
        if self.weights is None and self.calibration is None and N is not None:
            row_stratum = structure.psu_stratum[structure.psu]
            w = (N / structure.n_psu)[row_stratum]
        else:
            w = self.respondent_weights(frame)
        if N is not None:
            structure = design_structure(len(frame), strata, clusters, 1 - structure.n_psu / N)
        calibration = self.auxiliaries(frame)
        start = self.calibration.start_weights if self.calibration is not None else None
        return ResolvedDesign(w, strata, clusters, N, calibration, start, structure)


def as_design(design) -> Design:
    """A :class:`Design` from a Design, an object carrying one (``.design``, such as a raking result) or None.

    Parameters
    ----------
    design : Design, object with a ``design`` attribute, or None

    Returns
    -------
    Design
        ``Design()`` (simple random sampling) for None.

    Raises
    ------
    ParameterError
        Anything else.

    Notes
    -----
    Lets every estimator take ``design=raked`` as well as ``design=raked.design``.

    References
    ----------
    Lumley, T. (2010). Complex Surveys (the design object of R ``survey``).
    """
    if design is None:
        return Design()
    if isinstance(design, Design):
        return design
    inner = getattr(design, "design", None)
    if isinstance(inner, Design):
        return inner
    raise ParameterError(f"`design` must be a workbench.Design (or a raking result); got {type(design).__name__}.")
