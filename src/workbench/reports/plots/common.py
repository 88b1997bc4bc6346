"""What every figure shares: which rows may be drawn."""

from __future__ import annotations

import pandas as pd

__all__ = ["visible_rows"]


def visible_rows(results: pd.DataFrame) -> pd.DataFrame:
    """The rows a figure may draw: those not suppressed (``suppressed`` column of :func:`workbench.suppress`)."""
    if "suppressed" in results:
        return results[~results["suppressed"].astype(bool)]
    return results
