"""Lemmatisers behind one interface: simplemma (default, MIT, pip-only) and Voikko (optional, GPL).

A lemmatiser turns one word form of a known language into its lemma and, when it can, the lemmas of
its compound parts (``takaisinsoittopalvelu`` -> ``takaisin``, ``soitto``, ``palvelu``). Hyphenated
compounds are split by both back ends (``Kela-taksin`` -> ``kela-taksi``; parts ``kela``, ``taksi``). Each
instance caches what it has analysed: feedback vocabularies are Zipfian, so each distinct word form
is analysed once per session however many comments contain it.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable

import simplemma

from ..errors import ParameterError

__all__ = ["Lemmatiser", "get_lemmatiser", "voikko_available", "LEMMATISERS"]

LEMMATISERS = ("simplemma", "voikko")
# Where Debian's python3-libvoikko installs its ctypes binding (the same file as PyPI's `libvoikko`).
_DEBIAN_BINDING = "/usr/lib/python3/dist-packages/libvoikko.py"


class Lemmatiser:
    """A cached word -> (lemma, compound parts) analyser for Finnish, Swedish and English.

    Parameters
    ----------
    name : str
        ``"simplemma"`` or ``"voikko"``.
    analyse_fi : callable, optional
        Finnish analyser returning ``(lemma, parts)`` or None when it does not know the word; None
        uses simplemma alone. Other languages always use simplemma.

    Attributes
    ----------
    name : str
        The back end.
    cache : dict
        ``(language, word) -> (lemma, parts)`` for every word analysed so far.
    """

    def __init__(self, name: str, analyse_fi: Callable[[str], tuple[str, tuple[str, ...]] | None] | None = None):
        self.name = name
        self.cache: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {}
        self._analyse_fi = analyse_fi

    def __call__(self, word: str, lang: str) -> tuple[str, tuple[str, ...]]:
        key = (lang, word)
        found = self.cache.get(key)
        if found is None:
            found = self._analyse(word, lang)
            self.cache[key] = found
        return found

    def _analyse(self, word: str, lang: str) -> tuple[str, tuple[str, ...]]:
        head, _, tail = word.rpartition("-")
        if head and tail and lang in ("fi", "sv", "en"):  # Kela-taksin -> kela-taksi, parts kela, taksi
            tail_lemma = self(tail, lang)[0]
            return f"{head}-{tail_lemma}", tuple(p for p in head.split("-") if p) + (tail_lemma,)
        if lang == "fi" and self._analyse_fi is not None:
            found = self._analyse_fi(word)
            if found is not None:
                return found
        if word.isdigit() or lang not in ("fi", "sv", "en"):
            return word, ()
        return _simplemma(word, lang), ()


def _simplemma(word: str, lang: str) -> str:
    return simplemma.lemmatize(word, lang=lang).lower()


def _load_libvoikko():
    """The libvoikko ctypes binding: PyPI's ``libvoikko`` if installed, else Debian's file."""
    try:
        import libvoikko  # deferred: optional GPL extra

        return libvoikko
    except ImportError:
        if not os.path.exists(_DEBIAN_BINDING):
            return None
        import importlib.util  # deferred with the optional binding

        spec = importlib.util.spec_from_file_location("libvoikko", _DEBIAN_BINDING)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module


@functools.lru_cache(maxsize=1)
def _voikko():
    """A Voikko instance for Finnish, or None when the library or the dictionary is missing."""
    binding = _load_libvoikko()
    if binding is None:
        return None
    try:
        return binding.Voikko("fi")
    except (OSError, binding.VoikkoException):  # library present, dictionary (voikko-fi) missing
        return None


def voikko_available() -> bool:
    """Whether Voikko (library, Python binding and Finnish dictionary) can be used.

    Parameters
    ----------
    None

    Returns
    -------
    bool
        True when ``libvoikko`` (PyPI, or Debian's ``python3-libvoikko``), ``libvoikko1`` and
        ``voikko-fi`` are installed.

    Raises
    ------
    None
        A missing library is reported as False, not raised.

    Notes
    -----
    Install on Debian/Ubuntu: ``apt-get install libvoikko1 voikko-fi`` and ``pip install
    workbench[voikko]`` (the PyPI binding) or ``apt-get install python3-libvoikko``.

    References
    ----------
    Voikko, https://voikko.puimula.org/ (GPL-2.0-or-later; binding MPL/GPL/LGPL).
    """
    return _voikko() is not None


def _wordbases(structure: str) -> tuple[str, ...]:
    """Compound parts from Voikko's WORDBASES, e.g. '+puhelin(puhelin)+jono(jono)' -> ('puhelin', 'jono')."""
    parts = []
    for segment in structure.split("+"):
        if "(" in segment and segment.endswith(")"):
            base = segment[segment.index("(") + 1:-1]
            if base and not base.startswith("+"):
                parts.append(base.lower())
    return tuple(parts) if len(parts) > 1 else ()


def _voikko_fi(word: str) -> tuple[str, tuple[str, ...]] | None:
    analyses = _voikko().analyze(word)
    if not analyses:
        return None
    best = analyses[0]
    return best.get("BASEFORM", word).lower(), _wordbases(best.get("WORDBASES", ""))


@functools.lru_cache(maxsize=None)
def get_lemmatiser(name: str = "simplemma") -> Lemmatiser:
    """The shared, cached lemmatiser of a back end.

    Parameters
    ----------
    name : str
        ``"simplemma"`` (default) or ``"voikko"``.

    Returns
    -------
    Lemmatiser
        One instance per back end and session, so its word cache is reused across calls.

    Raises
    ------
    ParameterError
        An unknown back end, or ``"voikko"`` when Voikko is not installed.

    Notes
    -----
    simplemma (Barbaresi 2023) looks words up in dictionaries built from Wiktionary and Universal
    Dependencies data, with rules for unknown forms; its Finnish compound handling is greedy, so
    matching also looks at surface forms. Voikko analyses Finnish with a full morphology (Malaga /
    VFST) and splits compounds; words it does not know (colloquial spellings) fall back to
    simplemma. Swedish and English are always lemmatised by simplemma.

    References
    ----------
    Barbaresi, A. (2023). simplemma: a simple multilingual lemmatizer for Python (v1.0).
    Zenodo. doi:10.5281/zenodo.4673264. Voikko: https://voikko.puimula.org/.
    """
    if name not in LEMMATISERS:
        raise ParameterError(f"Unknown `lemmatiser` {name!r}; valid: {', '.join(map(repr, LEMMATISERS))}.")
    if name == "voikko":
        if not voikko_available():
            raise ParameterError("`lemmatiser='voikko'` needs libvoikko1, voikko-fi and the libvoikko binding "
                                 "(pip install workbench[voikko]); they are not installed.")
        return Lemmatiser("voikko", _voikko_fi)
    return Lemmatiser("simplemma")
