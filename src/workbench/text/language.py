"""Language of each comment: Finnish, Swedish or English, from word evidence cached per distinct word.

Each distinct word form votes once (cached): for a language whose stopword list (stopwords-iso)
holds it and the others' do not, and for each language whose simplemma dictionary knows it when
the others' do not. A comment's language is the one with most votes; letters settle the rest
(``å`` is Swedish, ``ä``/``ö`` are not English). Comments without evidence get ``default``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import simplemma
import stopwordsiso

__all__ = ["detect_languages", "stopwords", "LANGUAGES"]

LANGUAGES = ("fi", "sv", "en")


@functools.lru_cache(maxsize=None)
def stopwords(language: str) -> frozenset[str]:
    """The stopwords-iso list of a language (``fi``, ``sv`` or ``en``).

    Parameters
    ----------
    language : str
        ``"fi"``, ``"sv"`` or ``"en"``.

    Returns
    -------
    frozenset of str
        Lower-case function words. The Finnish list also holds evaluative words ("hyvä", "kiitos",
        "liian"), so it is used for features (learning, discovery, language votes) and never before
        tone or theme matching.

    Raises
    ------
    ValueError
        Another language.

    Notes
    -----
    Stopwords ISO collects and merges published lists per language (MIT licence); the PyPI
    package ``stopwordsiso`` ships them.

    References
    ----------
    Stopwords ISO, https://github.com/stopwords-iso/stopwords-iso.
    """
    if language not in LANGUAGES:
        raise ValueError(f"`language` must be one of {LANGUAGES}; got {language!r}.")
    return frozenset(stopwordsiso.stopwords(language))


class _Votes:
    """Per-word language votes, cached for the life of one detection run."""

    def __init__(self):
        self._known = simplemma.is_known
        self._stop = {lang: stopwords(lang) for lang in LANGUAGES}
        self._cache: dict[str, tuple[float, float, float]] = {}

    def __call__(self, word: str) -> tuple[float, float, float]:
        found = self._cache.get(word)
        if found is None:
            found = self._vote(word)
            self._cache[word] = found
        return found

    def _vote(self, word: str) -> tuple[float, float, float]:
        if not word.isalpha() or len(word) < 2:
            return (0.0, 0.0, 0.0)
        stop = [word in self._stop[lang] for lang in LANGUAGES]
        known = [self._known(word, lang) for lang in LANGUAGES]
        votes = []
        for i in range(3):
            others_stop = any(stop[j] for j in range(3) if j != i)
            others_known = any(known[j] for j in range(3) if j != i)
            votes.append((1.0 if stop[i] and not others_stop else 0.0) + (1.0 if known[i] and not others_known else 0.0))
        return tuple(votes)


def detect_languages(forms: Sequence[str], word_ids: np.ndarray, offsets: np.ndarray, raw: Sequence[str], *,
                     default: str = "fi") -> list[str]:
    """The language of each text from its words.

    Parameters
    ----------
    forms : sequence of str
        The distinct word forms of all texts (normalised, lower case).
    word_ids : ndarray of int
        For every token of every text, its index in ``forms``; texts one after another.
    offsets : ndarray of int
        The tokens of text ``i`` are ``word_ids[offsets[i]:offsets[i + 1]]``.
    raw : sequence of str
        The normalised texts themselves (for the letters å, ä, ö).
    default : str
        Language of texts without evidence ("ok", "-"): the survey's main language.

    Returns
    -------
    list of str
        ``"fi"``, ``"sv"`` or ``"en"`` per text.

    Raises
    ------
    ValueError
        ``default`` is not one of the three languages.

    Notes
    -----
    Each distinct word form votes once; the votes of a text's tokens are summed with a cumulative
    sum, so the cost grows with the vocabulary, not the corpus. A single word with a single vote
    keeps the default ("ok" is in the English dictionary too). simplemma's own ``langdetect`` uses
    the same dictionary idea on whole texts; counting exclusive evidence per word keeps short comments
    ("Kiitos!", "Tack") right. Checked on the hand-labelled evaluation set
    (``tests/text/test_language.py``).

    References
    ----------
    Barbaresi, A. (2023). simplemma (language detection by dictionary coverage). Stopwords ISO,
    https://github.com/stopwords-iso (MIT).
    """
    if default not in LANGUAGES:
        raise ValueError(f"`default` must be one of {LANGUAGES}; got {default!r}.")
    vote = _Votes()
    votes = np.array([vote(w) for w in forms], dtype=float).reshape(len(forms), 3)
    running = np.zeros((len(word_ids) + 1, 3))
    np.cumsum(votes[np.asarray(word_ids, dtype=np.int64)], axis=0, out=running[1:])
    score = running[offsets[1:]] - running[offsets[:-1]]
    score[:, 1] += np.array([2.0 if "å" in t else 0.0 for t in raw])
    score[:, 2] -= np.array([2.0 if ("ä" in t or "ö" in t) else 0.0 for t in raw])
    best = score.argmax(axis=1) if len(score) else np.zeros(0, dtype=int)
    top = score[np.arange(len(best)), best]
    # one-word answers ("ok", "Tack") are too thin to overrule the survey's language
    enough = (top >= 2) | ((top > 0) & (np.diff(offsets) > 1))
    return [LANGUAGES[b] if ok else default for b, ok in zip(best, enough)]
