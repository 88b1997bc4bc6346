"""Which themes go with the score: NPS impact, a regression on theme x tone, relative importance.

These are associations in observational data, not causes: people who write about queues may rate
lower for many reasons, and the themes people choose to write about are not a random sample of
their experience. Every result here says so in its ``note``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from math import factorial

import numpy as np
import pandas as pd
import statsmodels.api as sm

from .._validate import check_choice, check_columns, check_confidence, check_positive
from ..errors import DataError, ParameterError
from .feedback import THEME_PREFIX, theme_columns

__all__ = ["nps_impact", "driver_regression", "relative_importance", "shapley_r2", "ASSOCIATION_NOTE", "OUTCOMES"]

ASSOCIATION_NOTE = "association, not cause"
OUTCOMES = ("score", "promoter", "detractor")
MAX_SHAPLEY_PREDICTORS = 16


def _scored(coded: pd.DataFrame, score: str, base: str) -> pd.DataFrame:
    check_columns(coded, [score, "commented"])
    check_choice(base, "base", ("comments", "respondents"), error=ParameterError)
    values = pd.to_numeric(coded[score], errors="coerce")
    bad = values.notna() & ((values < 0) | (values > 10) | (values != np.round(values)))
    if bad.any():
        raise DataError(f"Column {score!r} must hold 0-10 answers; {int(bad.sum())} of {len(coded)} rows do not.")
    rows = coded[values.notna() & (coded["commented"].astype(bool) if base == "comments" else True)]
    if len(rows) < 2:
        raise DataError(f"Driver analysis needs answered scores; {len(rows)} of {len(coded)} rows have one.")
    return rows


def nps_impact(coded: pd.DataFrame, *, score: str = "nps", themes: Sequence[str] | None = None,
               base: str = "comments", confidence: float = 0.95, replicates: int = 2000, rng=None) -> pd.DataFrame:
    """NPS impact of each theme: overall NPS minus the NPS of those who did not mention it.

    Parameters
    ----------
    coded : DataFrame
        Output of :func:`~workbench.text.feedback.code_comments`.
    score : str
        The 0-10 recommendation column.
    themes : sequence of str, optional
        Theme ids; default every theme column.
    base : str
        ``"comments"`` (respondents who commented; default) or ``"respondents"`` (everyone).
    confidence : float
        Level of the bootstrap interval.
    replicates : int
        Bootstrap replicates.
    rng : seed or Generator
        Randomness of the bootstrap.

    Returns
    -------
    DataFrame
        ``theme``, ``n`` (base), ``mentions``, ``nps`` (overall), ``nps_mentioned``, ``nps_not_mentioned``,
        ``impact`` (points), ``ci_low``, ``ci_high``, ``confidence``, ``note``.

    Raises
    ------
    DataError
        Scores outside 0-10; too few scored rows.
    ParameterError
        An unknown base; a level outside (0, 1); a non-positive number of replicates.

    Notes
    -----
    impact = NPS(all) - NPS(not mentioned): negative when mentioning the theme goes with lower
    scores. The percentile bootstrap resamples respondents; since NPS depends on each respondent
    only through (mentioned yes/no) x (detractor, passive, promoter), resampling rows is drawing the
    six cell counts from a multinomial with the observed shares, which is what is done (exactly
    equivalent and vectorised).

    References
    ----------
    Qualtrics XM, "NPS impact" of text topics. Efron, B. & Tibshirani, R. (1993). An Introduction to
    the Bootstrap, ch. 13.
    """
    confidence = check_confidence(confidence)
    replicates = check_positive(replicates, "replicates", integer=True)
    rows = _scored(coded, score, base)
    rng = np.random.default_rng(rng)
    points = pd.to_numeric(rows[score]).to_numpy()
    klass = np.where(points <= 6, 0, np.where(points <= 8, 1, 2))
    tail = (1 - confidence) / 2
    out = []
    for col in theme_columns(coded, themes):
        mentioned = rows[col].fillna(False).astype(bool).to_numpy()
        cells = np.bincount(mentioned.astype(int) * 3 + klass, minlength=6).astype(float)
        n = cells.sum()
        draws = rng.multinomial(int(n), cells / n, size=replicates).astype(float)

        def nps(c):
            total = c[..., 0:3] + c[..., 3:6]
            with np.errstate(invalid="ignore", divide="ignore"):
                overall = 100 * (total[..., 2] - total[..., 0]) / total.sum(axis=-1)
                not_m = 100 * (c[..., 2] - c[..., 0]) / c[..., 0:3].sum(axis=-1)
                yes_m = 100 * (c[..., 5] - c[..., 3]) / c[..., 3:6].sum(axis=-1)
            return overall, yes_m, not_m

        overall, yes_m, not_m = nps(cells)
        boot = np.subtract(*nps(draws)[::2])
        boot = boot[np.isfinite(boot)]
        low, high = (np.quantile(boot, [tail, 1 - tail]) if len(boot) else (np.nan, np.nan))
        out.append((col[len(THEME_PREFIX):], int(n), int(mentioned.sum()), overall, yes_m, not_m, overall - not_m,
                    low, high))
    result = pd.DataFrame(out, columns=["theme", "n", "mentions", "nps", "nps_mentioned", "nps_not_mentioned",
                                        "impact", "ci_low", "ci_high"])
    result["confidence"] = confidence
    result["note"] = ASSOCIATION_NOTE
    return result


def _design(rows: pd.DataFrame, columns: list[str], with_tone: bool) -> pd.DataFrame:
    """Indicators: theme mentioned with negative (or mixed) tone, and with positive (or mixed) tone."""
    x = {}
    tone = rows["tone"].astype(object).to_numpy() if with_tone else None
    for col in columns:
        flag = rows[col].fillna(False).astype(bool).to_numpy()
        name = col[len(THEME_PREFIX):]
        if with_tone:
            x[f"{name}:negative"] = (flag & np.isin(tone, ["negative", "mixed"])).astype(float)
            x[f"{name}:positive"] = (flag & np.isin(tone, ["positive", "mixed"])).astype(float)
        else:
            x[name] = flag.astype(float)
    design = pd.DataFrame(x, index=rows.index)
    return design.loc[:, design.std(ddof=0) > 0]


def driver_regression(coded: pd.DataFrame, *, score: str = "nps", themes: Sequence[str] | None = None,
                      outcome: str = "score", tone: bool = True, confidence: float = 0.95) -> pd.DataFrame:
    """Regression of the score on theme x tone indicators (statsmodels), one row per term.

    Parameters
    ----------
    coded : DataFrame
        Output of :func:`~workbench.text.feedback.code_comments` (rows with a comment and a score are used).
    score : str
        The 0-10 column.
    themes : sequence of str, optional
        Theme ids; default every theme column.
    outcome : str
        ``"score"`` (OLS of the 0-10 answer), ``"promoter"`` (9-10) or ``"detractor"`` (0-6) (logit,
        reported as average marginal effects in percentage points).
    tone : bool
        Split each theme by tone (``access:negative``, ``access:positive``; mixed counts in both);
        False: one indicator per theme.
    confidence : float
        Confidence level.

    Returns
    -------
    DataFrame
        ``term``, ``estimate`` (score points, or percentage points), ``se``, ``ci_low``, ``ci_high``,
        ``p_value``, ``n``, ``mentions``, ``outcome``, ``method``, ``confidence``, ``note``.
        Terms no comment has are left out.

    Raises
    ------
    DataError
        Too few rows for the number of terms; scores outside 0-10.
    ParameterError
        An unknown outcome; a level outside (0, 1).

    Notes
    -----
    OLS with HC3 heteroscedasticity-consistent standard errors (MacKinnon & White 1985) for the
    score; a logit with average marginal effects (statsmodels ``get_margeff``) for the shares. The
    reference is a comment that mentions none of the terms (or mentions a theme neutrally).

    References
    ----------
    MacKinnon, J. G. & White, H. (1985). Journal of Econometrics 29(3). Seabold, S. & Perktold, J.
    (2010). statsmodels. Proceedings of the 9th Python in Science Conference.
    """
    check_choice(outcome, "outcome", OUTCOMES, error=ParameterError)
    confidence = check_confidence(confidence)
    rows = _scored(coded, score, "comments")
    if tone:
        check_columns(rows, ["tone"])
        rows = rows[rows["tone"].notna()]
    x = _design(rows, theme_columns(coded, themes), tone)
    if len(rows) <= x.shape[1] + 1:
        raise DataError(f"Driver regression needs more rows than terms: {len(rows)} rows, {x.shape[1]} terms.")
    points = pd.to_numeric(rows[score]).to_numpy(float)
    exog = sm.add_constant(x, has_constant="add")
    alpha = 1 - confidence
    if outcome == "score":
        fit = sm.OLS(points, exog).fit(cov_type="HC3")
        est, se, p = fit.params[x.columns], fit.bse[x.columns], fit.pvalues[x.columns]
        ci = fit.conf_int(alpha=alpha).loc[x.columns]
        low, high, method = ci[0], ci[1], "ols-hc3"
    else:
        y = (points >= 9) if outcome == "promoter" else (points <= 6)
        fit = sm.Logit(y.astype(float), exog).fit(disp=0, maxiter=200)
        margins = fit.get_margeff(at="overall", method="dydx")
        frame = margins.summary_frame(alpha=alpha)
        frame.index = x.columns
        est, se, p = 100 * frame["dy/dx"], 100 * frame["Std. Err."], frame["Pr(>|z|)"]
        low, high, method = 100 * frame.iloc[:, 4], 100 * frame.iloc[:, 5], "logit-ame"
    return pd.DataFrame({
        "term": x.columns, "estimate": np.asarray(est), "se": np.asarray(se), "ci_low": np.asarray(low),
        "ci_high": np.asarray(high), "p_value": np.asarray(p), "n": len(rows),
        "mentions": x.sum().astype(int).to_numpy(), "outcome": outcome, "method": method, "confidence": confidence,
        "note": ASSOCIATION_NOTE,
    })


def shapley_r2(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Shapley decomposition of the R² of an OLS regression (LMG): one share per predictor.

    Parameters
    ----------
    x : ndarray, shape (n, p)
        Predictors (an intercept is always included; do not add one).
    y : ndarray, shape (n,)
        Outcome.

    Returns
    -------
    ndarray, shape (p,)
        Each predictor's average increase of R² over all orders of entry; they sum to the full R².

    Raises
    ------
    ParameterError
        More than 16 predictors (2^p subsets), or shapes that do not match.

    Notes
    -----
    phi_j = sum over subsets S without j of |S|! (p - |S| - 1)! / p! * (R²(S + j) - R²(S)), with the
    R² of every subset from the covariance matrix: R²(S) = c_S' C_SS^+ c_S / var(y). Written by hand
    because no maintained Python library computes it (R: ``relaimpo::calc.relimp(type = "lmg")``);
    checked against an independent brute force over all p! orders of entry with R's ``lm``
    (``tests/reference/shapley_r2.R``) and against a Python brute force in the tests.

    References
    ----------
    Lindeman, R. H., Merenda, P. F. & Gold, R. Z. (1980). Introduction to Bivariate and Multivariate
    Analysis. Grömping, U. (2006). Relative importance for linear regression in R: the package
    relaimpo. Journal of Statistical Software 17(1).
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.ndim != 2 or y.shape != (x.shape[0],):
        raise ParameterError(f"`x` must be (n, p) and `y` (n,); got {x.shape} and {y.shape}.")
    p = x.shape[1]
    if p > MAX_SHAPLEY_PREDICTORS:
        raise ParameterError(f"Shapley R² enumerates 2^p subsets; at most {MAX_SHAPLEY_PREDICTORS} predictors, "
                             f"got {p}. Group the predictors or use fewer themes.")
    xc, yc = x - x.mean(axis=0), y - y.mean()
    cxx, cxy, syy = xc.T @ xc, xc.T @ yc, float(yc @ yc)
    r2 = np.zeros(1 << p)
    if syy > 0:
        for size in range(1, p + 1):  # every subset of one size at once: a stack of small pseudo-inverses
            subsets = np.array(list(itertools.combinations(range(p), size)), dtype=np.int64)
            c = cxy[subsets]
            inverse = np.linalg.pinv(cxx[subsets[:, :, None], subsets[:, None, :]], hermitian=True)
            masks = (1 << subsets).sum(axis=1)
            r2[masks] = np.einsum("mi,mij,mj->m", c, inverse, c) / syy
    all_masks = np.arange(1 << p)
    sizes = np.array([bin(m).count("1") for m in all_masks])
    weights = np.array([factorial(k) * factorial(p - k - 1) / factorial(p) for k in range(p)] + [0.0])
    phi = np.zeros(p)
    for j in range(p):
        without = all_masks[(all_masks >> j & 1) == 0]
        phi[j] = float(np.sum(weights[sizes[without]] * (r2[without | 1 << j] - r2[without])))
    return phi


def relative_importance(coded: pd.DataFrame, *, score: str = "nps", themes: Sequence[str] | None = None,
                        rng=None, replicates: int = 200, confidence: float = 0.95) -> pd.DataFrame:
    """Relative importance of the themes for the score: Shapley decomposition of R², with a bootstrap.

    Parameters
    ----------
    coded : DataFrame
        Output of :func:`~workbench.text.feedback.code_comments` (rows with a comment and a score).
    score : str
        The 0-10 column.
    themes : sequence of str, optional
        Theme ids (at most 16); default every theme column.
    rng : seed or Generator
        Randomness of the bootstrap.
    replicates : int
        Bootstrap replicates for the intervals (0: none).
    confidence : float
        Level of the percentile intervals.

    Returns
    -------
    DataFrame
        ``theme``, ``r2_share`` (its part of R²), ``share`` (% of the model's R²), ``ci_low``,
        ``ci_high`` (of ``r2_share``), ``r2`` (the full model's), ``n``, ``confidence``, ``note``.

    Raises
    ------
    DataError
        Too few rows.
    ParameterError
        More than 16 themes; a level outside (0, 1).

    Notes
    -----
    :func:`shapley_r2` on one mention indicator per theme; themes no comment mentions are left out.
    Percentile bootstrap over respondents. Importance is a share of *explained* variance, and the
    whole model often explains little of a 0-10 answer: read ``r2`` first.

    References
    ----------
    Grömping, U. (2006). Journal of Statistical Software 17(1). Johnson, J. W. & LeBreton, J. M.
    (2004). History and use of relative importance indices. Organizational Research Methods 7(3).
    """
    confidence = check_confidence(confidence)
    if isinstance(replicates, bool) or not isinstance(replicates, (int, np.integer)) or replicates < 0:
        raise ParameterError(f"`replicates` must be a whole number >= 0; got {replicates!r}.")
    rows = _scored(coded, score, "comments")
    x = _design(rows, theme_columns(coded, themes), with_tone=False)
    y = pd.to_numeric(rows[score]).to_numpy(float)
    if len(rows) <= x.shape[1] + 1:
        raise DataError(f"Relative importance needs more rows than themes: {len(rows)} rows, {x.shape[1]} themes.")
    values = x.to_numpy()
    phi = shapley_r2(values, y)
    rng = np.random.default_rng(rng)
    boot = np.empty((replicates, len(phi)))
    for b in range(replicates):
        pick = rng.integers(0, len(y), len(y))
        boot[b] = shapley_r2(values[pick], y[pick])
    tail = (1 - confidence) / 2
    low, high = (np.quantile(boot, [tail, 1 - tail], axis=0) if replicates else (np.full(len(phi), np.nan),) * 2)
    total = phi.sum()
    return pd.DataFrame({
        "theme": list(x.columns), "r2_share": phi, "share": 100 * phi / total if total > 0 else np.nan,
        "ci_low": low, "ci_high": high, "r2": total, "n": len(y), "confidence": confidence, "note": ASSOCIATION_NOTE,
    }).sort_values("r2_share", ascending=False, ignore_index=True)

