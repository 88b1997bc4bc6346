"""Code every comment of a response file in one pass: themes, tone, suggestion, language."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._validate import check_columns
from ..errors import DataError
from .analysis import analyse
from .lexicon import Lexicon, load_lexicon
from .suggestions import suggestions
from .taxonomy import Taxonomy, load_taxonomy
from .themes import classify
from .tone import tone

__all__ = ["code_comments", "theme_columns", "THEME_PREFIX", "CODED_COLUMNS"]

THEME_PREFIX = "theme_"
CODED_COLUMNS = ("commented", "comment_language", "comment_redacted", "tone", "tone_score", "suggestion")


def theme_columns(coded: pd.DataFrame, themes: Sequence[str] | None = None) -> list[str]:
    """The theme columns of a coded frame (``theme_<id>``), all or the named themes, in order.

    Parameters
    ----------
    coded : DataFrame
        Output of :func:`code_comments`.
    themes : sequence of str, optional
        Theme ids (``access``) or columns (``theme_access``); None: every theme column.

    Returns
    -------
    list of str
        Column names.

    Raises
    ------
    DataError
        No theme columns, or a named theme without its column.

    Notes
    -----
    Theme columns carry a prefix so that a theme id never collides with a data column (the sample
    data has a respondent ``language`` column beside the ``language`` theme).

    References
    ----------
    DESIGN.md, principle 4 (fixed column names).
    """
    if themes is None:
        found = [c for c in coded.columns if isinstance(c, str) and c.startswith(THEME_PREFIX)]
        if not found:
            raise DataError(f"No theme columns ({THEME_PREFIX}<id>) in the data ({len(coded)} rows); "
                            "run workbench.text.code_comments first.")
        return found
    columns = [t if t.startswith(THEME_PREFIX) else THEME_PREFIX + t for t in themes]
    check_columns(coded, columns, role="theme column")
    return columns


def code_comments(data: pd.DataFrame, *, column: str = "comment", taxonomy: Taxonomy | str | None = None,
                  score: str | None = "nps", lexicon: Lexicon | str | None = None, lemmatiser: str = "simplemma",
                  subthemes: bool = False, service: str | None = None, progress: bool | None = None) -> pd.DataFrame:
    """The responses with their comments coded: themes, tone, suggestion and language per row.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    column : str
        The open-text column.
    taxonomy : Taxonomy, path or None
        Themes (None: the default taxonomy).
    score : str or None
        The 0-10 column used to calibrate tone (None: lexicon only).
    lexicon : Lexicon, path or None
        Tone and suggestion lexicon (None: the default).
    lemmatiser : str
        ``"simplemma"`` or ``"voikko"``.
    subthemes : bool
        Add sub-theme columns (``theme_phone.callback``).
    service : str, optional
        The service column, for service-specific sub-themes.
    progress : bool, optional
        Progress bar (default: from 20,000 distinct comments).

    Returns
    -------
    DataFrame
        A copy of ``data`` with ``commented`` (bool), ``comment_language``, ``comment_redacted``
        (what quotes may show), one bool ``theme_<id>`` column per theme, ``tone`` (categorical),
        ``tone_score`` and ``suggestion`` (bool). Rows without a comment have every theme and
        ``suggestion`` False and ``tone`` missing.

    Raises
    ------
    DataError
        Missing columns; answers that are not text; a coded column already in the data.
    TaxonomyError
        An invalid taxonomy or lexicon file.

    Notes
    -----
    The comments are analysed once (:func:`~workbench.text.analysis.analyse`): redaction first,
    then normalisation, language detection and lemmas of each distinct word form; themes, tone
    and suggestions all read that one analysis.

    References
    ----------
    DESIGN.md, "Data flow": redact -> normalise -> lemmatise -> themes, tone, suggestions.
    """
    needed = [column] + ([score] if score else []) + ([service] if service else [])
    check_columns(data, needed)
    taxonomy = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
    lexicon = lexicon if isinstance(lexicon, Lexicon) else load_lexicon(lexicon)
    ids = [t.id for t in taxonomy.themes] + ([t.id for t in taxonomy.subthemes] if subthemes else [])
    clash = [c for c in list(CODED_COLUMNS) + [THEME_PREFIX + i for i in ids] if c in data.columns]
    if clash:
        raise DataError(f"Columns {clash[:4]} are already in the data ({len(data)} rows); rename them first.")
    a = analyse(data[column], lemmatiser=lemmatiser, progress=progress)
    themes = classify(a, taxonomy, subthemes=subthemes, services=data[service] if service else None)
    tones = tone(a, scores=data[score] if score else None, lexicon=lexicon)
    out = data.copy()
    out["commented"] = a.codes >= 0
    out["comment_language"] = a.to_rows(np.asarray(a.language, dtype=object), fill=None)
    out["comment_redacted"] = a.to_rows(np.asarray(a.redacted, dtype=object), fill=None)
    for theme_id in ids:
        out[THEME_PREFIX + theme_id] = themes[theme_id].to_numpy()
    out["tone"] = tones["tone"].to_numpy()
    out["tone_score"] = tones["score"].to_numpy()
    out["suggestion"] = suggestions(a, lexicon=lexicon).to_numpy()
    return out
