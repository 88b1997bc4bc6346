"""Tone of each comment - positive, negative, mixed or neutral - from a lexicon with negation and
intensifiers, calibrated on the 0-10 answers given with the comments.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from .._validate import check_positive
from ..errors import DataError
from .analysis import Analysis, analyse
from .language import LANGUAGES, stopwords
from .lexicon import Lexicon, load_lexicon
from .suggestions import suggestion_cues

__all__ = ["TONES", "ToneModel", "tone", "tone_evidence"]

TONES = ("positive", "negative", "mixed", "neutral")
_WEIGHTS = (("weak_positive", 0.5), ("weak_negative", -0.5), ("positive", 1.0), ("negative", -1.0),
            ("strong_positive", 2.0), ("strong_negative", -2.0), ("neutral", 0.0))
NEGATION_SCOPE = 3  # words after a negator, within its clause


def _shifted(flags: np.ndarray, clause: np.ndarray, steps: Sequence[int]) -> np.ndarray:
    """Tokens that have a flagged token ``step`` positions before them in the same clause."""
    out = np.zeros(len(flags), dtype=bool)
    for step in steps:
        if step >= len(flags):
            continue
        out[step:] |= flags[:-step] & (clause[step:] == clause[:-step])
    return out


def tone_evidence(a: Analysis, lexicon: Lexicon, *, domain: np.ndarray | None = None,
                  gap: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positive and negative evidence of each distinct comment of an analysis.

    Parameters
    ----------
    a : Analysis
        Analysed comments.
    lexicon : Lexicon
        Evaluative words, negators, intensifiers, contrast words, sarcasm markers, suggestion cues.
    domain : ndarray of float, optional
        A calibrated weight per vocabulary entry (:class:`ToneModel`), added for words the lexicon
        does not know, outside negation scopes (they mark topics that go with low or high scores, not
        evaluations that a negation could reverse).
    gap : int
        Words allowed between the words of a multi-word entry.

    Returns
    -------
    (positive, negative, contrast) : ndarrays
        Non-negative evidence sums per distinct comment, and whether it contains a contrast word.

    Raises
    ------
    None

    Notes
    -----
    Each token gets the weight of the lexicon entry it matches (0.5, 1 or 2, negative for
    complaints; a multi-word entry puts its weight on its first word and silences the others, and a
    ``neutral`` entry silences its words). Contrast words
    ("mutta", "men", "but") start a new clause. Within a clause, a word up to three words after a
    negator is negated: praise becomes a complaint (x -0.8), a complaint becomes mild praise
    (x -0.5: "ei valittamista"), and an ``expected`` action becomes a complaint (-1: "ei kukaan
    vastannut"; not when an evaluative word follows within the scope, as in "ei ollut pitkä"). The scope ends at "kuin" ("ei ... kuin" means "only"). In English the scope is five words ("did not take my concerns seriously"); in Swedish a
    negator also negates a verb or praise just before it ("lyssnade inte"). A negator
    that begins a multi-word entry ("ei valittamista", "ei tarvinnut") is read as that entry and
    opens no scope of its own. An
    intensifier one or two words before multiplies by 1.5, a diminisher by 0.5. A clause that makes
    a suggestion keeps only its strong complaints ("olisi hyvä jos..." praises nothing).
    A sarcasm marker ("kiitos vaan") turns the comment's praise into complaint.

    References
    ----------
    Taboada, M., Brooke, J., Tofiloski, M., Voll, K. & Stede, M. (2011). Lexicon-based methods for
    sentiment analysis. Computational Linguistics 37(2), 267-307. Polanyi, L. & Zaenen, A. (2006).
    Contextual valence shifters.
    """
    a.warm(p for lang in lexicon.entries for key in lexicon.entries[lang] for p in lexicon.get(lang, key))
    n = len(a.token)
    polarity = np.zeros(n)
    silenced = np.zeros(n, dtype=bool)
    flags = {k: np.zeros(n, dtype=bool) for k in ("expected", "negators", "intensifiers", "diminishers", "contrast")}
    sarcasm = np.zeros(a.n_texts, dtype=bool)
    for lang in (lg for lg in LANGUAGES if lg in lexicon.entries):
        for single in (True, False):  # multi-word entries override the words they contain
            for key, weight in _WEIGHTS:
                patterns = [p for p in lexicon.get(lang, key) if (" " not in p) == single]
                start, end = a.spans_many(patterns, gap=gap, language=lang)
                polarity[start] = weight
                if not single and len(start):
                    silenced |= a.covered(start + 1, end)
        for key in flags:
            start, _ = a.spans_many(lexicon.get(lang, key), gap=gap, language=lang)
            flags[key][start] = True
        start, _ = a.spans_many(lexicon.get(lang, "sarcasm"), gap=gap, language=lang)
        sarcasm[a.text_of_token[start]] = True
    polarity[silenced] = 0.0
    expected = flags["expected"] & ~silenced
    clause = a.clause + np.cumsum(flags["contrast"])
    idiom = np.zeros(n, dtype=bool)  # a negator that starts a multi-word entry ("ei valittamista") is that entry's
    for lang in (lg for lg in LANGUAGES if lg in lexicon.entries):
        for key, _ in _WEIGHTS:
            start, _end = a.spans_many([p for p in lexicon.get(lang, key) if " " in p], gap=gap, language=lang)
            idiom[start] = True
    token_language = a.word_language[a.token]
    # "ei ... kuin" is "only": the negation ends at "kuin" ("aikaa ei saanut kuin kuuden viikon päähän")
    scope = clause + np.cumsum(a.word_mask(["kuin", "än", "except", "than"])[a.token])
    negated = _shifted(flags["negators"] & ~idiom, scope, range(1, NEGATION_SCOPE + 1))
    # English negation reaches further into the verb phrase: "did not take my concerns seriously"
    negated |= _shifted(flags["negators"] & ~idiom, scope, (4, 5)) & (token_language == "en")
    if n > 1:  # Swedish puts "inte" after the finite verb: "lyssnade inte"
        after = np.zeros(n, dtype=bool)
        after[:-1] = flags["negators"][1:] & (clause[:-1] == clause[1:])
        negated |= after & (token_language == "sv") & ((polarity > 0) | expected) & ~idiom
    factor = np.where(_shifted(flags["intensifiers"], clause, (1, 2)), 1.5, 1.0)
    factor = np.where(_shifted(flags["diminishers"], clause, (1, 2)), 0.5, factor)
    value = polarity * factor
    value = np.where(negated & (polarity > 0), -0.8 * value, value)
    value = np.where(negated & (polarity < 0), -0.5 * value, value)
    # a negated expected action is a complaint ("aikaa ei ollut"), unless the negation belongs to an
    # evaluative word that follows it ("ei ollut pitkä", "inte trygg")
    later_polar = np.zeros(n, dtype=bool)
    for step in range(1, NEGATION_SCOPE + 1):
        if step < n:
            later_polar[:-step] |= (polarity[step:] != 0) & (scope[step:] == scope[:-step])
    value = np.where(negated & expected & ~later_polar, -1.0, value)
    if domain is not None:  # calibrated words say what detractors and promoters write about: not negated
        known = (polarity != 0) | silenced | flags["negators"] | expected | flags["intensifiers"] | flags["contrast"]
        value = value + np.where(known | negated, 0.0, domain[a.token])
    if n:  # a clause that proposes something keeps only its strong complaints
        proposing = np.zeros(int(clause.max()) + 1, dtype=bool)
        proposing[clause[suggestion_cues(a, lexicon, gap=gap)]] = True
        value = np.where(proposing[clause] & (value > -2.0), 0.0, value)
    texts = a.text_of_token
    positive = np.bincount(texts, weights=np.maximum(value, 0), minlength=a.n_texts)
    negative = np.bincount(texts, weights=np.maximum(-value, 0), minlength=a.n_texts)
    negative = np.where(sarcasm, negative + positive + 1.0, negative)
    positive = np.where(sarcasm, 0.0, positive)
    return positive, negative, a.per_text(flags["contrast"])


