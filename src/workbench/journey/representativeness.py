"""Representativeness of invitations and responses: R-indicators and partial R-indicators.

Who is under-invited? The population is the contacts of the period; the "response" is an invitation (or an
expected response). Propensities come from a logistic model on the auxiliary variables (age group, language,
service, …); the R-indicator measures how much they vary, and the partial R-indicators say which variable and
which category carry the variation, with and without the other variables held fixed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

from .._validate import as_key_list, check_choice, check_columns, show_values
from ..errors import DataError, ParameterError
from .simulate import Simulation

__all__ = ["RIndicators", "r_indicators", "r_indicators_from_propensities", "contact_outcomes"]

MISSING = "(missing)"


@dataclass(frozen=True)
class RIndicators:
    """R-indicator and partial R-indicators of one outcome.

    Attributes
    ----------
    overall : DataFrame
        One row: ``r_indicator`` (1 − 2 S(ρ)), ``sd_propensity`` S(ρ), ``mean_propensity``, ``n``, ``model``.
    variables : DataFrame
        ``variable``, ``partial_unconditional`` P_U, ``partial_conditional`` P_C.
    categories : DataFrame
        ``variable``, ``category``, ``n``, ``propensity`` (mean in the category), ``partial_unconditional``
        (signed: below zero means under-represented), ``partial_conditional``.
    """

    overall: pd.DataFrame
    variables: pd.DataFrame
    categories: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The category table with the overall R-indicator repeated on every row."""
        return self.categories.assign(r_indicator=float(self.overall["r_indicator"].iloc[0]))


