"""The weighting recommendation: a plain-language rule from the schemes' results."""

from __future__ import annotations

import pandas as pd

from .._validate import check_columns
from ..errors import ParameterError

__all__ = ["weighting_advice"]


def weighting_advice(table: pd.DataFrame, *, max_unit_weight: float = 0.5) -> str:
    """A plain-language recommendation from a :func:`sensitivity` table (one group).

    Parameters
    ----------
    table : DataFrame
        :func:`sensitivity` output for one group, including the ``volume`` scheme.
    max_unit_weight : float
        Largest acceptable volume-weight share of one unit.

    Returns
    -------
    str

    Raises
    ------
    DataError
        Missing columns.
    ParameterError
        No ``volume`` row.

    Notes
    -----
    Rule: (1) if under volume weights one unit carries more than ``max_unit_weight`` of the total,
    the overall score mostly describes that unit — do not publish one overall score; (2) if the
    schemes' estimates spread more than the volume-weighted margin of error, the choice of weights
    changes the conclusion — publish unit or service results and, if one number is required, use
    volume weights (it describes the area's customers) and say so; (3) otherwise the choice does not
    matter at this precision — use volume weights.

    References
    ----------
    Kish, L. (1992). Weighting for unequal P_i. Journal of Official Statistics 8(2).
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
