"""The tone and suggestion lexicon: a versioned TOML file per language (default: ``lexicon.toml``)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import TaxonomyError
from .patterns import check_pattern

__all__ = ["Lexicon", "load_lexicon", "LEXICON_KEYS"]

LEXICON_KEYS = ("positive", "strong_positive", "weak_positive", "negative", "strong_negative", "weak_negative",
                "neutral", "expected", "negators", "intensifiers", "diminishers", "contrast", "sarcasm", "suggestion",
                "not_suggestion", "interrogative", "more", "generic")
_LANGUAGES = ("fi", "sv", "en")


@dataclass(frozen=True)
class Lexicon:
    """Word lists for tone and suggestions, per language.

    Attributes
    ----------
    name, version : str
        From the ``[lexicon]`` table.
    entries : mapping
        ``entries[language][key]`` is a tuple of patterns for each key of ``LEXICON_KEYS``.
    source : str
        The file read, or ``"default"``.
    """

    name: str
    version: str
    entries: Mapping[str, Mapping[str, tuple[str, ...]]]
    source: str = "default"

    def get(self, language: str, key: str) -> tuple[str, ...]:
        """The patterns of one key in one language (empty when the language is not in the file)."""
        return self.entries.get(language, {}).get(key, ())

    def patterns(self, key: str) -> dict[str, tuple[str, ...]]:
        """Language -> patterns of one key."""
        return {lang: self.get(lang, key) for lang in self.entries}

    def words(self) -> set[str]:
        """Every single-word pattern of the lexicon (calibration learns weights for the other words)."""
        return {p for lang in self.entries for k in LEXICON_KEYS for p in self.get(lang, k) if " " not in p}


def _parse(data: Mapping[str, Any], source: str) -> Lexicon:
    header = data.get("lexicon")
    if not isinstance(header, Mapping) or not all(isinstance(header.get(k), str) for k in ("name", "version")):
        raise TaxonomyError(f"Lexicon {source!r}: missing table [lexicon] with text keys 'name' and 'version'.")
    unknown = sorted(set(data) - {"lexicon", *_LANGUAGES})
    if unknown:
        raise TaxonomyError(f"Lexicon {source!r}: unknown section {unknown[0]!r} (valid: lexicon, fi, sv, en).")
    entries = {}
    for lang in _LANGUAGES:
        if lang not in data:
            continue
        section = data[lang]
        if not isinstance(section, Mapping):
            raise TaxonomyError(f"Lexicon {source!r}: section [{lang}] must be a table.")
        bad = sorted(set(section) - set(LEXICON_KEYS))
        if bad:
            raise TaxonomyError(f"Lexicon {source!r}, section [{lang}]: unknown key {bad[0]!r} "
                                f"(valid: {', '.join(LEXICON_KEYS)}).")
        parsed = {}
        for key in LEXICON_KEYS:
            values = section.get(key, [])
            if not isinstance(values, list):
                raise TaxonomyError(f"Lexicon {source!r}, section [{lang}]: key {key!r} must be a list of patterns.")
            for i, pattern in enumerate(values, 1):
                problem = check_pattern(pattern)
                if problem:
                    raise TaxonomyError(f"Lexicon {source!r}, section [{lang}]: key {key!r}, item {i}: "
                                        f"the pattern {problem}.")
            parsed[key] = tuple(dict.fromkeys(values))
        entries[lang] = parsed
    if not entries:
        raise TaxonomyError(f"Lexicon {source!r}: no language section ([fi], [sv] or [en]).")
    return Lexicon(header["name"], header["version"], entries, source)


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Read and validate a tone and suggestion lexicon (None: the default shipped with the package).

    Parameters
    ----------
    path : str or Path, optional
        A TOML file with a ``[lexicon]`` table and ``[fi]``, ``[sv]``, ``[en]`` sections whose keys
        are ``LEXICON_KEYS`` (see the comments at the top of ``lexicon.toml``).

    Returns
    -------
    Lexicon
        Validated patterns per language and key.

    Raises
    ------
    TaxonomyError
        A missing file, invalid TOML, an unknown section or key, or an invalid pattern (the message
        names the section, key and item number).

    Notes
    -----
    The default lexicon was written by hand for this domain: no maintained Finnish or Swedish
    sentiment lexicon is installable from PyPI (``afinn`` 0.1 has Danish and English only; its
    repository's Finnish list is an unreleased machine translation). Calibration on the 0-10 answers
    (:class:`~workbench.text.tone.ToneModel`) adapts it to the data at hand.

    References
    ----------
    Nielsen, F. Å. (2011). A new ANEW: evaluation of a word list for sentiment analysis in microblogs.
    ESWC workshop "Making Sense of Microposts" (AFINN). Taboada, M. et al. (2011). Lexicon-based
    methods for sentiment analysis. Computational Linguistics 37(2).
    """
    if path is None:
        text = resources.files(__package__).joinpath("lexicon.toml").read_text(encoding="utf-8")
        source = "default"
    else:
        path = Path(path)
        if not path.is_file():
            raise TaxonomyError(f"Lexicon file {str(path)!r} does not exist.")
        text, source = path.read_text(encoding="utf-8"), str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TaxonomyError(f"Lexicon {source!r} is not valid TOML: {exc}.") from None
    return _parse(data, source)