def r_indicators_from_propensities(cells: pd.DataFrame, variables: Sequence[str], *, n: str = "n",
                                   propensity: str = "propensity", model: str = "given") -> RIndicators:
    """R-indicator and partial R-indicators from propensities constant within cells.

    Parameters
    ----------
    cells : DataFrame
        One row per cell of the cross-classification of ``variables`` (or per unit, with ``n`` = 1): the
        variables, the number of population units ``n`` and their ``propensity``.
    variables : list of str
        The auxiliary variables (at least one).
    n, propensity : str
        Column names.
    model : str
        A label for the ``overall`` table.

    Returns
    -------
    RIndicators

    Raises
    ------
    DataError
        Missing columns, negative counts, propensities outside [0, 1], no population.

    Notes
    -----
    With N = Σ n_c, ρ̄ = Σ n_c ρ_c / N (Schouten, Cobben & Bethlehem 2009):

    - R = 1 − 2 S(ρ), S²(ρ) = Σ n_c (ρ_c − ρ̄)² / (N − 1).
    - Unconditional partial of Z, category k (Schouten, Shlomo & Skinner 2011; Schouten et al. 2012):
      P_U(Z, k) = sign(ρ̄_k − ρ̄) √(N_k (ρ̄_k − ρ̄)² / N); P_U(Z) = √Σ_k P_U(Z, k)², the
      between-category standard deviation.
    - Conditional partial of Z given the other variables X⁻ (cells l of X⁻):
      P_C(Z, k) = √(Σ_{c: Z = k} n_c (ρ_c − ρ̄_l(c))² / N); P_C(Z) = √Σ_k P_C(Z, k)², the within-cell
      standard deviation: what Z adds once the others are accounted for.

    The partials divide by N and R by N − 1, as in the RISQ R code (de Heij, Schouten & Shlomo 2010).
    Written by hand because no maintained Python package implements them; checked against a hand-worked
    population and an independent R computation (``tests/reference/r_indicators.R``).

    References
    ----------
    Schouten, B., Cobben, F. & Bethlehem, J. (2009), Indicators for the representativeness of survey response,
    Survey Methodology 35(1), 101–113. Schouten, B., Shlomo, N. & Skinner, C. (2011), Indicators for monitoring
    and improving representativeness of response, Journal of Official Statistics 27(2), 231–253. Schouten, B.,
    Bethlehem, J., Beullens, K., Kleven, Ø., Loosveldt, G., Luiten, A., Rutar, K., Shlomo, N. & Skinner, C.
    (2012), Evaluating, comparing, monitoring and improving representativeness of survey response through
    R-indicators and partial R-indicators, International Statistical Review 80(3), 382–399.
    """
    variables = as_key_list(variables)
    if not variables:
        raise ParameterError("`variables` must name at least one auxiliary variable.")
    check_columns(cells, variables + [n, propensity], role="cell column")
    size = pd.to_numeric(cells[n], errors="coerce").to_numpy(float)
    rho = pd.to_numeric(cells[propensity], errors="coerce").to_numpy(float)
    bad = ~(size >= 0) | ~((rho >= 0) & (rho <= 1))
    if bad.any():
        raise DataError(f"Cells need counts >= 0 and propensities in [0, 1]; {int(bad.sum())} of {len(cells)} "
                        f"cells do not ({show_values(rho[bad][:5])}).")
    total = size.sum()
    if total <= 1:
        raise DataError(f"The population has {total:g} units; R-indicators need at least 2.")
    frame = cells[variables].astype(object).fillna(MISSING).astype(str).assign(_n=size, _w=size * rho)
    mean = frame["_w"].sum() / total
    sd = np.sqrt(np.sum(size * (rho - mean) ** 2) / (total - 1))
    overall = pd.DataFrame({"r_indicator": [1 - 2 * sd], "sd_propensity": [sd], "mean_propensity": [mean],
                            "n": [total], "model": [model]})
    rows, per_variable = [], []
    for z in variables:
        by_k = frame.groupby(z, sort=True)[["_n", "_w"]].sum()
        mean_k = by_k["_w"] / by_k["_n"]
        between = by_k["_n"] * (mean_k - mean) ** 2 / total
        others = [v for v in variables if v != z]
        if others:
            cell_mean = frame.groupby(others)["_w"].transform("sum") / frame.groupby(others)["_n"].transform("sum")
        else:
            cell_mean = pd.Series(mean, index=frame.index)
        within = pd.Series(size * (rho - cell_mean.to_numpy()) ** 2 / total, index=frame.index).groupby(frame[z]).sum()
        for k in by_k.index:
            rows.append((z, k, by_k.loc[k, "_n"], mean_k[k], np.sign(mean_k[k] - mean) * np.sqrt(between[k]),
                         np.sqrt(within[k])))
        per_variable.append((z, np.sqrt(between.sum()), np.sqrt(within.sum())))
    categories = pd.DataFrame(rows, columns=["variable", "category", "n", "propensity", "partial_unconditional",
                                             "partial_conditional"])
    table = pd.DataFrame(per_variable, columns=["variable", "partial_unconditional", "partial_conditional"])
    return RIndicators(overall, table, categories)


def contact_outcomes(simulation: Simulation, *, variables: Sequence[str] = ("age_group", "language", "service")
                     ) -> pd.DataFrame:
    """Contacts of the simulated period by cell: how many, how many led to an invitation, expected responses.

    Parameters
    ----------
    simulation : Simulation
    variables : list of str
        Candidate columns that define the cells.

    Returns
    -------
    DataFrame
        The variables (missing values as "(missing)"), ``n`` (contacts), ``invited`` (contacts that led to an
        invitation, its step or its journey end), ``responses`` (expected responses).

    Raises
    ------
    DataError
        An unknown column.

    Notes
    -----
    The population is every valid contact in the period (one row per event); a contact counts as invited if
    any candidate it raised was invited. Grouping reduces millions of contacts to a few hundred cells.

    References
    ----------
    Schouten, Cobben & Bethlehem (2009), Survey Methodology 35(1).
    """
    variables = as_key_list(variables)
    cand = simulation.candidates
    check_columns(cand, variables, role="auxiliary column")
    dropped = cand["reason"].isin(["invalid_event", "outside_period"]).to_numpy()
    invited = cand["invited"].to_numpy()
    per_event = pd.DataFrame({"event": cand["event"].to_numpy(), "inv": invited,
                              "p": np.where(invited, cand["p_response"].fillna(0).to_numpy(), 0.0)})[~dropped]
    per_event = per_event.groupby("event", sort=True).agg(inv=("inv", "max"), p=("p", "sum"))
    first = cand.loc[~dropped].drop_duplicates("event").set_index("event").loc[per_event.index, variables]
    first = first.astype(object).fillna(MISSING).astype(str)
    frame = first.assign(invited=per_event["inv"].to_numpy(), responses=np.minimum(per_event["p"].to_numpy(), 1.0))
    return frame.groupby(variables, sort=True).agg(n=("invited", "size"), invited=("invited", "sum"),
                                                   responses=("responses", "sum")).reset_index()


