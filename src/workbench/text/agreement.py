"""Agreement of automatic coding with manual coding: F1 and Cohen's kappa per theme, with intervals."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import norm
from sklearn.metrics import f1_score, precision_score, recall_score
from statsmodels.stats.inter_rater import cohens_kappa

from .._validate import check_confidence
from ..errors import DataError

__all__ = ["agreement"]


def _kappa(auto: np.ndarray, manual: np.ndarray, labels: Sequence, confidence: float) -> tuple[float, float, float]:
    """Cohen's kappa with its asymptotic interval (statsmodels), from the confusion table."""
    index = {label: i for i, label in enumerate(labels)}
    table = np.zeros((len(labels), len(labels)))
    np.add.at(table, (np.array([index[v] for v in manual]), np.array([index[v] for v in auto])), 1)
    if (table.sum(axis=0) > 0).sum() < 2 and (table.sum(axis=1) > 0).sum() < 2:
        return (1.0, 1.0, 1.0) if (np.diag(table).sum() == table.sum()) else (np.nan, np.nan, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):  # its test under H0 is undefined for degenerate tables
        result = cohens_kappa(table, return_results=True)
    kappa, ase = float(result.kappa), float(result.std_kappa)
    if not np.isfinite(kappa):
        return np.nan, np.nan, np.nan
    half = norm.ppf(0.5 + confidence / 2) * ase  # statsmodels' own interval, at the requested level
    return kappa, max(-1.0, kappa - half), min(1.0, kappa + half)


def agreement(auto: pd.DataFrame | pd.Series, manual: pd.DataFrame | pd.Series, *,
              columns: Sequence[str] | None = None, confidence: float = 0.95) -> pd.DataFrame:
    """How well automatic codes agree with manual codes, per theme (or per label column).

    Parameters
    ----------
    auto : DataFrame or Series
        Automatic codes, e.g. :func:`~workbench.text.themes.classify` (bool per theme) or a ``tone``
        column (labels).
    manual : DataFrame or Series
        Manual codes with the same columns (0/1 or bool for themes; labels for tone), same rows.
    columns : sequence of str, optional
        Columns to compare; default the columns both have.
    confidence : float
        Level of the kappa intervals.

    Returns
    -------
    DataFrame
        One row per column: ``column``, ``n`` (rows), ``kind`` (``binary`` or ``labels``),
        ``n_manual`` (positives coded by hand, binary), ``n_auto``, ``precision``, ``recall``, ``f1``
        (binary: of the positive class; labels: macro over labels), ``accuracy``, ``kappa``,
        ``kappa_low``, ``kappa_high``, ``confidence``. For two or more binary columns two summary rows
        follow: ``micro`` (F1 over all theme decisions pooled) and ``macro`` (mean of the per-theme F1).

    Raises
    ------
    DataError
        No common columns; different numbers of rows; missing codes.

    Notes
    -----
    F1, precision and recall by scikit-learn; Cohen's kappa and its asymptotic standard error
    (Fleiss, Cohen & Everitt 1969) by statsmodels' ``cohens_kappa`` on the confusion table, with the
    interval kappa ± z·ASE at the requested level. As a reading aid,
    Landis & Koch (1977) call kappa 0.61-0.80 substantial and above 0.80 almost perfect; a team
    might let automatic coding replace hand coding for a theme whose kappa interval lies above its
    own hand coders' agreement. Evaluating the default taxonomy on your own coded sample:
    ``agreement(classify(texts), manual)``.

    References
    ----------
    Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and Psychological
    Measurement 20(1). Fleiss, J. L., Cohen, J. & Everitt, B. S. (1969). Psychological Bulletin
    72(5). Landis, J. R. & Koch, G. G. (1977). Biometrics 33(1).

    Examples
    --------
    >>> import pandas as pd
    >>> auto = pd.DataFrame({"phone": [True, True, False, False], "access": [True, False, False, True]})
    >>> manual = pd.DataFrame({"phone": [1, 1, 0, 0], "access": [1, 0, 1, 1]})
    >>> agreement(auto, manual)[["column", "f1", "kappa"]].round(3)
       column     f1  kappa
    0   phone  1.000    1.0
    1  access  0.800    0.5
    2   micro  0.889    NaN
    3   macro  0.900    NaN
    """
    confidence = check_confidence(confidence)
    auto = auto.to_frame() if isinstance(auto, pd.Series) else auto
    manual = manual.to_frame() if isinstance(manual, pd.Series) else manual
    if len(auto) != len(manual):
        raise DataError(f"`auto` has {len(auto)} rows and `manual` {len(manual)}; code the same comments.")
    names = list(columns) if columns is not None else [c for c in auto.columns if c in manual.columns]
    missing = [c for c in names if c not in auto.columns or c not in manual.columns]
    if not names or missing:
        raise DataError(f"No common columns to compare (missing: {missing[:8]}); auto has {len(auto.columns)}, "
                        f"manual {len(manual.columns)} columns.")
    rows, pooled_auto, pooled_manual, binary_f1 = [], [], [], []
    for name in names:
        a, m = auto[name].reset_index(drop=True), manual[name].reset_index(drop=True)
        if a.isna().any() or m.isna().any():
            raise DataError(f"Column {name!r} has missing codes ({int(a.isna().sum())} automatic, "
                            f"{int(m.isna().sum())} manual, of {len(a)} rows); compare coded rows only.")
        values = set(pd.unique(a)) | set(pd.unique(m))
        binary = values <= {0, 1, True, False}
        if binary:
            a, m = a.astype(bool).to_numpy(), m.astype(bool).to_numpy()
            kappa = _kappa(a, m, [False, True], confidence)
            rows.append((name, len(a), "binary", int(m.sum()), int(a.sum()), precision_score(m, a, zero_division=0),
                         recall_score(m, a, zero_division=0), f1_score(m, a, zero_division=0), float(np.mean(a == m)),
                         *kappa))
            pooled_auto.append(a)
            pooled_manual.append(m)
            binary_f1.append(rows[-1][7])
        else:
            a, m = a.astype(str).to_numpy(), m.astype(str).to_numpy()
            labels = sorted(set(a) | set(m))
            kappa = _kappa(a, m, labels, confidence)
            rows.append((name, len(a), "labels", np.nan, np.nan,
                         precision_score(m, a, average="macro", labels=labels, zero_division=0),
                         recall_score(m, a, average="macro", labels=labels, zero_division=0),
                         f1_score(m, a, average="macro", labels=labels, zero_division=0), float(np.mean(a == m)),
                         *kappa))
    out = pd.DataFrame(rows, columns=["column", "n", "kind", "n_manual", "n_auto", "precision", "recall", "f1",
                                      "accuracy", "kappa", "kappa_low", "kappa_high"])
    if len(pooled_auto) >= 2:
        a, m = np.concatenate(pooled_auto), np.concatenate(pooled_manual)
        summary = pd.DataFrame([
            ("micro", len(auto), "binary", int(m.sum()), int(a.sum()), precision_score(m, a, zero_division=0),
             recall_score(m, a, zero_division=0), f1_score(m, a, zero_division=0), float(np.mean(a == m))),
            ("macro", len(auto), "binary", int(m.sum()), int(a.sum()), np.nan, np.nan, float(np.mean(binary_f1)),
             np.nan),
        ], columns=out.columns[:9])
        out = pd.concat([out, summary], ignore_index=True)
    out["confidence"] = confidence
    return out
