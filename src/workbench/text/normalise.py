"""Normalisation of open-text answers: redaction first, then case, whitespace, emoji and URLs.

Redaction runs before anything else, so no later step (tokens, lemmas, examples, errors) ever sees
a personal identity code, phone number or e-mail address. Each distinct text is processed once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..errors import DataError
from ..privacy.redact import redact

try:  # the stronger de-identification module offers a vectorised entry point; use it when present
    from ..privacy.redact import redact_series
except ImportError:  # pragma: no cover - depends on the privacy module's version
    redact_series = None

__all__ = ["normalise", "prepare_texts", "EMOJI_POSITIVE", "EMOJI_NEGATIVE"]

# Emoji and emoticons carry tone; they become two word tokens the tone lexicon knows.
EMOJI_POSITIVE = "emojipositive"
EMOJI_NEGATIVE = "emojinegative"
_POSITIVE_EMOJI = "🙂😊😀😃😄😁😍🥰😇👍👏🙏❤💕💖💙💚💛🧡💜🌟⭐✨🎉"
_NEGATIVE_EMOJI = "🙁☹😞😟😠😡🤬😢😭😤😩😫👎💔🤮😒🙄"
_EMOTICON_POSITIVE = re.compile(r"(?<!\S)[:;=]-?[)\]D]+(?!\S)|(?<!\S)<3(?!\S)")
_EMOTICON_NEGATIVE = re.compile(r"(?<!\S)[:;=]-?[(\[/]+(?!\S)|(?<!\S)>:-?\((?!\S)")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_OTHER_SYMBOLS = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]")
_REPEATS = re.compile(r"([^\W\d_])\1{2,}")  # "ihanaaaa" -> "ihanaa": no Finnish word triples a letter
_SPACE = re.compile(r"\s+")
_EMOJI_TABLE = {ord(c): f" {EMOJI_POSITIVE} " for c in _POSITIVE_EMOJI} | {
    ord(c): f" {EMOJI_NEGATIVE} " for c in _NEGATIVE_EMOJI}


def normalise(text: str) -> str:
    """One already redacted text in the form every later step reads.

    Parameters
    ----------
    text : str
        A redacted open-text answer.

    Returns
    -------
    str
        Unicode NFC, lower case (``str.casefold``), URLs replaced by ``[url]``, emoji and emoticons
        replaced by the words ``emojipositive`` / ``emojinegative`` (others removed), letters repeated
        three or more times shortened to two, runs of white space collapsed to one space.

    Raises
    ------
    DataError
        ``text`` is not a string.

    Notes
    -----
    Case folding is safe for Finnish and Swedish (ä, ö, å keep their identity). Placeholders that
    redaction leaves (``[phone]``, ``[email]``, ``[id code]``) stay as they are; the tokeniser
    skips them, so a redacted phone number never counts as a mention of the phone service.

    References
    ----------
    Unicode Standard Annex #15 (normalisation forms) and the Unicode emoji charts.

    Examples
    --------
    >>> normalise("  Tosi HYVÄ palvelu 👍👍 katso www.example.fi  ")
    'tosi hyvä palvelu emojipositive emojipositive katso [url]'
    """
    if not isinstance(text, str):
        raise DataError(f"`normalise` takes text; got {type(text).__name__}.")
    text = unicodedata.normalize("NFC", text)
    # each step runs only when a cheap test says it can change something (most comments are plain)
    if "://" in text or "www" in text or "WWW" in text:
        text = _URL.sub(" [url] ", text)
    if ":" in text or ";" in text or "=" in text or "<" in text or ">" in text:
        text = _EMOTICON_POSITIVE.sub(f" {EMOJI_POSITIVE} ", text)
        text = _EMOTICON_NEGATIVE.sub(f" {EMOJI_NEGATIVE} ", text)
    if text and max(text) >= "\u2600":
        text = _OTHER_SYMBOLS.sub(" ", text.translate(_EMOJI_TABLE))
    text = text.casefold()
    text = _REPEATS.sub(r"\1\1", text)
    return _SPACE.sub(" ", text).strip()


def _redact_unique(values: pd.Series) -> pd.Series:
    """Redacted copies of distinct texts, through the privacy module's vectorised path when it has one."""
    if redact_series is not None:
        return redact_series(values)
    return values.map(redact)


def prepare_texts(texts: Iterable[str | None] | pd.Series) -> tuple[np.ndarray, list[str], list[str]]:
    """Redact and normalise each distinct answer once; map every row to its distinct text.

    Parameters
    ----------
    texts : sequence or Series of str or None
        Open-text answers, one per respondent; None, NaN and blank answers are "no comment".

    Returns
    -------
    (codes, redacted, normalised)
        ``codes`` has one integer per input row: the index of its distinct text, or -1 for no
        comment. ``redacted`` holds each distinct text redacted (for quotes) and ``normalised`` the
        same text after :func:`normalise` (for analysis).

    Raises
    ------
    DataError
        A value that is neither text nor missing (the message gives the types and row counts, never
        the values).

    Notes
    -----
    Distinct texts are found with :func:`pandas.factorize` before redaction, so the cost grows with
    the number of distinct answers, not with the number of rows. Redaction (``workbench.privacy.
    redact``) runs before normalisation, because lower-casing would hide the check character of a
    personal identity code.

    References
    ----------
    DESIGN.md, principle 10: every free text that reaches any output is de-identified first.
    """
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
    present = series.notna().to_numpy().copy()
    values = series[present]
    not_text = ~values.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    if not_text.any():
        kinds = values[not_text].map(lambda v: type(v).__name__).value_counts()
        shown = ", ".join(f"{k} ({v} rows)" for k, v in kinds.items())
        raise DataError(f"Open-text answers must be text or missing; {int(not_text.sum())} of {len(series)} rows "
                        f"are not: {shown}.")
    stripped = values.str.strip()
    blank = (stripped == "").to_numpy()
    present[np.flatnonzero(present)[blank]] = False
    codes = np.full(len(series), -1, dtype=np.int64)
    if present.any():
        local, uniques = pd.factorize(series[present].to_numpy(dtype=object))
        codes[present] = local
        redacted = _redact_unique(pd.Series(uniques, dtype=object)).tolist()
    else:
        redacted = []
    normalised = [normalise(t) for t in redacted]
    return codes, redacted, normalised
