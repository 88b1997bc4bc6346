"""Tables for people: rounded numbers, suppressed cells shown as such, small counts as "< min_n"."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..privacy.cells import SUPPRESSED, VALUE_COLUMNS

__all__ = ["format_table"]


def format_table(table: pd.DataFrame, *, digits: int = 1, min_n: int | None = None) -> pd.DataFrame:
    """A display copy: numbers rounded, suppressed values shown as "suppressed", small n as "< min_n"."""
    out = table.copy()
    hidden = out["suppressed"].to_numpy() if "suppressed" in out else np.zeros(len(out), dtype=bool)
    for col in out.columns:
        if col == "suppressed":
            continue
        if pd.api.types.is_float_dtype(out[col]):
            text = out[col].map(lambda v: "" if pd.isna(v) else f"{v:.{digits}f}")
            if col == "n" or col.startswith("n_"):
                text = out[col].map(lambda v: f"< {min_n}" if pd.isna(v) and min_n else ("" if pd.isna(v) else f"{v:.0f}"))
            elif col in VALUE_COLUMNS:
                text = text.where(~hidden, SUPPRESSED)
            out[col] = text
    return out.drop(columns=[c for c in ["suppressed"] if c in out])