def _label(positive: np.ndarray, negative: np.ndarray, contrast: np.ndarray) -> np.ndarray:
    """Tone from evidence: both sides present -> mixed; one side -> that side; none -> neutral."""
    both = (positive >= 0.5) & (negative >= 0.5) & (((positive >= 1.0) & (negative >= 1.0)) | contrast)
    out = np.full(len(positive), "neutral", dtype=object)
    out[(positive > negative) & (positive >= 0.5)] = "positive"
    out[(negative > positive) & (negative >= 0.5)] = "negative"
    out[both | ((positive == negative) & (positive >= 0.5))] = "mixed"
    return out


class ToneModel:
    """Lexicon-based tone, calibrated on the 0-10 answers that come with the comments.

    Parameters
    ----------
    lexicon : Lexicon, path or None
        Tone lexicon; None uses the default (``lexicon.toml``).
    min_count : int
        Calibration learns a weight only for lemmas in at least this many comments.
    C : float
        Inverse L2 penalty of the calibration's logistic regression (smaller: more shrinkage).
    threshold : float
        Calibrated weights smaller than this in absolute value are set to 0.
    weight : float
        Scale of a calibrated weight relative to a lexicon word (1).
    lemmatiser : str
        ``"simplemma"`` or ``"voikko"``.
    random_state : int, optional
        Seed of the solver (the ``liblinear`` solver shuffles).

    Attributes
    ----------
    lexicon_ : Lexicon
        The lexicon in use.
    domain_weights_ : Series
        Lemma -> calibrated weight (positive: said by promoters, negative: by detractors); empty when
        fitted without scores.
    n_calibration_ : int
        Comments with a score that the calibration used.
    """

    def __init__(self, lexicon: Lexicon | str | None = None, *, min_count: int = 10, C: float = 0.5,
                 threshold: float = 0.3, weight: float = 0.5, lemmatiser: str = "simplemma",
                 random_state: int | None = None):
        self.lexicon = lexicon
        self.min_count = min_count
        self.C = C
        self.threshold = threshold
        self.weight = weight
        self.lemmatiser = lemmatiser
        self.random_state = random_state

    def fit(self, texts, scores=None) -> ToneModel:
        """Load the lexicon and, when ``scores`` (0-10 answers aligned with ``texts``) are given, learn
        weights for the domain's own words (not in the lexicon, not stopwords) from detractors (0-6)
        against promoters (9-10)."""
        self.lexicon_ = self.lexicon if isinstance(self.lexicon, Lexicon) else load_lexicon(self.lexicon)
        self.domain_weights_ = pd.Series(dtype=float, name="weight")
        self.n_calibration_ = 0
        if scores is None:
            return self
        min_count = check_positive(self.min_count, "min_count", integer=True)
        a = analyse(texts, lemmatiser=self.lemmatiser)
        score = pd.to_numeric(pd.Series(np.asarray(scores, dtype=object)), errors="coerce").to_numpy(float)
        if len(score) != len(a.codes):
            raise DataError(f"`scores` has {len(score)} rows; the texts have {len(a.codes)}.")
        used = (a.codes >= 0) & np.isfinite(score) & ((score <= 6) | (score >= 9))
        bad = np.isfinite(score) & ((score < 0) | (score > 10))
        if bad.any():
            raise DataError(f"`scores` must be 0-10 answers; {int(bad.sum())} of {len(score)} rows are outside.")
        stop = {lang: stopwords(lang) for lang in LANGUAGES}
        known = a.word_mask(self.lexicon_.words()) | np.array(
            [w.isdigit() or len(w) < 3 or w in stop[lang] for w, lang in zip(a.words, a.word_language)], dtype=bool)
        lemma_codes, lemma_names = pd.factorize(pd.Series(a.lemmas, dtype=object))
        rows = a.text_of_token
        cols = lemma_codes[a.token]
        keep = ~known[a.token]
        docs = sparse.csr_matrix((np.ones(int(keep.sum())), (rows[keep], cols[keep])),
                                 shape=(a.n_texts, len(lemma_names)))
        docs.data[:] = 1.0
        x = docs[a.codes[used]]
        y = (score[used] >= 9).astype(int)
        frequent = np.flatnonzero(np.asarray((x > 0).sum(axis=0)).ravel() >= min_count)
        self.n_calibration_ = int(used.sum())
        if len(frequent) == 0 or len(np.unique(y)) < 2:
            return self
        model = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000, solver="liblinear",
                                   random_state=self.random_state)
        model.fit(x[:, frequent], y)
        coef = model.coef_[0]
        coef = np.where(np.abs(coef) >= self.threshold, coef, 0.0)
        weights = pd.Series(np.clip(coef, -1, 1) * self.weight, index=np.asarray(lemma_names)[frequent], name="weight")
        self.domain_weights_ = weights[weights != 0].sort_values()
        return self

    def evidence(self, texts) -> pd.DataFrame:
        """Tone of each row with its evidence: ``tone``, ``positive``, ``negative``, ``score``."""
        if not hasattr(self, "lexicon_"):
            raise DataError("This ToneModel is not fitted yet; call `fit(texts, scores)` first.")
        a = analyse(texts, lemmatiser=self.lemmatiser)
        domain = None
        if len(self.domain_weights_):
            lookup = self.domain_weights_.to_dict()
            domain = np.array([lookup.get(lemma, 0.0) for lemma in a.lemmas])
        positive, negative, contrast = tone_evidence(a, self.lexicon_, domain=domain)
        labels = _label(positive, negative, contrast)
        has = a.codes >= 0
        out = pd.DataFrame(index=a.index)
        tones = np.full(len(a.codes), None, dtype=object)
        tones[has] = labels[a.codes[has]]
        out["tone"] = pd.Categorical(tones, categories=TONES)
        out["positive"] = np.where(has, a.to_rows(positive, fill=0.0), np.nan)
        out["negative"] = np.where(has, a.to_rows(negative, fill=0.0), np.nan)
        out["score"] = out["positive"] - out["negative"]
        return out

    def predict(self, texts) -> np.ndarray:
        """Tone labels (``positive``, ``negative``, ``mixed``, ``neutral``; None for no comment)."""
        return self.evidence(texts)["tone"].astype(object).to_numpy()


