"""The survey design: one object that carries weights, calibration, strata and population sizes.

Every estimator takes it through one keyword, ``design=``, as R ``survey`` carries its
``svydesign`` object into ``svymean``, so no estimate can forget the design (DESIGN.md,
principle 3)::

    >>> import numpy as np, pandas as pd, workbench as wb
    >>> df = pd.DataFrame({"nps": [10, 9, 3, 8, 10, 0], "w": [1.0, 2.0, 1.0, 1.0, 2.0, 1.0]})
    >>> round(float(wb.estimate(df, "nps", design=wb.Design(weights="w")).loc[0, "estimate"]), 2)
    37.5

The variance engine, :func:`linearised_variance`, is the Taylor linearisation of R ``survey``:
influence values per respondent, optionally residualised on the calibration auxiliaries, summed
within strata with the with-replacement variance of their totals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._validate import check_columns, check_weights
from ..errors import DataError, ParameterError

__all__ = ["Calibration", "Design", "as_design", "calibration_residuals", "linearised_variance",
           "stratified_total_variance"]


@dataclass(frozen=True)
class Calibration:
    """What calibration (raking) fixed: the auxiliary indicators and the weights before it.

    Attributes
    ----------
    auxiliaries : ndarray, shape (rows, columns)
        One 0/1 column per category of every margin variable, aligned with the data's rows.
    start_weights : ndarray, shape (rows,)
        The respondent weights before calibration (ones when raking started from none).
    variables : tuple of str
        The margin variables.
    """

    auxiliaries: np.ndarray = field(repr=False)
    start_weights: np.ndarray = field(repr=False)
    variables: tuple[str, ...] = ()


@dataclass(frozen=True)
class Design:
    """How the respondents represent the population (R ``survey``'s ``svydesign``).

    Parameters
    ----------
    weights : column name or array, optional
        Respondent weights, aligned with the rows of the data the design is used with.
        None: every respondent weighs the same.
    strata : str, optional
        The stratum column; variances are computed within strata.
    population : column name, mapping or number, optional
        Population size N for the finite population correction: per stratum when ``strata`` is
        given, otherwise per estimated group (a column constant within groups, a mapping from
        group key to size, or one number).
    calibration : Calibration, optional
        Set by :func:`workbench.rake`; the standard error then accounts for the calibration.

    Notes
    -----
    An empty ``Design()`` is simple random sampling with replacement: the unweighted estimate.
    A raked result is used as ``design=raked.design`` (or ``design=raked``).
    """

    weights: str | np.ndarray | None = field(default=None, repr=False)
    strata: str | None = None
    population: str | Mapping | float | None = field(default=None, repr=False)
    calibration: Calibration | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.strata is not None and not isinstance(self.strata, str):
            raise ParameterError(f"`strata` must be one column name; got {self.strata!r}.")
        if self.calibration is not None and not isinstance(self.calibration, Calibration):
            raise ParameterError(f"`calibration` must be a Calibration; got {type(self.calibration).__name__}.")

    @property
    def is_weighted(self) -> bool:
        """Whether estimates need the respondent-level (linearisation) path."""
        return self.weights is not None or self.calibration is not None or self.strata is not None

    def respondent_weights(self, frame: pd.DataFrame) -> np.ndarray:
        """The weights checked against ``frame`` (ones when the design has none)."""
        if self.weights is None:
            if self.calibration is not None:
                raise ParameterError("A calibrated design needs its calibrated `weights`.")
            return np.ones(len(frame))
        return check_weights(frame, self.weights)

    def auxiliaries(self, frame: pd.DataFrame) -> np.ndarray | None:
        """The calibration auxiliaries, checked to be aligned with ``frame``."""
        if self.calibration is None:
            return None
        aux = self.calibration.auxiliaries
        if aux.shape[0] != len(frame):
            raise DataError(f"The calibration is for {aux.shape[0]} rows; the data has {len(frame)}.")
        return aux

    def stratum_codes(self, frame: pd.DataFrame) -> np.ndarray | None:
        """Integer stratum per row, or None without strata."""
        if self.strata is None:
            return None
        check_columns(frame, [self.strata], role="stratum column")
        codes, _ = pd.factorize(frame[self.strata], sort=True)
        if (codes < 0).any():
            raise DataError(f"Stratum column {self.strata!r} has {int((codes < 0).sum())} missing values "
                            f"(of {len(frame)} rows).")
        return codes.astype(np.int64)


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


def stratified_total_variance(z: np.ndarray, strata: np.ndarray | None = None) -> np.ndarray:
    """With-replacement variance of the totals of ``z`` (respondents × statistics) within strata.

    Parameters
    ----------
    z : ndarray, shape (respondents,) or (respondents, statistics)
        Weighted influence values.
    strata : ndarray of int, optional
        Stratum of each respondent; one stratum when None.

    Returns
    -------
    ndarray or float
        One variance per statistic.

    Raises
    ------
    IndexError
        ``strata`` not aligned with ``z``.

    Notes
    -----
    Σ_h n_h/(n_h - 1) Σ_{i in h} (z_i - z̄_h)², the ultimate-cluster estimator of R ``survey`` with
    every respondent its own cluster; a stratum with one respondent contributes nothing.

    References
    ----------
    Lumley, T. (2010). Complex Surveys, section 2.2 and appendix C.
    """
    z = np.asarray(z, dtype=float)
    flat = z.ndim == 1
    z = z[:, None] if flat else z
    if strata is None:
        strata = np.zeros(len(z), dtype=np.int64)
    n_h = np.bincount(strata)
    means = np.zeros((len(n_h), z.shape[1]))
    np.add.at(means, strata, z)
    means /= np.maximum(n_h, 1)[:, None]
    dev = z - means[strata]
    factor = np.where(n_h > 1, n_h / np.maximum(n_h - 1, 1), 0.0)
    variance = (factor[strata][:, None] * dev**2).sum(axis=0)
    return variance[0] if flat else variance


def calibration_residuals(u: np.ndarray, w: np.ndarray, calibration: np.ndarray | None) -> np.ndarray:
    """Influence values ``u`` (respondents × statistics) minus their weighted regression on the auxiliaries.

    Parameters
    ----------
    u : ndarray, shape (respondents, statistics)
    w : ndarray
        Weights used in the regression.
    calibration : ndarray or None
        Calibration auxiliaries (respondents × columns); None returns ``u`` unchanged.

    Returns
    -------
    ndarray

    Raises
    ------
    numpy.linalg.LinAlgError
        Only if the pseudo-inverse fails to converge.

    Notes
    -----
    e = u - X β, β = (X' W X)⁺ X' W u: the GREG projection that makes a calibrated estimator's
    variance that of its residuals.

    References
    ----------
    Deville, J.-C. & Särndal, C.-E. (1992). Calibration estimators in survey sampling. JASA 87(418).
    """
    if calibration is None:
        return u
    xw = calibration * w[:, None]
    beta = np.linalg.pinv(calibration.T @ xw) @ (xw.T @ u)
    return u - calibration @ beta


def linearised_variance(y: np.ndarray, w: np.ndarray, group: np.ndarray, n_groups: int,
                        calibration: np.ndarray | None = None,
                        strata: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Weighted means per group and their linearisation variances, in one vectorised pass.

    Parameters
    ----------
    y : ndarray
        Score of each respondent in the base.
    w : ndarray
        Weight of each respondent.
    group : ndarray of int
        Group (0 .. n_groups - 1) of each respondent.
    n_groups : int
    calibration : ndarray, optional
        Calibration auxiliaries (rows × columns) of these respondents.
    strata : ndarray of int, optional
        Stratum of each respondent.

    Returns
    -------
    (mean, variance) : ndarrays, one value per group

    Notes
    -----
    The influence value of respondent i on the mean of its group g is u_i = (y_i - ȳ_g) / Σ_g w.
    With calibration auxiliaries X (raking), u is replaced by its residual from the weighted
    regression on X (the GREG projection, Deville & Särndal 1992). The variance is that of the
    weighted total of u under with-replacement sampling of respondents within strata
    (:func:`stratified_total_variance`), as R ``survey`` computes it. Checked against
    R ``survey::svymean`` in ``tests/reference/weighting_survey.csv``.

    References
    ----------
    Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley, ch. 2 and 7.
    Deville, J.-C. & Särndal, C.-E. (1992). Calibration estimators in survey sampling. JASA 87(418).

    Raises
    ------
    ValueError
        Arrays that are not aligned.
    """
    wsum = np.bincount(group, weights=w, minlength=n_groups)
    mean = np.bincount(group, weights=w * y, minlength=n_groups) / wsum
    u = np.zeros((len(y), n_groups))
    u[np.arange(len(y)), group] = (y - mean[group]) / wsum[group]
    z = calibration_residuals(u, w, calibration) * w[:, None]
    return mean, stratified_total_variance(z, strata)
