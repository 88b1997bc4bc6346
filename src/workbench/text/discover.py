"""Discovering what the taxonomy misses: NMF topics in the comments that no theme caught."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer

from .._validate import check_positive
from ..errors import DataError
from ..stats.intervals import level_interval
from .analysis import Analysis, analyse
from .lexicon import Lexicon, load_lexicon
from .taxonomy import Taxonomy
from .themes import classify

__all__ = ["Discovery", "discover_themes"]


@dataclass(frozen=True)
class Discovery:
    """Emerging themes among uncaught comments.

    Attributes
    ----------
    topics : DataFrame
        One row per emerging theme: ``topic`` (``emerging_1``, ...), ``n`` (comments assigned),
        ``share`` (% of the uncaught comments) with its Wilson interval ``ci_low``, ``ci_high``,
        ``top_lemmas`` (comma-separated, strongest first).
    examples : DataFrame
        ``topic``, ``comment``: a few redacted comments per topic, the most typical first (only
        topics with at least ``min_n`` comments).
    assignment : Series
        Per input row: its topic, or missing (no comment, caught by a theme, or no clear topic).
    n_uncaught : int
        Distinct uncaught comments that were modelled.
    """

    topics: pd.DataFrame
    examples: pd.DataFrame
    assignment: pd.Series
    n_uncaught: int

    def to_frame(self) -> pd.DataFrame:
        """The topics table."""
        return self.topics.copy()


def _merge_facets(w: np.ndarray, h: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Join NMF components whose lemma profiles are similar (cosine >= threshold), summing their weights."""
    unit = h / np.maximum(np.linalg.norm(h, axis=1, keepdims=True), 1e-12)
    similar = unit @ unit.T >= threshold
    group = np.arange(len(h))
    for i in range(len(h)):  # single-linkage groups, in component order
        for j in range(i + 1, len(h)):
            if similar[i, j]:
                group[group == group[j]] = group[i]
    labels = np.unique(group)
    return (np.column_stack([w[:, group == g].sum(axis=1) for g in labels]),
            np.vstack([h[group == g].sum(axis=0) for g in labels]))


