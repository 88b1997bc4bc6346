"""Themes of each comment from a taxonomy: one boolean column per theme, aligned with the input."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..errors import DataError
from .analysis import Analysis, analyse
from .taxonomy import Taxonomy, Theme, load_taxonomy

__all__ = ["classify", "theme_hits"]


def _coverage(a: Analysis, patterns: Sequence[str], gap: int) -> np.ndarray:
    """Tokens covered by any match of any pattern."""
    return a.covered(*a.spans_many(patterns, gap=gap))


def _scope_flags(a: Analysis, tokens: np.ndarray, scope: str) -> np.ndarray:
    """Per sentence (or per comment) of every token: whether one of its tokens is flagged."""
    if scope == "comment":
        return a.per_text(tokens)[a.text_of_token]
    n_sentences = int(a.sentence.max()) + 1 if len(a.sentence) else 0
    has = np.zeros(n_sentences, dtype=bool)
    has[a.sentence[tokens]] = True
    return has[a.sentence]


def theme_hits(a: Analysis, theme: Theme, *, gap: int = 2) -> np.ndarray:
    """Token positions where a theme is mentioned (the first word of each matching pattern).

    Parameters
    ----------
    a : Analysis
        Comments from :func:`~workbench.text.analysis.analyse`.
    theme : Theme
        One theme of a taxonomy.
    gap : int
        Words allowed between the words of a multi-word pattern.

    Returns
    -------
    ndarray of bool
        One flag per token of ``a``.

    Raises
    ------
    None
        The theme was validated when its taxonomy was loaded.

    Notes
    -----
    A match counts unless one of its words is covered by an ``exclude`` match; a rule's match counts
    only where its scope holds a ``requires`` match (when it has any) and no ``unless`` match.

    References
    ----------
    Manning, Raghavan & Schütze (2008). Introduction to Information Retrieval, ch. 3 (wildcard
    queries and permuterm-style look-ups).
    """
    excluded = np.concatenate([[0], np.cumsum(_coverage(a, theme.exclude, gap))])
    hits = np.zeros(len(a.token), dtype=bool)
    for rule in theme.rules:
        allowed = np.ones(len(a.token), dtype=bool)
        if rule.requires:
            allowed &= _scope_flags(a, _coverage(a, rule.requires, gap), rule.scope)
        if rule.unless:
            allowed &= ~_scope_flags(a, _coverage(a, rule.unless, gap), rule.scope)
        start, end = a.spans_many(rule.terms, gap=gap)
        keep = (excluded[end + 1] - excluded[start] == 0) & allowed[start]
        hits[start[keep]] = True
    return hits


def classify(texts: Iterable[str | None] | pd.Series | Analysis, taxonomy: Taxonomy | str | None = None, *,
             subthemes: bool = False, services: Sequence[str] | pd.Series | None = None,
             lemmatiser: str = "simplemma") -> pd.DataFrame:
    """Which themes each comment mentions: one boolean column per theme, aligned with the input.

    Parameters
    ----------
    texts : sequence or Series of str, or Analysis
        One answer per respondent (None or blank: no comment, every theme False).
    taxonomy : Taxonomy, path or None
        The themes; None uses the default taxonomy (:func:`~workbench.text.taxonomy.default_taxonomy`).
    subthemes : bool
        Add one column per sub-theme (``phone.callback``).
    services : sequence or Series, optional
        The service of each row, for sub-themes limited to some services.
    lemmatiser : str
        ``"simplemma"`` or ``"voikko"`` (ignored when ``texts`` is an Analysis).

    Returns
    -------
    DataFrame
        Index of the input; one bool column per theme id in taxonomy order (then sub-themes).

    Raises
    ------
    TaxonomyError
        An invalid taxonomy file.
    DataError
        Answers that are not text; ``services`` of another length than ``texts``.

    Notes
    -----
    A theme is marked when any of its patterns matches a token's surface form, lemma or compound
    part (:mod:`~workbench.text.patterns`), after exclusions and rule conditions. Mentions count
    whatever their tone: "ei ollut ystävällinen" marks ``respect`` (its tone is negative). The
    recorded service never decides a top-level theme. Accuracy against hand coding:
    :func:`~workbench.text.agreement.agreement`.

    References
    ----------
    Krippendorff, K. (2018). Content Analysis, 4th ed., ch. 8 (dictionary-based coding).

    Examples
    --------
    >>> classify(["Jonotin puhelimessa tunnin.", "Lääkäri ei ollut ystävällinen."])[["phone", "respect"]]
       phone  respect
    0   True    False
    1  False     True
    """
    taxonomy = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
    a = analyse(texts, lemmatiser=lemmatiser)
    themes = list(taxonomy.themes) + (list(taxonomy.subthemes) if subthemes else [])
    service = None
    if services is not None:
        service = np.asarray(services, dtype=object)
        if len(service) != len(a.codes):
            raise DataError(f"`services` has {len(service)} rows; the texts have {len(a.codes)}.")
    a.warm(p for t in themes for r in t.rules for p in (*r.terms, *r.requires, *r.unless, *t.exclude))
    columns = {}
    for theme in themes:
        flags = a.to_rows(a.per_text(theme_hits(a, theme, gap=taxonomy.gap)))
        if theme.services and service is not None:
            flags &= np.isin(service, theme.services)
        columns[theme.id] = flags
    return pd.DataFrame(columns, index=a.index)