def tone(texts: Iterable[str | None] | pd.Series | Analysis, *, scores=None, lexicon: Lexicon | str | None = None,
         lemmatiser: str = "simplemma", random_state: int | None = 0) -> pd.DataFrame:
    """Tone of each comment: positive, negative, mixed or neutral, with its evidence.

    Parameters
    ----------
    texts : sequence or Series of str, or Analysis
        One answer per respondent (None or blank: no comment).
    scores : sequence or Series, optional
        The 0-10 answers of the same respondents. When given, the lexicon is calibrated on them:
        they are weak labels of the tone of words in this data (:class:`ToneModel`).
    lexicon : Lexicon, path or None
        Tone lexicon; None uses the default.
    lemmatiser : str
        ``"simplemma"`` or ``"voikko"`` (ignored when ``texts`` is an Analysis).
    random_state : int, optional
        Seed of the calibration's solver.

    Returns
    -------
    DataFrame
        Aligned with the input: ``tone`` (categorical; missing for no comment), ``positive`` and
        ``negative`` (evidence sums), ``score`` (positive minus negative).

    Raises
    ------
    TaxonomyError
        An invalid lexicon file.
    DataError
        Answers that are not text; ``scores`` of another length or outside 0-10.

    Notes
    -----
    Evidence as in :func:`tone_evidence`. A comment with at least one unit of praise and one of
    complaint is ``mixed``, and so is one with half a unit of each on either side of a contrast word
    ("mukava työntekijä, mutta odotin kuukauden"); otherwise the larger side decides when it reaches 0.5; a comment without
    evaluation (a fact, "ok", a suggestion alone) is ``neutral``. Calibration fits an L2 logistic
    regression of promoter (9-10) against detractor (0-6) on the presence of lemmas the lexicon does
    not know, and adds the shrunk coefficients (scaled by 0.5) as word weights, so that e.g.
    "jonottaa" can become a complaint word where the data say so. Scores are never used to label a
    comment directly (a respondent may rate something else than what they write about).

    References
    ----------
    Taboada, M. et al. (2011). Lexicon-based methods for sentiment analysis. Computational
    Linguistics 37(2). Go, A., Bhayani, R. & Huang, L. (2009). Twitter sentiment classification
    using distant supervision (weak labels).

    Examples
    --------
    >>> tone(["Hoitaja ei ollut ystävällinen.", "Ystävällinen hoitaja, mutta jono oli liian pitkä."])["tone"].tolist()
    ['negative', 'mixed']
    """
    model = ToneModel(lexicon, lemmatiser=lemmatiser, random_state=random_state)
    a = analyse(texts, lemmatiser=lemmatiser)
    return model.fit(a, scores).evidence(a)
