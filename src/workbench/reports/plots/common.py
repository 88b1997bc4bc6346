"""What every figure shares: which rows may be drawn."""

from __future__ import annotations

import pandas as pd

__all__ = ["visible_rows"]


def visible_rows(results: pd.DataFrame) -> pd.DataFrame:
    """The rows a figure may draw: those not suppressed.

    Parameters
    ----------
    results : DataFrame
        With an optional ``suppressed`` column from :func:`workbench.suppress`.

    Returns
    -------
    DataFrame

    Raises
    ------
    KeyError
        Never for well-formed tables.

    Notes
    -----
    Every plot function draws only these rows.
    """
    if "suppressed" in results:
        return results[~results["suppressed"].astype(bool)]
    return results
