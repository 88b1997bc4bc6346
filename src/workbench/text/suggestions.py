"""Suggestions: ideas, wishes and improvement proposals in open answers (Finnish, Swedish, English)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .analysis import Analysis, analyse
from .lexicon import Lexicon, load_lexicon

__all__ = ["suggestions", "suggestion_cues", "imperative_words"]


def imperative_words(a: Analysis) -> np.ndarray:
    """Vocabulary flags: Finnish second-person plural imperatives (``lisätkää``, ``kertokaa``, ``tuokaa``).

    Parameters
    ----------
    a : Analysis
        Analysed comments.

    Returns
    -------
    ndarray of bool
        One flag per vocabulary entry.

    Raises
    ------
    None

    Notes
    -----
    A Finnish word form ending in -kaa/-kää whose lemma differs from it is either a plural imperative
    (verb lemma: lisätä, kertoa, tuoda) or the partitive of a noun whose lemma ends in -ka/-kä
    (aika -> aikaa, paikka -> paikkaa). Forms in -kkaa/-kkää and lemmas in -ka/-kä are therefore
    left out; what remains are imperatives. Written by hand because simplemma gives no parts of
    speech; Voikko would give the mood directly, and both back ends use this rule so that their
    results stay comparable.

    References
    ----------
    Hakulinen, A. et al. (2004). Iso suomen kielioppi, § 1651 (imperative).
    """
    flags = np.zeros(len(a.words), dtype=bool)
    for i, (word, lemma, lang) in enumerate(zip(a.words, a.lemmas, a.word_language)):
        if (lang == "fi" and len(word) >= 6 and word.endswith(("kaa", "kää")) and not word.endswith(("kkaa", "kkää"))
                and lemma != word and not lemma.endswith(("ka", "kä")) and lemma[-1:] in ("a", "ä")):
            flags[i] = True
    return flags


def suggestion_cues(a: Analysis, lexicon: Lexicon, *, gap: int = 2) -> np.ndarray:
    """Token positions that propose something (after vetoes).

    Parameters
    ----------
    a : Analysis
        Analysed comments.
    lexicon : Lexicon
        Its ``suggestion``, ``not_suggestion``, ``interrogative`` and ``more`` lists are used.
    gap : int
        Words allowed between the words of a multi-word cue.

    Returns
    -------
    ndarray of bool
        One flag per token.

    Raises
    ------
    None

    Notes
    -----
    Cues: the ``suggestion`` patterns of the comment's language (conditional mood: voisi, pitäisi,
    olisi hyvä; wishes: toivoisin; proposals: ehdotan; Swedish borde, vore bra, önskar; English
    should, please), Finnish plural imperatives (:func:`imperative_words`), and a ``more`` word
    ("lisää", "mer", "more") as the first or last word of its sentence ("Lisää istumapaikkoja!").
    A cue does not count when a ``not_suggestion`` match covers it ("jatkakaa samaan malliin",
    "toivon että säilyy") or when an interrogative stands at most two words before it in the same
    clause ("Kenelle pitäisi soittaa?" asks for information).

    References
    ----------
    Negi, S. et al. (2019). SemEval-2019 Task 9: Suggestion mining from online reviews and forums.
    Ramanand, J., Bhavsar, K. & Pedanekar, N. (2010). Wishful thinking: finding suggestions and
    'buy' wishes from product reviews. NAACL workshop on computational approaches to analysis and
    generation of emotion in text.
    """
    a.warm(p for lang in lexicon.entries for key in ("suggestion", "not_suggestion", "interrogative", "more")
           for p in lexicon.get(lang, key))
    cues = np.zeros(len(a.token), dtype=bool)
    vetoed = np.zeros(len(a.token), dtype=bool)
    before = np.zeros(len(a.token), dtype=bool)
    for lang in lexicon.entries:
        start, _ = a.spans_many(lexicon.get(lang, "suggestion"), gap=gap, language=lang)
        cues[start] = True
        vetoed |= a.covered(*a.spans_many(lexicon.get(lang, "not_suggestion"), gap=gap, language=lang))
        asks, _ = a.spans_many(lexicon.get(lang, "interrogative"), gap=gap, language=lang)
        for step in (1, 2):
            target = asks + step
            target = target[target < len(a.token)]
            target = target[a.clause[target] == a.clause[target - step]]
            before[target] = True
        more, _ = a.spans_many(lexicon.get(lang, "more"), gap=gap, language=lang)
        if len(more):
            n = len(a.token)
            first = (more == 0) | (a.sentence[np.maximum(more - 1, 0)] != a.sentence[more])
            last = (more == n - 1) | (a.sentence[np.minimum(more + 1, n - 1)] != a.sentence[more])
            cues[more[first | last]] = True
    cues |= imperative_words(a)[a.token]
    return cues & ~vetoed & ~before


def suggestions(texts: Iterable[str | None] | pd.Series | Analysis, *, lexicon: Lexicon | str | None = None,
                lemmatiser: str = "simplemma") -> pd.Series:
    """Whether each comment contains an idea, wish or improvement proposal.

    Parameters
    ----------
    texts : sequence or Series of str, or Analysis
        One answer per respondent (None or blank: no comment, False).
    lexicon : Lexicon, path or None
        Cue lists; None uses the default (``lexicon.toml``).
    lemmatiser : str
        ``"simplemma"`` or ``"voikko"`` (ignored when ``texts`` is an Analysis).

    Returns
    -------
    Series of bool
        Named ``suggestion``, aligned with the input.

    Raises
    ------
    TaxonomyError
        An invalid lexicon file.
    DataError
        Answers that are not text.

    Notes
    -----
    See :func:`suggestion_cues`. Vague demands ("Parantakaa palvelua.") and encouragement to keep
    things as they are do not count; questions that ask for information do not either. Accuracy on
    hand-coded comments: ``tests/text/test_evaluation.py``.

    References
    ----------
    Negi, S. et al. (2019). SemEval-2019 Task 9: Suggestion mining from online reviews and forums.

    Examples
    --------
    >>> suggestions(["Chatin pitäisi olla auki iltaisin.", "Kenelle pitäisi soittaa?", "Lisätkää chat!"]).tolist()
    [True, False, True]
    """
    lexicon = lexicon if isinstance(lexicon, Lexicon) else load_lexicon(lexicon)
    a = analyse(texts, lemmatiser=lemmatiser)
    flags = a.to_rows(a.per_text(suggestion_cues(a, lexicon)))
    return pd.Series(flags, index=a.index, name="suggestion")
