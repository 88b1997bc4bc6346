"""Weighting schemes: the weight share of each unit under pooled, equal, volume, square-root, custom
or capped weighting, and volumes at coarser levels."""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .._validate import check_columns, show_values
from ..errors import DataError, ParameterError, WorkbenchWarning

__all__ = ["SCHEMES", "cap_shares", "unit_weight_shares", "volume_table", "volumes_by"]

SCHEMES = ("pooled", "equal", "volume", "sqrt_volume", "custom", "capped")


def volumes_by(volumes: pd.DataFrame, level: str, *, value: str = "customers_per_year") -> pd.DataFrame:
    """Volumes summed to a coarser level (e.g. areas from area × service units).

    Parameters
    ----------
    volumes : DataFrame
    level : str
        The column to sum to.
    value : str
        The volume column.

    Returns
    -------
    DataFrame
        ``level`` and ``value``, one row per level value (sorted).

    Raises
    ------
    DataError
        Missing columns; volumes that are missing or not positive.

    Notes
    -----
    A national score weights areas by their summed volumes.

    References
    ----------
    Cochran, W. G. (1977). Sampling Techniques, ch. 5 (stratum weights).
    """
    check_columns(volumes, [level, value], role="volume column")
    values = pd.to_numeric(volumes[value], errors="coerce")
    if values.isna().any() or (values <= 0).any():
        raise DataError(f"Column {value!r} must hold positive volumes ({int((values.isna() | (values <= 0)).sum())} rows do not).")
    return volumes.assign(**{value: values}).groupby(level, sort=True, as_index=False)[value].sum()


def volume_table(volumes, unit: str) -> pd.Series:
    """Volume per unit from a mapping or a DataFrame (the unit column and one numeric volume column).

    Parameters
    ----------
    volumes : mapping or DataFrame
    unit : str
        The unit column of a DataFrame.

    Returns
    -------
    Series
        Volumes indexed by unit (NaN where not numeric; callers check).

    Raises
    ------
    ParameterError
        Neither a mapping nor a DataFrame; None.
    DataError
        A DataFrame without one numeric volume column, or a unit listed twice.

    Notes
    -----
    Accepting both keeps notebooks short (``volumes=pd.read_csv(...)``) and the API open (mappings).

    References
    ----------
    Cochran, W. G. (1977). Sampling Techniques, ch. 5.
    """
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
            raise DataError(f"`volumes` lists units {show_values(dup)} more than once.")
    elif isinstance(volumes, Mapping):
        series = pd.Series(dict(volumes))
    else:
        raise ParameterError(f"`volumes` must be a mapping or a DataFrame; got {type(volumes).__name__}.")
    return pd.to_numeric(series, errors="coerce").astype(float)


def unit_weight_shares(units: pd.Series, scheme: str, volumes, weights, cap: float, strict: bool = True) -> np.ndarray:
    """Weight share W_h of each unit under a scheme (sums to 1 within the group).

    Parameters
    ----------
    units : Series
        The units (named by the unit column).
    scheme : str
        ``equal``, ``volume``, ``sqrt_volume``, ``capped`` or ``custom``.
    volumes : mapping or DataFrame
    weights : mapping
        Custom weights of ``scheme="custom"``.
    cap : float
        Largest share under ``capped``.
    strict : bool
        Raise when a cap cannot hold; otherwise fall back to equal weights with a warning (used within
        groups of ``by``).

    Returns
    -------
    ndarray

    Raises
    ------
    ParameterError, DataError
        Unknown schemes, missing or non-positive volumes or custom weights, a cap that cannot hold.

    Notes
    -----
    ``sqrt_volume`` is the compromise of Kish (1992) between equal and proportional weights.

    References
    ----------
    Kish, L. (1992). Weighting for unequal P_i. Journal of Official Statistics 8(2).
    """
    k = len(units)
    if scheme == "equal":
        raw = np.ones(k)
    elif scheme in ("volume", "sqrt_volume", "capped"):
        table = volume_table(volumes, units.name)
        missing = [u for u in units if u not in table.index]
        if missing:
            raise DataError(f"Units {show_values(missing)} have no volume ({len(missing)} of {k} units).")
        raw = table.reindex(units).to_numpy()
        bad = ~np.isfinite(raw) | (raw <= 0)
        if bad.any():
            raise DataError(f"Volumes must be positive; units {show_values(units[bad].tolist())} have {show_values(raw[bad])}.")
        raw = np.sqrt(raw) if scheme == "sqrt_volume" else raw
        if scheme == "capped":
            if not strict and cap * k < 1:
                warnings.warn(f"A cap of {cap:g} cannot hold for the {k} units {show_values(units.tolist(), 3)}; "
                              f"they get equal weights (1/{k}).", WorkbenchWarning, stacklevel=3)
                return np.full(k, 1 / k)
            return cap_shares(raw / raw.sum(), cap)
    elif scheme == "custom":
        if weights is None:
            raise ParameterError("Scheme 'custom' needs `weights`: a mapping from unit to weight.")
        table = pd.Series(dict(weights), dtype=float) if isinstance(weights, Mapping) else None
        if table is None:
            raise ParameterError("Scheme 'custom' takes `weights` as a mapping from unit to weight.")
        missing = [u for u in units if u not in table.index]
        if missing:
            raise DataError(f"Units {show_values(missing)} have no custom weight ({len(missing)} of {k} units).")
        raw = table.reindex(units).to_numpy()
        if (~np.isfinite(raw) | (raw < 0)).any():
            raise DataError(f"Custom weights must be non-negative numbers; got {show_values(raw)}.")
        if raw.sum() <= 0:
            raise DataError(f"Custom weights sum to {raw.sum():g}; they must have a positive total.")
    else:
        raise ParameterError(f"Unknown scheme {scheme!r}; valid: {', '.join(map(repr, SCHEMES))}.")
    return raw / raw.sum()


def cap_shares(shares: np.ndarray, cap: float) -> np.ndarray:
    """Cap each share at ``cap``, giving the excess to the uncapped units in proportion (water-filling).

    Parameters
    ----------
    shares : ndarray
        Shares summing to 1.
    cap : float

    Returns
    -------
    ndarray
        Shares summing to 1, none above ``cap``.

    Raises
    ------
    ParameterError
        ``cap`` × units below 1 (the shares could not sum to 1).

    Notes
    -----
    At most one round per unit: each round caps the units above the cap and redistributes.

    References
    ----------
    Potter, F. J. (1990). A study of procedures to identify and trim extreme sampling weights.
    Proceedings of the ASA Survey Research Methods Section.
    """
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


