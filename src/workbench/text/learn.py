"""Learning themes from manual coding: TF-IDF of lemmas and a linear model per theme (scikit-learn)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from .._validate import check_positive
from ..errors import DataError, ParameterError
from .agreement import agreement
from .analysis import analyse

__all__ = ["ThemeClassifier", "cross_validate_themes"]


def _documents(texts, lemmatiser: str) -> list[str]:
    a = analyse(texts, lemmatiser=lemmatiser)
    docs = a.documents()
    return [docs[c] if c >= 0 else "" for c in a.codes]


def _labels(labels) -> tuple[np.ndarray, list[str]]:
    frame = labels if isinstance(labels, pd.DataFrame) else pd.DataFrame(np.asarray(labels))
    if frame.isna().any().any():
        raise DataError(f"Manual codes have {int(frame.isna().sum().sum())} missing values; code every comment.")
    values = frame.to_numpy()
    if not np.isin(values, [0, 1, True, False]).all():
        raise DataError("Manual codes must be 0/1 or True/False per theme.")
    return values.astype(bool), [str(c) for c in frame.columns]


class ThemeClassifier(BaseEstimator):
    """Themes learnt from hand-coded comments: TF-IDF of lemmas and one logistic regression per theme.

    Parameters
    ----------
    C : float
        Inverse L2 penalty of the logistic regressions.
    ngram_range : (int, int)
        Lemma n-grams used (``(1, 2)``: lemmas and lemma pairs).
    min_df : int
        Lemmas (n-grams) in fewer comments are left out.
    class_weight : str or None
        ``"balanced"`` (default) weighs the rare positive class up, as themes are rare.
    lemmatiser : str
        ``"simplemma"`` or ``"voikko"``.
    random_state : int, optional
        Seed of the ``liblinear`` solver.

    Attributes
    ----------
    themes_ : list of str
        Theme names, from the columns of the labels.
    vectorizer_ : TfidfVectorizer
        The fitted TF-IDF vocabulary.
    models_ : list
        One fitted LogisticRegression per theme, or a constant (True/False) for a theme coded the same
        way in every training comment.
    """

    def __init__(self, C: float = 4.0, ngram_range: tuple[int, int] = (1, 2), min_df: int = 1,
                 class_weight: str | None = "balanced", lemmatiser: str = "simplemma", random_state: int | None = None):
        self.C = C
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.class_weight = class_weight
        self.lemmatiser = lemmatiser
        self.random_state = random_state

    def fit(self, texts, labels) -> ThemeClassifier:
        """Learn from comments and their manual codes (DataFrame: one 0/1 column per theme)."""
        y, self.themes_ = _labels(labels)
        docs = _documents(texts, self.lemmatiser)
        if len(docs) != len(y):
            raise DataError(f"{len(docs)} comments but {len(y)} rows of manual codes.")
        self.vectorizer_ = TfidfVectorizer(analyzer="word", token_pattern=r"\S+", ngram_range=tuple(self.ngram_range),
                                           min_df=self.min_df, sublinear_tf=True, lowercase=False)
        x = self.vectorizer_.fit_transform(docs)
        self.models_ = []
        for j in range(y.shape[1]):
            if y[:, j].all() or not y[:, j].any():
                self.models_.append(bool(y[0, j]))
                continue
            model = LogisticRegression(C=self.C, class_weight=self.class_weight, solver="liblinear", max_iter=1000,
                                       random_state=self.random_state)
            self.models_.append(model.fit(x, y[:, j]))
        return self

    def predict_proba(self, texts) -> pd.DataFrame:
        """Probability of each theme per comment (columns: themes)."""
        if not hasattr(self, "models_"):
            raise DataError("This ThemeClassifier is not fitted yet; call `fit(texts, labels)` first.")
        x = self.vectorizer_.transform(_documents(texts, self.lemmatiser))
        columns = {}
        for theme, model in zip(self.themes_, self.models_):
            columns[theme] = (np.full(x.shape[0], float(model)) if isinstance(model, bool)
                              else model.predict_proba(x)[:, 1])
        index = texts.index if isinstance(texts, pd.Series) else None
        return pd.DataFrame(columns, index=index)

    def predict(self, texts) -> pd.DataFrame:
        """Themes per comment (bool columns), at probability 0.5."""
        return self.predict_proba(texts) >= 0.5


def cross_validate_themes(texts, labels: pd.DataFrame, *, folds: int = 5, rng: int | None = 0,
                          confidence: float = 0.95, **params) -> pd.DataFrame:
    """Cross-validated agreement of a :class:`ThemeClassifier` with the manual coding it learns from.

    Parameters
    ----------
    texts : sequence or Series of str
        Hand-coded comments.
    labels : DataFrame
        Manual codes: one 0/1 column per theme, rows aligned with ``texts``.
    folds : int
        Number of folds (shuffled K-fold).
    rng : int, optional
        Seed of the fold split and of the solver.
    confidence : float
        Level of the kappa intervals.
    **params
        Hyper-parameters of :class:`ThemeClassifier`.

    Returns
    -------
    DataFrame
        :func:`~workbench.text.agreement.agreement` of the out-of-fold predictions with the manual
        codes: per theme ``f1``, ``precision``, ``recall``, ``kappa`` with its interval, then ``micro``
        and ``macro`` rows.

    Raises
    ------
    DataError
        Missing or non-binary codes; fewer comments than folds.
    ParameterError
        ``folds`` below 2.

    Notes
    -----
    Each comment is predicted by a model that never saw it (scikit-learn ``KFold``), so the figures
    estimate how the classifier would code new comments like these. A theme with few hand-coded
    positives has a wide kappa interval: code more examples of it before relying on it.

    References
    ----------
    Hastie, T., Tibshirani, R. & Friedman, J. (2009). The Elements of Statistical Learning, §7.10.
    pxtextmining (NHS England): TF-IDF and linear models for patient feedback.
    """
    folds = check_positive(folds, "folds", integer=True)
    if folds < 2:
        raise ParameterError(f"`folds` must be at least 2; got {folds}.")
    y, themes = _labels(labels)
    texts = list(texts)
    if len(texts) != len(y) or len(texts) < folds:
        raise DataError(f"{len(texts)} comments and {len(y)} rows of codes; need equal numbers, at least `folds`.")
    predicted = np.zeros_like(y)
    for train, test in KFold(folds, shuffle=True, random_state=rng).split(texts):
        model = ThemeClassifier(random_state=rng, **params).fit([texts[i] for i in train], y[train])
        predicted[test] = model.predict([texts[i] for i in test]).to_numpy()
    return agreement(pd.DataFrame(predicted, columns=themes), pd.DataFrame(y, columns=themes), confidence=confidence)
