"""Quotes: redacted samples of open-text answers for reports."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._validate import check_columns, check_positive
from ..privacy.redact import redact

__all__ = ["comment_sample", "example_quotes"]


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
    DESIGN.md, principle 10: every free text that reaches any output is de-identified first.
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


def example_quotes(coded: pd.DataFrame, *, where: str | Sequence[str] | None = None,
                   by: str | Sequence[str] | None = None, min_n: int = 5, size: int = 3, rng=None,
                   text: str = "comment_redacted") -> pd.DataFrame:
    """A few redacted example comments per group, only from groups with at least ``min_n`` respondents.

    Parameters
    ----------
    coded : DataFrame
        Output of :func:`~workbench.text.feedback.code_comments`.
    where : str or list of str, optional
        Boolean columns that must all be True (``["theme_phone", "suggestion"]``).
    by : str or list of str, optional
        Groups to draw examples for (e.g. ``"theme"`` is not a column: pass one theme in ``where``
        and call once per theme).
    min_n : int
        A group (with the ``where`` filter applied) with fewer respondents shows no quote.
    size : int
        Largest number of quotes per group.
    rng : seed or Generator
        Seeded sampling, so that a report shows the same quotes on every build.
    text : str
        The comment column to quote (default the redacted copy made by ``code_comments``).

    Returns
    -------
    DataFrame
        ``by`` keys, ``n`` (respondents in the group), ``comment`` (redacted again before it leaves).

    Raises
    ------
    DataError
        Missing columns.
    ParameterError
        ``min_n`` or ``size`` not a positive whole number.

    Notes
    -----
    Quotes from small cells are withheld because a quote, unlike a share, may identify its writer to
    anyone who knows the unit. Every quote passes through :func:`workbench.redact` again (cheap, and
    safe should the column not be the redacted copy).

    References
    ----------
    Hundepool, A. et al. (2012). Statistical Disclosure Control. Wiley, ch. 4 (threshold rule).
    """
    filters = [where] if isinstance(where, str) else list(where or [])
    keys = [by] if isinstance(by, str) else list(by or [])
    check_columns(coded, filters + keys + [text])
    min_n = check_positive(min_n, "min_n", integer=True)
    size = check_positive(size, "size", integer=True)
    rows = coded
    for col in filters:
        rows = rows[rows[col].fillna(False).astype(bool)]
    rows = rows[rows[text].notna() & (rows[text].astype(str).str.strip() != "")]
    generator = np.random.default_rng(rng)
    parts = []
    groups = rows.groupby(keys, sort=True, observed=True) if keys else [((), rows)]
    for key, group in groups:
        if len(group) < min_n:
            continue
        picked = group.sample(n=min(size, len(group)), random_state=generator)
        part = pd.DataFrame({"comment": picked[text].map(redact).to_numpy()})
        for name, value in zip(keys, key if isinstance(key, tuple) else (key,)):
            part[name] = value
        part["n"] = len(group)
        parts.append(part[keys + ["n", "comment"]])
    if not parts:
        return pd.DataFrame(columns=keys + ["n", "comment"])
    return pd.concat(parts, ignore_index=True)