def discover_themes(texts: Iterable[str | None] | pd.Series | Analysis, *, themes: pd.DataFrame | None = None,
                    taxonomy: Taxonomy | str | None = None, n_topics: int = 6, top: int = 8, examples: int = 3,
                    min_n: int = 5, min_df: int = 3, max_df: float = 0.9, merge: float = 0.1,
                    lexicon: Lexicon | str | None = None,
                    rng: int | None = 0, lemmatiser: str = "simplemma") -> Discovery:
    """Topics in the comments that no theme caught, for a user to add to the taxonomy.

    Parameters
    ----------
    texts : sequence or Series of str, or Analysis
        One answer per respondent.
    themes : DataFrame, optional
        Theme flags of the same rows (:func:`~workbench.text.themes.classify`); computed with
        ``taxonomy`` when None.
    taxonomy : Taxonomy, path or None
        Used when ``themes`` is None (None: the default taxonomy).
    n_topics : int
        Largest number of NMF components; fewer when there are few uncaught comments (at least 15
        per component on average), so that one issue is not split into many.
    top : int
        Lemmas listed per topic.
    examples : int
        Example comments per topic.
    min_n : int
        Topics with fewer comments show no examples (their quotes could identify someone).
    min_df : int
        Lemmas in fewer uncaught comments are left out.
    max_df : float
        Lemmas in a larger share of the uncaught comments are left out (they name no topic).
    merge : float
        Components whose lemma profiles have a cosine similarity of at least this are one topic: NMF
        tends to split one dominant issue into its facets.
    lexicon : Lexicon, path or None
        Its words carry tone, not topic, and its ``generic`` words ("palvelu", "käynti") name no
        topic: both are left out (None: the default lexicon).
    rng : int, optional
        Seed of the NMF initialisation (NNDSVDa is deterministic; the seed fixes the solver).
    lemmatiser : str
        ``"simplemma"`` or ``"voikko"``.

    Returns
    -------
    Discovery
        Topics with size, share (with a Wilson interval: ``ci_low``, ``ci_high``) and top lemmas,
        redacted examples, and the topic of each row. With fewer distinct uncaught comments than
        ``2 * n_topics`` (or ``min_df + 1``) there is nothing to model: the tables are empty.

    Raises
    ------
    DataError
        ``themes`` of another length.
    ParameterError
        Non-positive counts.

    Notes
    -----
    TF-IDF of lemmas (stopwords and the tone lexicon's words removed: "huono", "erinomainen" say how,
    not what; sublinear term frequency) of the comments with no theme (one document per respondent,
    so an answer given by many weighs as often as it was given), then non-negative matrix factorisation (scikit-learn ``NMF``, NNDSVDa initialisation,
    Frobenius loss); facets of one issue (similar lemma profiles) are merged. A comment belongs to the topic with its largest weight when that weight is at
    least half of the comment's total weight; otherwise to none. Examples are redacted comments
    ordered by their weight on the topic.

    References
    ----------
    Lee, D. D. & Seung, H. S. (1999). Learning the parts of objects by non-negative matrix
    factorization. Nature 401. Boutsidis, C. & Gallopoulos, E. (2008). SVD based initialization
    (NNDSVD). Pattern Recognition 41(4).
    """
    n_topics = check_positive(n_topics, "n_topics", integer=True)
    top = check_positive(top, "top", integer=True)
    examples = check_positive(examples, "examples", integer=True)
    min_n = check_positive(min_n, "min_n", integer=True)
    min_df = check_positive(min_df, "min_df", integer=True)
    a = analyse(texts, lemmatiser=lemmatiser)
    flags = classify(a, taxonomy) if themes is None else themes
    if len(flags) != len(a.codes):
        raise DataError(f"`themes` has {len(flags)} rows; the texts have {len(a.codes)}.")
    caught_rows = flags.to_numpy(dtype=bool).any(axis=1)
    has = a.codes >= 0
    lexicon = lexicon if isinstance(lexicon, Lexicon) else load_lexicon(lexicon)
    generic = [p for lang in lexicon.entries for p in lexicon.get(lang, "generic")]
    toned = {lemma for lemma, hit in zip(a.lemmas, a.word_mask(lexicon.words() | set(generic))) if hit}
    docs = [" ".join(t for t in doc.split() if t not in toned) for doc in a.documents()]
    # every uncaught row is a document, so that an answer given by many counts as often as it was given
    rows = np.flatnonzero(has & ~caught_rows)
    rows = rows[np.array([bool(docs[a.codes[r]]) for r in rows], dtype=bool)] if len(rows) else rows
    n_distinct = len(np.unique(a.codes[rows]))
    empty = Discovery(pd.DataFrame(columns=["topic", "n", "share", "ci_low", "ci_high", "top_lemmas"]),
                      pd.DataFrame(columns=["topic", "comment"]),
                      pd.Series(pd.Categorical([None] * len(a.codes), categories=[]), index=a.index, name="topic"),
                      n_distinct)
    if len(rows) < max(2 * n_topics, min_df + 1):
        return empty
    vectorizer = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, sublinear_tf=True, min_df=min_df,
                                 max_df=max_df)
    try:
        x = vectorizer.fit_transform([docs[a.codes[r]] for r in rows])
    except ValueError:  # every lemma pruned by min_df / max_df: nothing recurs
        return empty
    n_components = max(1, min(n_topics, x.shape[1], x.shape[0] // 15))
    model = NMF(n_components=n_components, init="nndsvda", random_state=rng, max_iter=500)
    w = model.fit_transform(x)
    w, profiles = _merge_facets(w, model.components_, merge)
    n_components = len(profiles)
    terms = np.asarray(vectorizer.get_feature_names_out())
    total = w.sum(axis=1)
    best = w.argmax(axis=1)
    clear = (total > 0) & (w[np.arange(len(best)), best] >= 0.5 * total)
    rows_topic = np.full(len(a.codes), -1)
    rows_topic[rows[clear]] = best[clear]
    names = [f"emerging_{k + 1}" for k in range(n_components)]
    sizes = np.bincount(rows_topic[rows_topic >= 0], minlength=n_components)
    low, high = level_interval(np.column_stack([len(rows) - sizes, sizes]), np.array([0.0, 100.0]), method="wilson")
    topics = pd.DataFrame({
        "topic": names, "n": sizes, "share": 100 * sizes / len(rows), "ci_low": low, "ci_high": high,
        "top_lemmas": [", ".join(terms[j] for j in np.argsort(-profiles[k])[:top] if profiles[k, j] > 1e-6)
                       for k in range(n_components)],
    }).sort_values("n", ascending=False, ignore_index=True)
    shown = []
    for k in range(n_components):
        if sizes[k] < min_n:
            continue
        members = np.flatnonzero(clear & (best == k))
        members = members[np.argsort(-w[members, k], kind="stable")]
        distinct = list(dict.fromkeys(a.redacted[t] for t in a.codes[rows[members]]))  # most typical first
        shown += [(names[k], text) for text in distinct[:examples]]
    assignment = pd.Series(pd.Categorical(np.where(rows_topic >= 0, np.asarray(names, dtype=object)[rows_topic], None),
                                          categories=names), index=a.index, name="topic")
    return Discovery(topics, pd.DataFrame(shown, columns=["topic", "comment"]), assignment, n_distinct)
