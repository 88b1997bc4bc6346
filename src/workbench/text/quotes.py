"""Quotes: redacted samples of open-text answers for reports."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._validate import check_columns, check_positive
from ..privacy.redact import redact

__all__ = ["comment_sample"]


def comment_sample(data: pd.DataFrame, *, column: str = "comment", keep: Sequence[str] = (), size: int = 10,
                   rng=None) -> pd.DataFrame:
    """A seeded random sample of open-text answers, redacted for personal identifiers.

    Parameters
    ----------
    data : DataFrame
    column : str
        The open-text column.
    keep : sequence of str
        Columns shown beside each comment (e.g. the area).
    size : int
        Largest number of comments.
    rng : seed or Generator

    Returns
    -------
    DataFrame
        ``keep`` columns and the redacted comment, at most ``size`` rows.

    Raises
    ------
    DataError
        Missing columns.
    ParameterError
        ``size`` not a positive whole number.

    Notes
    -----
    Empty and blank answers are not sampled. Redaction by :func:`workbench.redact` runs on every
    sampled comment before it is returned.

    References
    ----------
    Hundepool, A. et al. (2012). Statistical Disclosure Control, ch. 7 (free text).
    """
    check_columns(data, [column] + list(keep))
    size = check_positive(size, "size", integer=True)
    answered = data.loc[data[column].notna() & (data[column].astype(str).str.strip() != ""), list(keep) + [column]]
    if answered.empty:
        return answered
    picked = answered.sample(n=min(size, len(answered)), random_state=np.random.default_rng(rng))
    out = picked.copy()
    out[column] = out[column].map(redact)
    return out.reset_index(drop=True)
