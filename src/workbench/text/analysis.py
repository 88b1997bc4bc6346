"""One pass over the comments: redact, normalise, tokenise, detect the language, lemmatise.

:func:`analyse` works on distinct texts and distinct word forms only (both are cached), and keeps
every token of every comment in flat arrays (``token``, ``sentence``, ``clause``), so themes, tone
and suggestions are found with array operations on the same :class:`Analysis`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import pandas as pd
from tqdm import tqdm

from .._validate import check_choice
from ..errors import ParameterError
from .language import LANGUAGES, detect_languages, stopwords
from .lemmas import LEMMATISERS, get_lemmatiser
from .normalise import prepare_texts
from .patterns import GlobIndex, split_language
from .tokens import tokenise

__all__ = ["Analysis", "analyse", "PROGRESS_FROM"]

PROGRESS_FROM = 20_000  # distinct texts from which a progress bar is shown by default


@dataclass(frozen=True, eq=False)
class Analysis:
    """Comments after redaction, normalisation, tokenisation and lemmatisation.

    Attributes
    ----------
    index : pandas.Index
        Index of the input (results are aligned with it).
    codes : ndarray of int
        For each input row, its distinct text (row of ``redacted``), or -1 for no comment.
    redacted : list of str
        Each distinct comment, redacted (what quotes show).
    normalised : list of str
        Each distinct comment after :func:`~workbench.text.normalise.normalise`.
    language : ndarray of str
        ``"fi"``, ``"sv"`` or ``"en"`` per distinct comment.
    offsets : ndarray of int
        Tokens of distinct comment ``i`` are ``token[offsets[i]:offsets[i + 1]]``.
    token : ndarray of int
        Vocabulary id of every token, comments one after another.
    sentence, clause : ndarray of int
        Sentence and clause of every token, numbered across all comments (so equal numbers mean
        the same sentence of the same comment).
    mark : ndarray of int
        How each token's sentence ends (0, ``tokens.QUESTION`` or ``tokens.EXCLAMATION``).
    words, lemmas, parts, word_language : lists
        The vocabulary: each distinct (language, word form), its lemma, compound parts and language.
    lemmatiser : str
        The back end that made the lemmas.
    """

    index: pd.Index
    codes: np.ndarray
    redacted: list[str]
    normalised: list[str]
    language: np.ndarray
    offsets: np.ndarray
    token: np.ndarray
    sentence: np.ndarray
    clause: np.ndarray
    mark: np.ndarray
    words: list[str]
    lemmas: list[str]
    parts: list[tuple[str, ...]]
    word_language: np.ndarray
    lemmatiser: str
    _glob_cache: dict = field(default_factory=dict, repr=False)

    @property
    def n_texts(self) -> int:
        """Number of distinct comments."""
        return len(self.redacted)

    @property
    def text_of_token(self) -> np.ndarray:
        """Distinct comment of every token."""
        return np.repeat(np.arange(self.n_texts), np.diff(self.offsets))

    def vocabulary_hits(self, globs: Iterable[str]) -> dict[str, np.ndarray]:
        """Vocabulary ids matched by each word pattern (cached: each pattern is matched once)."""
        globs = list(dict.fromkeys(globs))
        todo = [g for g in globs if g not in self._glob_cache]
        if todo:
            index = GlobIndex(todo)
            for glob, ids in zip(index.globs, index.vocabulary_matches(self.words, self.lemmas, self.parts)):
                self._glob_cache[glob] = ids
        return {g: self._glob_cache[g] for g in globs}

    def warm(self, patterns: Iterable[str]) -> None:
        """Match every word pattern of these patterns against the vocabulary in one pass (then cached)."""
        self.vocabulary_hits(split_language(w)[1] for p in patterns for w in p.split())

    def word_mask(self, globs: Iterable[str], *, language: str | None = None) -> np.ndarray:
        """Boolean over the vocabulary: words matching any of the word patterns (of one language)."""
        mask = np.zeros(len(self.words), dtype=bool)
        for ids in self.vocabulary_hits(globs).values():
            mask[ids] = True
        if language is not None:
            mask &= self.word_language == language
        return mask

    def _ids(self, word: str, language: str | None = None) -> np.ndarray:
        """Vocabulary ids matched by one word pattern (with an optional language prefix or restriction)."""
        prefix, glob = split_language(word)
        ids = self.vocabulary_hits([glob])[glob]
        lang = prefix or language
        return ids[self.word_language[ids] == lang] if lang is not None else ids

    def positions(self, ids: np.ndarray) -> np.ndarray:
        """Sorted token positions of the vocabulary ids (through an inverted index built once)."""
        if "__inverted__" not in self._glob_cache:
            order = np.argsort(self.token, kind="stable")
            bounds = np.searchsorted(self.token[order], np.arange(len(self.words) + 1))
            self._glob_cache["__inverted__"] = (order, bounds)
        order, bounds = self._glob_cache["__inverted__"]
        ids = np.asarray(ids, dtype=np.int64)
        starts, lengths = bounds[ids], bounds[ids + 1] - bounds[ids]
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int64)
        shift = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
        return np.sort(order[np.arange(total) + shift])

    def spans(self, pattern: str, *, gap: int = 2, language: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Start and end (inclusive) token positions of every match of a (multi-word) pattern."""
        words = pattern.split()
        start = self.positions(self._ids(words[0], language))
        end = start.copy()
        for word in words[1:]:
            mask = np.zeros(len(self.words), dtype=bool)
            mask[self._ids(word, language)] = True
            best = np.full(len(start), -1, dtype=np.int64)
            for step in range(gap + 1, 0, -1):  # nearest next word wins
                nxt = end + step
                ok = nxt < len(self.token)
                cand = np.where(ok, nxt, 0)
                good = ok & mask[self.token[cand]] & (self.sentence[cand] == self.sentence[end])
                best = np.where(good, nxt, best)
            keep = best >= 0
            start, end = start[keep], best[keep]
        return start, end

    def spans_many(self, patterns: Iterable[str], *, gap: int = 2,
                   language: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Start and end positions of every match of any of the patterns (one-word patterns in bulk).

        ``language`` limits every word of every pattern to comments in that language.
        """
        patterns = list(patterns)
        self.warm(patterns)
        singles, multi = [], []
        for pattern in patterns:
            (multi if " " in pattern else singles).append(pattern)
        starts, ends = [], []
        if singles:
            ids = np.unique(np.concatenate([self._ids(word, language) for word in singles]))
            hit = self.positions(ids)
            starts.append(hit)
            ends.append(hit)
        for pattern in multi:
            s, e = self.spans(pattern, gap=gap, language=language)
            starts.append(s)
            ends.append(e)
        if not starts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(starts), np.concatenate(ends)

    def covered(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Token flags: inside any of the spans."""
        cover = np.zeros(len(self.token) + 1, dtype=np.int64)
        np.add.at(cover, starts, 1)
        np.add.at(cover, ends + 1, -1)
        return np.cumsum(cover[:-1]) > 0

    def documents(self, *, drop_stopwords: bool = True) -> list[str]:
        """Each distinct comment as its lemmas joined by spaces (features for TF-IDF).

        Stopwords (stopwords-iso, per the comment's language), numbers and one-letter words are left
        out when ``drop_stopwords``; compound parts found by Voikko are added after the lemma.
        """
        stop = {lang: stopwords(lang) for lang in LANGUAGES}
        keep = np.array([not (drop_stopwords and (lemma in stop[lang] or word in stop[lang]))
                         and not word.isdigit() and len(word) > 1
                         for word, lemma, lang in zip(self.words, self.lemmas, self.word_language)], dtype=bool)
        terms = [" ".join((lemma, *parts)) for lemma, parts in zip(self.lemmas, self.parts)]
        out = []
        for i in range(self.n_texts):
            ids = self.token[self.offsets[i]:self.offsets[i + 1]]
            out.append(" ".join(terms[t] for t in ids if keep[t]))
        return out

    def per_text(self, token_flags: np.ndarray) -> np.ndarray:
        """Per distinct comment: whether any of its tokens is flagged."""
        out = np.zeros(self.n_texts, dtype=bool)
        out[self.text_of_token[token_flags]] = True
        return out

    def to_rows(self, per_text: np.ndarray, fill=False) -> np.ndarray:
        """Spread a per-distinct-comment array to the input rows (``fill`` where there is no comment)."""
        per_text = np.asarray(per_text)
        out = np.full(len(self.codes), fill, dtype=per_text.dtype if per_text.dtype != bool else bool)
        has = self.codes >= 0
        out[has] = per_text[self.codes[has]]
        return out


def _numbered(per_text, lengths: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Sentence (or clause) numbers of all tokens, made distinct across texts by adding each text's base."""
    local = np.fromiter(chain.from_iterable(per_text), dtype=np.int64, count=int(offsets[-1]))
    last = np.zeros(len(lengths), dtype=np.int64)
    has = lengths > 0
    last[has] = local[offsets[1:][has] - 1] + 1  # numbers used by each text
    base = np.concatenate([[0], np.cumsum(last)[:-1]]) if len(lengths) else last
    return local + np.repeat(base, lengths)


def analyse(texts: Iterable[str | None] | pd.Series | Analysis, *, lemmatiser: str = "simplemma",
            default_language: str = "fi", progress: bool | None = None) -> Analysis:
    """Redact, normalise, tokenise, detect the language of and lemmatise open-text answers.

    Parameters
    ----------
    texts : sequence or Series of str, or Analysis
        One answer per respondent (None, NaN or blank: no comment). An :class:`Analysis` is returned
        as it is, so every text function accepts either.
    lemmatiser : str
        ``"simplemma"`` (default) or ``"voikko"`` (optional; see :func:`~workbench.text.lemmas.
        get_lemmatiser`).
    default_language : str
        Language of comments without language evidence.
    progress : bool, optional
        Show a progress bar (tqdm; a widget in notebooks). Default: from 20,000 distinct comments.

    Returns
    -------
    Analysis
        Aligned with the input: ``index`` is the Series' index (or a RangeIndex).

    Raises
    ------
    DataError
        Answers that are neither text nor missing.
    ParameterError
        An unknown lemmatiser or language; Voikko requested but not installed.

    Notes
    -----
    Work grows with distinct texts and distinct word forms: identical answers ("Kiitos!") are
    analysed once, and each (language, word form) is lemmatised once (Zipf's law makes the
    vocabulary far smaller than the token count). Swedish and English comments are lemmatised in
    their own language.

    References
    ----------
    Zipf, G. K. (1949). Human Behavior and the Principle of Least Effort. Addison-Wesley.
    Barbaresi, A. (2023). simplemma. doi:10.5281/zenodo.4673264.

    Examples
    --------
    >>> a = analyse(["Ei kukaan vastannut.", None, "Fick service på svenska."])
    >>> a.codes.tolist(), a.language.tolist()
    ([0, -1, 1], ['fi', 'sv'])
    """
    if isinstance(texts, Analysis):
        return texts
    check_choice(lemmatiser, "lemmatiser", LEMMATISERS, error=ParameterError)
    check_choice(default_language, "default_language", LANGUAGES, error=ParameterError)
    lemmatise = get_lemmatiser(lemmatiser)
    index = texts.index if isinstance(texts, pd.Series) else pd.RangeIndex(len(texts := list(texts)))
    codes, redacted, normalised = prepare_texts(texts)
    show = len(normalised) >= PROGRESS_FROM if progress is None else bool(progress)
    tokens = [tokenise(t) for t in tqdm(normalised, desc="tokenise", disable=not show, unit="text")]
    lengths = np.fromiter((len(t.words) for t in tokens), dtype=np.int64, count=len(tokens))
    offsets = np.zeros(len(tokens) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    flat = np.fromiter(chain.from_iterable(t.words for t in tokens), dtype=object, count=int(offsets[-1]))
    word_ids, forms = pd.factorize(flat) if len(flat) else (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object))
    language = np.asarray(detect_languages(list(forms), word_ids, offsets, normalised, default=default_language),
                          dtype=object)
    # the vocabulary: each distinct (language, word form), in order of first appearance
    lang_code = np.array([LANGUAGES.index(lang) for lang in language], dtype=np.int64)
    token, keys_code = pd.factorize(word_ids.astype(np.int64) * len(LANGUAGES) + np.repeat(lang_code, lengths))
    keys_code = np.asarray(keys_code, dtype=np.int64)
    keys = [(LANGUAGES[k % len(LANGUAGES)], forms[k // len(LANGUAGES)]) for k in keys_code]
    sentence = _numbered((t.sentence for t in tokens), lengths, offsets)
    clause = _numbered((t.clause for t in tokens), lengths, offsets)
    mark = np.fromiter(chain.from_iterable(t.mark for t in tokens), dtype=np.int8, count=int(offsets[-1]))
    analysed = [lemmatise(w, lang) for lang, w in tqdm(keys, desc=f"lemmatise ({lemmatiser})", disable=not show,
                                                       unit="word")]
    return Analysis(
        index=index, codes=codes, redacted=redacted, normalised=normalised, language=language, offsets=offsets,
        token=np.asarray(token, dtype=np.int64), sentence=sentence, clause=clause, mark=mark,
        words=[w for _, w in keys], lemmas=[a[0] for a in analysed], parts=[a[1] for a in analysed],
        word_language=np.asarray([lang for lang, _ in keys], dtype=object), lemmatiser=lemmatiser,
    )
