"""Response rates: the ones a simulation uses (given, or from the rules), and estimates from past invitations."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from .._validate import as_key_list, check_columns, check_confidence, show_values
from ..errors import ParameterError
from .rules import Rules

__all__ = ["response_rate_table", "estimate_response_rates"]


def response_rate_table(rules: Rules, response_rates: pd.DataFrame | None = None) -> pd.DataFrame:
    """The response rates a simulation uses: given ones, else those of the rules.

    Parameters
    ----------
    rules : Rules
    response_rates : DataFrame, optional
        ``channel``, ``response_rate`` and optionally ``age_group`` (``"*"`` or missing = the channel's default),
        for example from :func:`~workbench.journey.outcomes.estimate_response_rates`.

    Returns
    -------
    DataFrame
        ``channel``, ``age_group``, ``response_rate``.

    Raises
    ------
    ParameterError
        Missing columns, a rate outside [0, 1], a channel the rules do not define, a repeated row.

    Notes
    -----
    A rate for a channel and age group overrides the channel's default.

    References
    ----------
    AAPOR (2023), *Standard Definitions*, 10th ed. (response rate RR1 = responses / invitations).
    """
    if response_rates is None:
        return pd.DataFrame(list(rules.response_rates), columns=["channel", "age_group", "response_rate"])
    check_columns(response_rates, ["channel", "response_rate"], role="response-rate column")
    table = response_rates.copy()
    table["age_group"] = table["age_group"].fillna("*").astype(str) if "age_group" in table else "*"
    rate = pd.to_numeric(table["response_rate"], errors="coerce")
    if (~rate.between(0, 1)).any():
        bad = table.loc[~rate.between(0, 1), "response_rate"]
        raise ParameterError(f"`response_rates` must hold rates in [0, 1]; got {show_values(bad)}.")
    unknown = sorted(set(table["channel"]) - set(rules.channels))
    if unknown:
        raise ParameterError(f"`response_rates` names channel(s) {show_values(unknown)} that the rules "
                             f"({rules.source}) do not define: {list(rules.channels)}.")
    if table.duplicated(["channel", "age_group"]).any():
        raise ParameterError("`response_rates` has more than one rate for a channel and age group.")
    return pd.DataFrame({"channel": table["channel"].astype(str), "age_group": table["age_group"],
                         "response_rate": rate.astype(float)}).reset_index(drop=True)


def estimate_response_rates(history: pd.DataFrame, *, by: str | Sequence[str] = ("channel", "age_group"),
                            responded: str = "responded", confidence: float = 0.95, min_n: int = 30
                            ) -> pd.DataFrame:
    """Response rates from past invitations, with Wilson intervals, in the form :func:`simulate` takes.

    Parameters
    ----------
    history : DataFrame
        One row per past invitation, with ``by`` columns and a 0/1 or boolean ``responded`` column.
    by : str or list of str
        Usually channel and age group; ``channel`` is required.
    responded : str
    confidence : float
    min_n : int
        Groups with fewer invitations fall back to the channel's pooled rate (``age_group`` "*").

    Returns
    -------
    DataFrame
        ``channel``, ``age_group``, ``invitations``, ``responses``, ``response_rate``, ``ci_low``, ``ci_high``,
        ``method``, ``confidence``; a "*" row per channel holds the pooled rate.

    Raises
    ------
    DataError
        Missing columns; ParameterError for response values other than 0/1.

    Notes
    -----
    RR = responses / invitations (AAPOR RR1 with every invitation eligible); intervals by statsmodels
    ``proportion_confint(method="wilson")`` (Brown, Cai & DasGupta 2001).

    References
    ----------
    Brown, Cai & DasGupta (2001), Interval estimation for a binomial proportion, Statistical Science 16(2).
    """
    confidence = check_confidence(confidence)
    keys = as_key_list(by)
    if "channel" not in keys:
        raise ParameterError(f"`by` must include 'channel'; got {keys}.")
    check_columns(history, keys + [responded], role="history column")
    values = history[responded].astype("float64")
    bad = ~values.isin([0.0, 1.0])
    if bad.any():
        shown = show_values(history.loc[bad, responded].unique())
        raise ParameterError(f"Column {responded!r} must be 0/1 or true/false; got {shown} "
                             f"in {int(bad.sum())} of {len(history)} rows.")
    frame = history[keys].assign(_r=values)
    parts = [frame.groupby(keys, observed=True).agg(invitations=("_r", "size"), responses=("_r", "sum")).reset_index()]
    pooled = frame.groupby("channel", observed=True).agg(invitations=("_r", "size"), responses=("_r", "sum"))
    parts.append(pooled.reset_index().assign(**{k: "*" for k in keys if k != "channel"}))
    table = pd.concat(parts, ignore_index=True)
    small = table[[k for k in keys if k != "channel"]].ne("*").any(axis=1) & (table["invitations"] < min_n)
    table = table[~small].reset_index(drop=True)
    table["response_rate"] = table["responses"] / table["invitations"]
    low, high = proportion_confint(table["responses"], table["invitations"], alpha=1 - confidence, method="wilson")
    table["ci_low"], table["ci_high"] = np.asarray(low), np.asarray(high)
    table["method"], table["confidence"] = "wilson", confidence
    if "age_group" not in table:
        table["age_group"] = "*"
    return table