def r_indicators(simulation: Simulation | pd.DataFrame, *, variables: Sequence[str] = ("age_group", "language",
                 "service"), outcome: str = "invited", model: str = "main") -> RIndicators:
    """R-indicators of invitations (or expected responses) among the contacts of the period.

    Parameters
    ----------
    simulation : Simulation or DataFrame
        A simulation, or cells as from :func:`contact_outcomes` (``n``, ``invited``, ``responses``).
    variables : list of str
        Auxiliary variables of the propensity model.
    outcome : {"invited", "responses"}
        Whether a contact led to an invitation, or to a response (expected).
    model : {"main", "saturated"}
        Logistic regression with main effects of the variables (the usual choice), or one propensity per cell.

    Returns
    -------
    RIndicators

    Raises
    ------
    MethodError
        An unknown outcome or model.
    DataError
        Missing columns; no contacts.

    Notes
    -----
    The main-effects model is a binomial GLM with logit link fitted on cell counts (statsmodels), which gives
    the same estimates as the individual-level model, as R's ``glm`` on the unit-level data confirms in the
    reference test. With expected responses the "successes" are fractional (quasi-binomial fit). A group that
    is always (or never) invited separates the logit; the fitted propensities then tend to 1 (or 0), the right
    limit, so statsmodels' separation warning is not passed on. Every contact
    of the period is observed, so there is no sampling error in the population sense; the figures describe
    one simulated draw of the sampling.

    References
    ----------
    Schouten, Cobben & Bethlehem (2009), Survey Methodology 35(1); Schouten, Shlomo & Skinner (2011), JOS 27(2).
    """
    check_choice(outcome, "outcome", ("invited", "responses"))
    check_choice(model, "model", ("main", "saturated"))
    variables = as_key_list(variables)
    cells = contact_outcomes(simulation, variables=variables) if isinstance(simulation, Simulation) else simulation
    check_columns(cells, variables + ["n", outcome], role="cell column")
    cells = cells[cells["n"] > 0].reset_index(drop=True)
    if cells.empty:
        raise DataError("No contacts in the period: nothing to assess.")
    size = cells["n"].to_numpy(float)
    success = cells[outcome].to_numpy(float)
    if model == "saturated":
        rho = success / size
    else:
        design = pd.get_dummies(cells[variables].astype(str), drop_first=True, dtype=float)
        design.insert(0, "const", 1.0)
        design = design.loc[:, design.std(ddof=0).gt(0) | (design.columns == "const")]
        endog = np.column_stack([success, size - success])
        with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
            # A group invited always (or never) separates the logit: the fit tends to 0 or 1, the right limit.
            warnings.simplefilter("ignore", PerfectSeparationWarning)
            warnings.simplefilter("ignore", RuntimeWarning)
            fit = sm.GLM(endog, design.to_numpy(), family=sm.families.Binomial()).fit()
        rho = fit.predict(design.to_numpy())
    return r_indicators_from_propensities(cells.assign(propensity=rho), variables,
                                          model=f"logit main effects ({outcome})" if model == "main"
                                          else f"saturated ({outcome})")
