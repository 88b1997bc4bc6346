"""The weighting recommendation: a plain-language rule from the schemes' results."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .._validate import check_columns
from ..errors import ParameterError

__all__ = ["Advice", "weighting_advice"]


@dataclass(frozen=True)
class Advice:
    """The weighting recommendation for one group.

    Attributes
    ----------
    rule : str
        ``"dominant"`` (one unit carries too much of the volume: publish unit results),
        ``"matters"`` (the schemes differ beyond the margin: publish unit results; if one number,
        by volume, saying so) or ``"same"`` (within the margin: weight by volume).
    max_unit_weight : float
        Largest volume-weight share of one unit.
    spread : float
        Largest minus smallest estimate across the schemes.
    moe : float
        Margin of error of the volume-weighted estimate.
    """

    rule: str
    max_unit_weight: float
    spread: float
    moe: float

    def __str__(self) -> str:
        if self.rule == "dominant":
            return (f"Do not publish one overall score: one unit carries {self.max_unit_weight:.0%} of the volume, so "
                    "the overall mainly describes that unit. Publish unit results.")
        if self.rule == "matters":
            return (f"The weighting changes the result: the schemes differ by {self.spread:.1f} points, more than the "
                    f"margin ±{self.moe:.1f}. Publish unit or service results; if one number is required, weight by "
                    "volume (it describes the area's customers) and state the weighting.")
        return (f"The weighting does not change the conclusion: the schemes differ by {self.spread:.1f} points, within "
                f"the margin ±{self.moe:.1f}. Weight by volume.")


def weighting_advice(table: pd.DataFrame, *, max_unit_weight: float = 0.5) -> Advice:
    """A plain-language recommendation from a :func:`sensitivity` table (one group).

    Parameters
    ----------
    table : DataFrame
        :func:`sensitivity` output for one group, including the ``volume`` scheme.
    max_unit_weight : float
        Largest acceptable volume-weight share of one unit.

    Returns
    -------
    Advice
        The rule that applies and its figures; ``str(advice)`` is the recommendation in English
        (reports word it from their catalogue by ``advice.rule``).

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
    spread = float(table["estimate"].max() - table["estimate"].min())
    share, moe = float(vol["max_unit_weight"]), float(vol["moe"])
    rule = "dominant" if share > max_unit_weight else "matters" if spread > moe else "same"
    return Advice(rule, share, spread, moe)
