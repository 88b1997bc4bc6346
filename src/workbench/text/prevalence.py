"""Statistics on themes with the core engine: shares with Wilson intervals, trends, differences.

A theme's share is a proportion: of the comments (base ``"comments"``, the default) or of all
respondents (base ``"respondents"``). Every function states its base in an ``n`` column, and
:func:`comment_rate` gives the share of respondents who commented, so that no share floats free of
its denominator.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._validate import as_key_list, check_choice, check_columns
from ..benchmarks.spc import control_chart
from ..errors import DataError, ParameterError
from ..stats.compare import compare
from ..stats.estimation import estimate
from ..stats.scales import YES_NO_SCALE, Metric
from .feedback import THEME_PREFIX, theme_columns
from .tone import TONES

__all__ = ["SHARE", "theme_prevalence", "comment_rate", "theme_tone", "theme_trends", "compare_themes", "BASES"]

SHARE = Metric("share", YES_NO_SCALE, {"yes": 100}, label="Share (%)")
BASES = ("comments", "respondents")


def _base_rows(coded: pd.DataFrame, base: str) -> pd.DataFrame:
    check_choice(base, "base", BASES, error=ParameterError)
    check_columns(coded, ["commented"], role="coded column")
    rows = coded[coded["commented"].astype(bool)] if base == "comments" else coded
    if rows.empty:
        raise DataError(f"No comments to count: 0 of {len(coded)} rows have a comment.")
    return rows


def _yes_no(flags: pd.Series) -> np.ndarray:
    return np.where(flags.fillna(False).astype(bool).to_numpy(), "yes", "no")


def theme_prevalence(coded: pd.DataFrame, *, by: str | Sequence[str] | None = None,
                     themes: Sequence[str] | None = None, base: str = "comments",
                     confidence: float = 0.95) -> pd.DataFrame:
    """Share of comments (or respondents) mentioning each theme, per group, with Wilson intervals.

    Parameters
    ----------
    coded : DataFrame
        Output of :func:`~workbench.text.feedback.code_comments`.
    by : str or list of str, optional
        Group keys (unit, service, month).
    themes : sequence of str, optional
        Theme ids; default every theme column.
    base : str
        ``"comments"`` (share of those who commented) or ``"respondents"`` (share of everyone).
    confidence : float
        Confidence level.

    Returns
    -------
    DataFrame
        ``by`` keys, ``theme``, ``n`` (the base), ``mentions``, ``estimate`` (%), ``se``, ``ci_low``,
        ``ci_high``, ``moe``, ``method`` (``wilson``), ``confidence``, ``base``.

    Raises
    ------
    DataError
        No comments; missing columns.
    ParameterError
        An unknown base; a level outside (0, 1).

    Notes
    -----
    Each theme is a yes/no column estimated by :func:`workbench.estimate` (the share metric, whose
    default interval is Wilson's score interval, Brown, Cai & DasGupta 2001). Publish through
    :func:`workbench.suppress` with ``columns=[..., "mentions"]``: the count of mentions in a small
    cell identifies as much as its share.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference. JASA
    22(158). Brown, L. D., Cai, T. T. & DasGupta, A. (2001). Statistical Science 16(2).
    """
    keys = as_key_list(by)
    rows = _base_rows(coded, base)
    columns = theme_columns(coded, themes)
    check_columns(rows, keys, role="group column")
    parts = []
    for col in columns:
        frame = rows[keys].copy()
        frame["_theme"] = _yes_no(rows[col])
        result = estimate(frame, SHARE, column="_theme", by=keys or None, confidence=confidence)
        result.insert(len(keys), "theme", col[len(THEME_PREFIX):])
        result.insert(len(keys) + 2, "mentions", np.rint(result["n"] * result["estimate"] / 100).astype(int))
        parts.append(result.drop(columns=["n_dont_know"]))
    out = pd.concat(parts, ignore_index=True)
    out["base"] = base
    return out


def comment_rate(coded: pd.DataFrame, *, by: str | Sequence[str] | None = None,
                 confidence: float = 0.95) -> pd.DataFrame:
    """Share of respondents who wrote a comment, per group: the base of every theme share.

    Parameters
    ----------
    coded : DataFrame
        Output of :func:`~workbench.text.feedback.code_comments`.
    by : str or list of str, optional
        Group keys.
    confidence : float
        Confidence level.

    Returns
    -------
    DataFrame
        ``by`` keys, ``n`` (respondents), ``comments``, ``estimate`` (%), ``se``, ``ci_low``,
        ``ci_high``, ``moe``, ``method``, ``confidence``.

    Raises
    ------
    DataError
        Missing columns or empty data.
    ParameterError
        A level outside (0, 1).

    Notes
    -----
    Who comments is not a random sample of respondents (dissatisfied respondents often write more);
    this share tells the reader how many voices a theme share rests on.

    References
    ----------
    Wilson (1927); Brown, Cai & DasGupta (2001).
    """
    keys = as_key_list(by)
    check_columns(coded, ["commented"] + keys)
    frame = coded[keys].copy()
    frame["_commented"] = _yes_no(coded["commented"])
    out = estimate(frame, SHARE, column="_commented", by=keys or None, confidence=confidence)
    out.insert(len(keys) + 1, "comments", np.rint(out["n"] * out["estimate"] / 100).astype(int))
    return out.drop(columns=["n_dont_know"])


def theme_tone(coded: pd.DataFrame, *, themes: Sequence[str] | None = None, by: str | Sequence[str] | None = None,
               confidence: float = 0.95) -> pd.DataFrame:
    """Tone of the comments that mention each theme: share of each tone with Wilson intervals.

    Parameters
    ----------
    coded : DataFrame
        Output of :func:`~workbench.text.feedback.code_comments`.
    themes : sequence of str, optional
        Theme ids; default every theme column.
    by : str or list of str, optional
        Group keys.
    confidence : float
        Confidence level.

    Returns
    -------
    DataFrame
        ``by`` keys, ``theme``, ``tone``, ``n`` (comments mentioning the theme), ``count``,
        ``estimate`` (%), ``se``, ``ci_low``, ``ci_high``, ``moe``, ``method``, ``confidence``.

    Raises
    ------
    DataError
        Missing columns.
    ParameterError
        A level outside (0, 1).

    Notes
    -----
    A theme no comment mentions has no rows (the table is empty when none is mentioned). A comment
    has one tone, so the four shares of a theme add to 100 %. "Negative ``phone``" is the
    row (theme ``phone``, tone ``negative``).

    References
    ----------
    Wilson (1927); Brown, Cai & DasGupta (2001).
    """
    keys = as_key_list(by)
    check_columns(coded, ["tone"] + keys)
    parts = []
    for col in theme_columns(coded, themes):
        rows = coded[coded[col].fillna(False).astype(bool) & coded["tone"].notna()]
        if rows.empty:
            continue
        for level in TONES:
            frame = rows[keys].copy()
            frame["_tone"] = np.where(rows["tone"].astype(str).to_numpy() == level, "yes", "no")
            result = estimate(frame, SHARE, column="_tone", by=keys or None, confidence=confidence)
            result.insert(len(keys), "theme", col[len(THEME_PREFIX):])
            result.insert(len(keys) + 1, "tone", level)
            result.insert(len(keys) + 3, "count", np.rint(result["n"] * result["estimate"] / 100).astype(int))
            parts.append(result.drop(columns=["n_dont_know"]))
    if not parts:
        return pd.DataFrame(columns=keys + ["theme", "tone", "n", "count", "estimate", "se", "ci_low", "ci_high", "moe",
                                            "method", "confidence"])
    return pd.concat(parts, ignore_index=True)


def theme_trends(coded: pd.DataFrame, *, time: str, themes: Sequence[str] | None = None, chart: str = "p",
                 sigma: float = 3.0) -> pd.DataFrame:
    """Monthly (or any period) share of comments mentioning each theme, with control limits.

    Parameters
    ----------
    coded : DataFrame
        Output of :func:`~workbench.text.feedback.code_comments` (one unit, or the whole area).
    time : str
        The period column (e.g. ``month``).
    themes : sequence of str, optional
        Theme ids; default every theme column.
    chart : str
        ``"p"`` (p-chart, default) or ``"laney"`` (p'-chart, for overdispersed periods).
    sigma : float
        Limits at this many standard deviations.

    Returns
    -------
    DataFrame
        ``theme``, ``time``, ``n`` (comments), ``estimate`` (%), ``center``, ``limit_low``,
        ``limit_high``, ``signal``, ``chart``.

    Raises
    ------
    DataError
        Fewer than three periods with comments; missing columns.
    ParameterError
        An unknown chart or a non-positive sigma.

    Notes
    -----
    Each theme goes through :func:`workbench.control_chart` (p-chart: limits
    p̄ ± sigma·√(p̄(1 - p̄)/n_i); signals: beyond limits, run of 8, trend of 6).

    References
    ----------
    Montgomery, D. C. Introduction to Statistical Quality Control, ch. 7. Laney, D. B. (2002).
    Quality Engineering 14(4).
    """
    rows = _base_rows(coded, "comments")
    check_columns(rows, [time], role="period column")
    parts = []
    for col in theme_columns(coded, themes):
        frame = pd.DataFrame({time: rows[time].to_numpy(), "_theme": _yes_no(rows[col])})
        chart_rows = control_chart(frame, SHARE, time=time, column="_theme", chart=chart, sigma=sigma)
        chart_rows.insert(0, "theme", col[len(THEME_PREFIX):])
        parts.append(chart_rows.rename(columns={time: "time"}))
    return pd.concat(parts, ignore_index=True)


def compare_themes(coded: pd.DataFrame, *, between: str, groups: Sequence | None = None,
                   by: str | Sequence[str] | None = None, themes: Sequence[str] | None = None,
                   confidence: float = 0.95) -> pd.DataFrame:
    """Difference in each theme's share of comments between two units or periods.

    Parameters
    ----------
    coded : DataFrame
        Output of :func:`~workbench.text.feedback.code_comments`.
    between : str
        The column whose two levels are compared (unit, period).
    groups : (a, b), optional
        The two levels; the difference is b - a.
    by : str or list of str, optional
        Compare within each of these groups.
    themes : sequence of str, optional
        Theme ids; default every theme column.
    confidence : float
        Confidence level.

    Returns
    -------
    DataFrame
        ``theme`` then the columns of :func:`workbench.compare` (``group_a``, ``group_b``, ``n_a``,
        ``n_b``, ``estimate_a``, ``estimate_b``, ``difference``, ``se``, ``ci_low``, ``ci_high``,
        ``p_value``, ``method``, ``confidence``).

    Raises
    ------
    DataError, ParameterError
        As :func:`workbench.compare`.

    Notes
    -----
    Agresti-Caffo intervals and the matching test (statsmodels) through :func:`workbench.compare`.
    With twelve themes, about one difference in twenty is "significant" at 95 % by chance alone.

    References
    ----------
    Agresti, A. & Caffo, B. (2000). Simple and effective confidence intervals for proportions and
    differences of proportions. The American Statistician 54(4).
    """
    keys = as_key_list(by)
    rows = _base_rows(coded, "comments")
    check_columns(rows, [between] + keys)
    parts = []
    for col in theme_columns(coded, themes):
        frame = rows[keys + [between]].copy()
        frame["_theme"] = _yes_no(rows[col])
        result = compare(frame, SHARE, between=between, groups=groups, by=keys or None, column="_theme",
                         confidence=confidence)
        result.insert(0, "theme", col[len(THEME_PREFIX):])
        parts.append(result)
    return pd.concat(parts, ignore_index=True)
