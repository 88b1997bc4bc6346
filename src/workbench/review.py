"""Harmonisation review: the national core questions compared across areas.

The statement battery's reliability (Cronbach's alpha via pingouin), statement summaries with
don't-know shares, and redacted samples of open-text answers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._validate import as_key_list, check_columns, check_positive
from .errors import DataError
from .counting import count
from .estimation import estimate
from .privacy import redact
from .scales import AGREEMENT_SCALE

__all__ = ["battery_reliability", "statement_summary", "comment_sample"]


def _substantive(data: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Statement answers as numbers with don't-know (and empty) answers as missing; validated by the scale."""
    out = {}
    for col in columns:
        codes = AGREEMENT_SCALE.encode(data[col], column=col)
        values = np.where((codes >= 0) & (codes < AGREEMENT_SCALE.size), codes + 1.0, np.nan)
        out[col] = values
    return pd.DataFrame(out, index=data.index)


def battery_reliability(data: pd.DataFrame, columns: Sequence[str], *, by: str | Sequence[str] | None = None,
                        confidence: float = 0.95) -> pd.DataFrame:
    """Cronbach's alpha of a statement battery (pingouin), overall or per group.

    Don't-know answers are missing; alpha uses respondents who answered every statement
    (``nan_policy="listwise"``), reported as ``n_complete``. The interval is pingouin's (Feldt).
    """
    import pingouin as pg

    columns = list(columns)
    keys = as_key_list(by)
    check_columns(data, columns + keys)
    if len(columns) < 2:
        raise DataError(f"Cronbach's alpha needs at least two statements; got {columns}.")
    values = _substantive(data, columns)
    groups = [((), values)] if not keys else [((k,) if not isinstance(k, tuple) else k, part)
                                                for k, part in values.groupby([data[k] for k in keys], sort=True)]
    rows = []
    for key, part in groups:
        complete = part.dropna()
        if len(complete) < 3:
            rows.append((*key, len(complete), np.nan, np.nan, np.nan))
            continue
        alpha, (low, high) = pg.cronbach_alpha(data=complete, nan_policy="listwise", ci=confidence)
        rows.append((*key, len(complete), alpha, low, high))
    return pd.DataFrame(rows, columns=keys + ["n_complete", "alpha", "ci_low", "ci_high"])


def statement_summary(data: pd.DataFrame, columns: Sequence[str], *, by: str | Sequence[str] | None = None,
                      confidence: float = 0.95) -> pd.DataFrame:
    """Per statement (and group): answers, don't-know share, agreement (share 4–5) with interval, mean."""
    keys = as_key_list(by)
    parts = []
    for col in columns:
        counts = count(data, "agreement", column=col, by=keys or None)  # one pass serves both metrics
        share = estimate(counts, "agreement", confidence=confidence)
        mean = estimate(counts, "agreement_mean", confidence=confidence)
        part = share[keys + ["n", "n_dont_know", "estimate", "ci_low", "ci_high"]].copy()
        part.insert(len(keys), "statement", col)
        part["dont_know_share"] = part["n_dont_know"] / (part["n"] + part["n_dont_know"])
        part["mean"] = mean["estimate"].to_numpy()
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def comment_sample(data: pd.DataFrame, *, column: str = "comment", keep: Sequence[str] = (), size: int = 10,
                   rng=None) -> pd.DataFrame:
    """A seeded random sample of open-text answers, redacted for personal identifiers."""
    check_columns(data, [column] + list(keep))
    size = check_positive(size, "size", integer=True)
    answered = data.loc[data[column].notna() & (data[column].astype(str).str.strip() != ""), list(keep) + [column]]
    if answered.empty:
        return answered
    picked = answered.sample(n=min(size, len(answered)), random_state=np.random.default_rng(rng))
    out = picked.copy()
    out[column] = out[column].map(redact)
    return out.reset_index(drop=True)
