"""Word patterns shared by the taxonomy, the tone lexicon and the suggestion cues.

A *word pattern* matches one token. It is compared with the token's surface form, its lemma and
(with Voikko) the lemmas of its compound parts:

- ``soittaa`` - equal to one of them;
- ``ystävälli*`` - starts with ``ystävälli`` (any inflection: ystävällinen, ystävällistä, ...);
- ``*jono`` - ends with ``jono`` (compound heads: puhelinjono);
- ``*soitto*`` - contains ``soitto`` (takaisinsoittoa, soittopyyntö);
- ``#`` - any number;
- ``en:fast`` - a language prefix (``fi:``, ``sv:``, ``en:``) limits a word pattern to comments in
  that language (Swedish "fast" means "although").

A *pattern* is one or more word patterns separated by spaces: a multi-word expression whose words
occur in this order within one sentence, with at most ``gap`` other words between neighbours
(``saada aika`` matches "sain vihdoin ajan"). Patterns with ä, ö or å also match texts typed
without them (``päivä`` matches "paiva"), as many respondents type on phones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np

__all__ = ["check_pattern", "split_language", "GlobIndex", "deaccent"]

_WORD = re.compile(r"^(?:#|\*?[^\s*#:]+\*?)$")
_LANGUAGE = re.compile(r"^(fi|sv|en):(.+)$")
_DEACCENT = str.maketrans({"ä": "a", "ö": "o", "å": "a"})


def deaccent(word: str) -> str:
    """``word`` with ä, ö and å replaced by a, o and a (how they are often typed without a Nordic keyboard).

    Parameters
    ----------
    word : str
        A lower-case word or pattern stem.

    Returns
    -------
    str
        The word without the three Nordic letters.

    Raises
    ------
    AttributeError
        ``word`` is not a string.

    Notes
    -----
    Used to let patterns with ä/ö/å (stems of four letters or more) match words typed without them;
    shorter stems would collide with other words (``sää`` and ``saa``).

    References
    ----------
    Kotimaisten kielten keskus, *Kielitoimiston ohjepankki*: ä and ö are letters of their own.
    """
    return word.translate(_DEACCENT)


def split_language(word: str) -> tuple[str | None, str]:
    """Split a language prefix off a word pattern.

    Parameters
    ----------
    word : str
        A word pattern, optionally prefixed by ``fi:``, ``sv:`` or ``en:``.

    Returns
    -------
    (language, pattern)
        ``"en:fast"`` -> ``("en", "fast")``; without a prefix -> ``(None, word)``.

    Raises
    ------
    TypeError
        ``word`` is not a string.

    Notes
    -----
    The prefix limits the word pattern to comments detected as that language.

    References
    ----------
    The pattern syntax in the module docstring.
    """
    match = _LANGUAGE.match(word)
    return (match.group(1), match.group(2)) if match else (None, word)


def check_pattern(pattern: object) -> str | None:
    """Why ``pattern`` is not a valid pattern, or None when it is.

    Parameters
    ----------
    pattern : object
        A candidate pattern from a taxonomy or lexicon file.

    Returns
    -------
    str or None
        A short reason (naming the offending word pattern, never other text), or None.

    Raises
    ------
    None
        Problems are returned, so the caller can name the theme and key.

    Notes
    -----
    A word pattern is ``#`` or characters without spaces, with ``*`` allowed only as its first
    and/or last character (then at least two other characters); at most four words make a pattern.

    References
    ----------
    The syntax is described in the module docstring and in ``taxonomy.toml``.
    """
    if not isinstance(pattern, str):
        return f"is not text but {type(pattern).__name__}"
    words = pattern.split()
    if not words:
        return "is empty"
    if len(words) > 4:
        return f"has {len(words)} words (at most 4)"
    for word in words:
        word = split_language(word)[1]
        if not _WORD.match(word) or len(word.strip("*")) < (2 if "*" in word else 1):
            return f"has an invalid word pattern {word!r} (letters, with * only at its start or end)"
        if word != word.casefold():
            return f"has upper-case letters in {word!r} (texts are lower-cased; write patterns in lower case)"
    return None


class GlobIndex:
    """Look-up tables for many word patterns at once: one pass over the vocabulary matches them all.

    Parameters
    ----------
    globs : iterable of str
        Distinct word patterns (no spaces).

    Attributes
    ----------
    globs : list of str
        The patterns in id order.

    Notes
    -----
    Instead of one regular expression per pattern (whose cost grows with the number of patterns),
    every surface form, lemma and compound part of a vocabulary entry is cut into its prefixes,
    suffixes and substrings of the lengths that occur among the patterns, and each piece is looked
    up in a dictionary. The cost grows with the vocabulary and word length only.
    """

    def __init__(self, globs: Iterable[str]):
        self.globs = list(dict.fromkeys(globs))
        self._tables: dict[str, dict[str, list[int]]] = {"exact": {}, "prefix": {}, "suffix": {}, "infix": {}}
        self._plain: dict[str, dict[str, list[int]]] = {"exact": {}, "prefix": {}, "suffix": {}, "infix": {}}
        self.number_ids = [i for i, g in enumerate(self.globs) if g == "#"]
        for i, glob in enumerate(self.globs):
            if glob == "#":
                continue
            kind = ("infix" if glob.startswith("*") and glob.endswith("*") else "prefix" if glob.endswith("*")
                    else "suffix" if glob.startswith("*") else "exact")
            stem = glob.strip("*")
            self._tables[kind].setdefault(stem, []).append(i)
            if deaccent(stem) != stem and len(stem) >= 4:  # words typed without ä/ö/å (short stems collide)
                self._plain[kind].setdefault(deaccent(stem), []).append(i)
        self._lengths = {kind: sorted({len(s) for s in table} | {len(s) for s in self._plain[kind]})
                         for kind, table in self._tables.items()}
        self._lengths.setdefault("infix", [])

    @staticmethod
    def _pieces(key: str, tables: dict[str, dict[str, list[int]]], lengths: dict[str, list[int]], found: set[int]):
        n = len(key)
        hit = tables["exact"].get(key)
        if hit:
            found.update(hit)
        table = tables["prefix"]
        for length in lengths["prefix"]:
            if length > n:
                break
            hit = table.get(key[:length])
            if hit:
                found.update(hit)
        table = tables["suffix"]
        for length in lengths["suffix"]:
            if length > n:
                break
            hit = table.get(key[n - length:])
            if hit:
                found.update(hit)
        table = tables.get("infix")
        if table:
            for length in lengths["infix"]:
                if length > n:
                    break
                for start in range(n - length + 1):
                    hit = table.get(key[start:start + length])
                    if hit:
                        found.update(hit)

    def match(self, keys: Sequence[str], plain_word: str | None = None) -> set[int]:
        """Ids of the patterns that match any of ``keys``; ``plain_word`` (a form without ä/ö/å) is also
        matched against the de-accented patterns."""
        found: set[int] = set()
        for key in keys:
            self._pieces(key, self._tables, self._lengths, found)
        if plain_word is not None:
            self._pieces(plain_word, self._plain, self._lengths, found)
        if self.number_ids and keys and keys[0].isdigit():
            found.update(self.number_ids)
        return found

    def vocabulary_matches(self, words: Sequence[str], lemmas: Sequence[str],
                           parts: Sequence[tuple[str, ...]]) -> list[np.ndarray]:
        """For each pattern id, the vocabulary ids it matches (sorted int arrays)."""
        hits: list[list[int]] = [[] for _ in self.globs]
        plain_words = [word if deaccent(word) == word else None for word in words]
        infix, plain_infix = self._tables.pop("infix"), self._plain.pop("infix")
        try:  # exact, prefix and suffix pieces by dictionary look-ups, entry by entry
            for vid, (word, lemma, extra, plain) in enumerate(zip(words, lemmas, parts, plain_words)):
                keys = (word, lemma, *extra) if lemma != word or extra else (word,)
                for gid in self.match(keys, plain):
                    hits[gid].append(vid)
        finally:
            self._tables["infix"], self._plain["infix"] = infix, plain_infix
        # substrings by one C-level scan of all keys per pattern: cheaper than cutting every key
        for table, keys in ((infix, ["\x00".join((w, l, *e)) for w, l, e in zip(words, lemmas, parts)]),
                            (plain_infix, [p or "" for p in plain_words])):
            if not table:
                continue
            text = "\n".join(keys)
            starts = np.cumsum([0] + [len(k) + 1 for k in keys[:-1]])
            for stem, gids in table.items():
                found, at = [], text.find(stem)
                while at >= 0:
                    found.append(at)
                    at = text.find(stem, at + 1)
                if found:
                    vids = np.unique(np.searchsorted(starts, np.asarray(found), side="right") - 1)
                    for gid in gids:
                        hits[gid].extend(vids.tolist())
        return [np.unique(np.asarray(h, dtype=np.int64)) for h in hits]
