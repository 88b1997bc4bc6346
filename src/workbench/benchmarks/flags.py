"""Counting what funnel plots flag: units outside the limits, per group and level."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from .._validate import as_key_list, check_columns, check_confidence
from ..errors import DataError, ParameterError

__all__ = ["count_flags", "FLAGS"]

FLAGS = ("above", "below", "within")


def count_flags(funnels: pd.DataFrame, *, levels: Mapping[str, float], by: str | Sequence[str] | None = None
                ) -> pd.DataFrame:
    """How many units each level of a funnel flags above and below its limits, per group.

    Parameters
    ----------
    funnels : DataFrame
        :func:`workbench.funnel` output, usually published: one flag column per level (e.g. the
        funnel's ``flag`` at 99.8 % and the ``flag`` of a 95 % funnel of the same units as
        ``flag_inner``). Rows whose flag is missing (hidden units) are not counted.
    levels : mapping
        Flag column -> its confidence level, e.g. ``{"flag_inner": 0.95, "flag": 0.998}``.
    by : str or list, optional
        Group columns (e.g. service); None: the whole table.

    Returns
    -------
    DataFrame
        One row per group and level, levels in the order given: the ``by`` keys, ``confidence``,
        ``units`` (units with a flag), ``n_above``, ``n_below`` and ``n_flagged`` (their sum).

    Raises
    ------
    DataError
        Missing columns, or flags other than ``"above"``, ``"below"`` and ``"within"``.
    ParameterError
        A level outside (0, 1), or no levels.

    Notes
    -----
    At 95 % about 5 % of units that do not differ are flagged by chance, at 99.8 % about 0.2 %; a
    report states both counts so that a reader can weigh them (Spiegelhalter 2005, section 3).

    References
    ----------
    Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional performance. Statistics in
    Medicine 24(8), 1185–1202.
    """
    keys = as_key_list(by)
    if not levels:
        raise ParameterError("`levels` names no flag column; give e.g. {'flag': 0.998}.")
    check_columns(funnels, keys + list(levels), role="flag column")
    per_level = []
    for order, (column, level) in enumerate(levels.items()):  # each column checked once, then counted per group
        confidence = check_confidence(level)
        flags = funnels[column].astype("string")
        odd = flags.notna() & ~flags.isin(FLAGS)
        if odd.any():
            raise DataError(f"Column {column!r} holds {sorted(set(flags[odd]))[:5]} in {int(odd.sum())} of "
                            f"{len(funnels)} rows; flags are {list(FLAGS)}.")
        counts = funnels[keys].assign(units=flags.notna(), n_above=flags.eq("above").fillna(False),
                                      n_below=flags.eq("below").fillna(False))
        table = counts.groupby(keys, sort=True).sum().reset_index() if keys else counts.sum().to_frame().T
        per_level.append(table.assign(confidence=confidence, _order=order))
    out = pd.concat(per_level, ignore_index=True).sort_values(keys + ["_order"], kind="stable")
    out["n_flagged"] = out["n_above"] + out["n_below"]
    columns = ["units", "n_above", "n_below", "n_flagged"]
    return out[keys + ["confidence"] + columns].astype({c: "int64" for c in columns}).reset_index(drop=True)
