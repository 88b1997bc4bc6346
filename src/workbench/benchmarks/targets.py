"""Target setting: target options per unit, each checked for verifiability at the planned n."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .._validate import as_key_list, check_columns, check_confidence, check_positive
from ..stats.scales import Metric, get_metric
from .peers import achievable_benchmark
from .results import MIN_UNITS, check_results

__all__ = ["propose_targets"]


def propose_targets(
    results: pd.DataFrame,
    metric: str | Metric,
    *,
    unit: str,
    by: str | Sequence[str] | None = None,
    planned_n: int = 200,
    confidence: float = 0.95,
    power: float = 0.8,
    min_units: int = MIN_UNITS,
) -> pd.DataFrame:
    """Target options per unit side by side, each checked for verifiability at the planned n.

    Parameters
    ----------
    results : DataFrame
        One row per unit with ``n``, ``estimate`` and ``se``.
    metric : str or Metric
    unit : str
        The unit column.
    by : str or list, optional
        Peers are the units of the same group (e.g. service type).
    planned_n : int
        Responses per unit and period planned for verifying the target.
    confidence, power : float
    min_units : int

    Returns
    -------
    DataFrame
        A long table: ``by`` keys, ``unit``, ``baseline``, ``n``, ``option``, ``target``, ``gain``,
        ``mdi``, ``verifiable``, ``n_to_verify``, ``status``.

    Raises
    ------
    DataError
        Missing columns, non-positive n, missing estimates, too few units.
    ParameterError
        Bad levels or planned n.

    Notes
    -----
    Options: ``peer median``, ``top quartile`` (75th percentile of peers), ``ABC`` (see
    :func:`achievable_benchmark`) and ``baseline + MDI`` (the baseline plus the minimal detectable
    improvement between two periods of ``planned_n`` responses). For each option: ``gain`` = target -
    baseline; ``mdi`` = (z_{1-α/2} + z_{power}) √(2 σ²/planned_n) with σ² = n · se²;
    ``verifiable`` = gain >= mdi; ``n_to_verify`` = (z_{1-α/2} + z_{power})² 2σ² / gain². A target at
    or below the baseline is ``already reached``.

    References
    ----------
    Kiefe et al. (1998); Cohen, J. (1988). Statistical Power Analysis, ch. 2.
    """
    metric = get_metric(metric)
    keys = as_key_list(by)
    confidence = check_confidence(confidence)
    power = check_confidence(power, "power")
    planned_n = check_positive(planned_n, "planned_n", integer=True)
    check_columns(results, [unit, "se"], role="results column")
    check_results(results, min_units=min_units, keys=keys)
    abc = achievable_benchmark(results, metric, by=keys or None, min_units=min_units)
    peers = results.groupby(keys, sort=True)["estimate"] if keys else None
    table = results[keys + [unit, "n", "estimate", "se"]].rename(columns={"estimate": "baseline"}).copy()
    if keys:
        table = table.merge(peers.median().rename("peer median").reset_index(), on=keys)
        table = table.merge(peers.quantile(0.75).rename("top quartile").reset_index(), on=keys)
        table = table.merge(abc[keys + ["abc"]].rename(columns={"abc": "ABC"}), on=keys)
    else:
        table["peer median"] = results["estimate"].median()
        table["top quartile"] = results["estimate"].quantile(0.75)
        table["ABC"] = abc["abc"].iloc[0]
    zz = stats.norm.ppf(0.5 + confidence / 2) + stats.norm.ppf(power)
    sigma2 = table["n"].to_numpy(float) * table["se"].to_numpy(float) ** 2
    mdi = zz * np.sqrt(2 * sigma2 / planned_n)
    table["baseline + MDI"] = np.minimum(table["baseline"] + mdi, metric.bounds[1])
    options = ["peer median", "top quartile", "ABC", "baseline + MDI"]
    long = table.melt(id_vars=keys + [unit, "n", "baseline", "se"], value_vars=options, var_name="option",
                      value_name="target")
    sigma2_long = long["n"].to_numpy(float) * long["se"].to_numpy(float) ** 2
    long["gain"] = long["target"] - long["baseline"]
    long["mdi"] = zz * np.sqrt(2 * sigma2_long / planned_n)
    long["verifiable"] = long["gain"] >= long["mdi"] - 1e-9
    with np.errstate(divide="ignore"):
        need = np.where(long["gain"] > 0, np.ceil(zz**2 * 2 * sigma2_long / np.maximum(long["gain"], 1e-12) ** 2), np.nan)
    long["n_to_verify"] = need
    long["status"] = np.where(long["gain"] <= 0, "already reached",
                              np.where(long["verifiable"], "verifiable", "not verifiable at planned n"))
    long["option"] = pd.Categorical(long["option"], categories=options, ordered=True)
    long = long.sort_values(keys + [unit, "option"]).reset_index(drop=True)
    long["option"] = long["option"].astype(str)
    return long.drop(columns="se")
