"""The redaction engine: run the detectors, resolve overlaps, replace, and the fast path for Series.

:func:`find_identifiers` runs the six detectors of the package on one text and keeps the
most specific of overlapping spans; :func:`redact` replaces them by placeholders until none
is left; :func:`redact_series` does the same for a whole Series, skipping in one scan the
texts in which no detector can fire.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from ...errors import ParameterError
from .addresses import find_addresses
from .codes import find_id_codes
from .common import DIGIT, PLACEHOLDERS, RANK, Identifier, lower_same_length
from .emails import EMAIL_HINT_PARTS, email_possible, find_emails
from .names import find_names
from .phones import find_phones
from .records import find_records

__all__ = ["find_identifiers", "redact", "redact_series", "redact_label", "LABEL_KINDS"]


def _resolve(cands: list[tuple[str, int, int]]) -> list[Identifier]:
    """Keep non-overlapping spans, preferring the more specific kind, then the longer span."""
    cands = sorted(set(cands), key=lambda c: (RANK[c[0]], -(c[2] - c[1]), c[1]))
    taken: list[tuple[int, int]] = []
    keep = []
    for kind, s, e in cands:
        if s >= e or any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        keep.append(Identifier("record" if kind == "record_kw" else kind, s, e))
    return sorted(keep, key=lambda x: x.start)


def _check_text(text: object, func: str) -> None:
    """Refuse a non-str: passing it through could publish an identifier stored in another type."""
    if not isinstance(text, str):
        raise ParameterError(f"`{func}` takes a str or a missing value; got {type(text).__name__}.")


def _find_all(text: str, names: list[tuple[str, int, int]] | None = None) -> list[Identifier]:
    """All detectors on a str (no type check); ``names``: the name spans, if already known."""
    if not text:
        return []
    low = lower_same_length(text)
    cands: list[tuple[str, int, int]] = []
    if DIGIT.search(text):
        cands += find_id_codes(text)
        cands += find_phones(text)
        cands += find_records(text, low)
        cands += find_addresses(text)
    if email_possible(low):
        cands += find_emails(text)
    cands += find_names(text, low) if names is None else names
    return _resolve(cands)


def find_identifiers(text: str) -> list[Identifier]:
    """Find the personal identifiers in a text.

    Parameters
    ----------
    text : str
        Free text (a feedback comment), any length, any mix of Finnish, Swedish, English.

    Returns
    -------
    list of Identifier
        Non-overlapping spans, ordered by start offset.

    Raises
    ------
    ParameterError
        If ``text`` is not a str.

    Notes
    -----
    Runs the six detectors and resolves overlaps by specificity (id_code > email >
    keyword record > phone > address > bare-digit record > name), then by length. See each
    ``find_*`` function (modules :mod:`.codes`, :mod:`.phones`, :mod:`.emails`,
    :mod:`.records`, :mod:`.addresses`, :mod:`.names`) for what its rule covers and why.
    The digit-based detectors run only if the text has a digit, the e-mail detector only
    if it has some form of "@" (:func:`.emails.email_possible`).

    References
    ----------
    .. [1] General Data Protection Regulation (EU) 2016/679, art. 4(1) (names,
       identification numbers and contact details are personal data) and art. 9 (health
       data is a special category), https://eur-lex.europa.eu/eli/reg/2016/679/oj
    .. [2] US Department of Health and Human Services, HIPAA Privacy Rule, 45 CFR
       164.514(b)(2), the "Safe Harbor" list of identifiers to remove from health records.
    .. [3] For each rule, the References of :func:`.codes.find_id_codes` (DVV, Population
       Information Act 661/2009), :func:`.phones.find_phones` (ITU-T E.164, libphonenumber),
       :func:`.emails.find_emails` (RFC 5322) and :func:`.names.find_names` (DVV name statistics
       via Faker).

    Examples
    --------
    >>> [(i.kind, i.start, i.end) for i in find_identifiers("hetu 131052-308T, puh 040 123 4567")]
    [('id_code', 5, 16), ('phone', 22, 34)]
    """
    _check_text(text, "find_identifiers")
    return _find_all(text)


def _is_missing(value: object) -> bool:
    """None, NaN or ``pd.NA``: a missing answer, passed through unchanged."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def _apply(text: str, found: list[Identifier]) -> str:
    """``text`` with each (non-overlapping, ordered) identifier replaced by its placeholder."""
    out, pos = [], 0
    for ident in found:
        out.append(text[pos:ident.start])
        out.append(PLACEHOLDERS[ident.kind])
        pos = ident.end
    out.append(text[pos:])
    return "".join(out)


# Passes before giving up (in practice one or two are needed; see redact, Notes).
_MAX_PASSES = 8


def _redact_text(text: str, names: list[tuple[str, int, int]] | None = None) -> str:
    """Replace identifiers until none is left (see :func:`redact`, Notes)."""
    found = _find_all(text, names)
    out = text
    for _ in range(_MAX_PASSES):
        if not found:
            return out
        out = _apply(out, found)
        found = _find_all(out)
    # Each pass replaces original characters by placeholders no rule matches, so the loop
    # ends after a few passes; reaching this line means a rule matched a placeholder.
    raise ParameterError(f"redaction did not converge after {_MAX_PASSES} passes")


def redact(text: str | None) -> str | None:
    """Replace every personal identifier in a text by a placeholder.

    Parameters
    ----------
    text : str, None or NaN
        The text. None, NaN and ``pd.NA`` (a missing answer) are returned unchanged.

    Returns
    -------
    str or None
        The text with each identifier replaced by ``[id code]``, ``[phone]``, ``[email]``,
        ``[address]``, ``[name]`` or ``[record]``.

    Raises
    ------
    ParameterError
        If ``text`` is neither a str nor missing (a number, bytes, a list …): silently
        passing it through could publish an identifier stored in another type.

    Notes
    -----
    Idempotent: ``redact(redact(t)) == redact(t)``. The placeholders contain no digits,
    capitals or "@", so no rule fires on them; but a replacement can change what its
    neighbour looks like (a word glued to a number is a separate word once the number is
    "[phone]"), so the replacement is repeated until no identifier is found. Every pass
    only removes original characters, so this ends (in practice after one or two passes);
    should it not end within 8 passes, ``ParameterError`` is raised rather than publishing
    a half-redacted text.

    References
    ----------
    .. [1] General Data Protection Regulation (EU) 2016/679, art. 4(1) (names,
       identification numbers and contact details are personal data) and art. 9 (health
       data is a special category), https://eur-lex.europa.eu/eli/reg/2016/679/oj
    .. [2] US Department of Health and Human Services, HIPAA Privacy Rule, 45 CFR
       164.514(b)(2), the "Safe Harbor" list of identifiers to remove from health records.
    .. [3] For each rule, the References of :func:`.codes.find_id_codes` (DVV, Population
       Information Act 661/2009), :func:`.phones.find_phones` (ITU-T E.164, libphonenumber),
       :func:`.emails.find_emails` (RFC 5322) and :func:`.names.find_names` (DVV name statistics
       via Faker).

    Examples
    --------
    >>> redact("Soita 040 123 4567 tai mail matti.m@example.fi, hetu 131052-308T.")
    'Soita [phone] tai mail [email], hetu [id code].'
    >>> redact("Kiitos hoitaja Virtaselle!")
    'Kiitos hoitaja [name]!'
    """
    if _is_missing(text):
        return text
    _check_text(text, "redact")
    return _redact_text(text)


# Texts are joined with NUL + newline: no rule crosses a line break or matches a NUL, so
# spans found in the joined text stay inside one text.
_ROW_SEP = "\x00\n"
_DIGIT_ROW = re.compile(r"\d[^\x00]*")
# The three alternatives of the e-mail hint as separate patterns: each can then use the regex
# engine's first-character scan (together they are about twice as slow).
_EMAIL_ROWS = tuple(re.compile(rf"(?:{part})[^\x00]*") for part in EMAIL_HINT_PARTS)


def _rows_to_check(texts: list[str]) -> tuple[np.ndarray, dict[int, list[tuple[str, int, int]]]]:
    """The texts in which some detector could fire, and the name spans of every text.

    Returns
    -------
    rows : ndarray of int
        Indices of the texts to run through the detectors; the others are returned as is.
    names : dict
        Text index -> its name spans (offsets within that text); texts without names absent.

    Notes
    -----
    The texts are joined with a NUL + newline separator that no rule crosses, and searched
    once as a whole: for a digit (the gate of id codes, phones, addresses and records), for
    the e-mail hint (the gate of e-mails), and by the name detector itself, whose rules
    stay within a line (see :func:`find_names`), so its spans over the joined text are
    each text's own spans. These are exactly the gates of :func:`_find_all`, so skipping a
    text without any hit cannot change its result (the tests compare with ``map(redact)``).
    """
    joined = _ROW_SEP.join(texts)
    low = lower_same_length(joined)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate(([0], np.cumsum(lengths + len(_ROW_SEP))[:-1]))
    # One match per row: from the first trigger to the end of its row (nothing after it in
    # that row matters), so the Python-level loop runs once per row, not once per digit.
    hits = [m.start() for m in _DIGIT_ROW.finditer(joined)]
    hits += [m.start() for pattern in _EMAIL_ROWS for m in pattern.finditer(low)]
    name_spans = find_names(joined, low)
    names: dict[int, list[tuple[str, int, int]]] = {}
    if name_spans:
        span_starts = np.fromiter((sp[1] for sp in name_spans), dtype=np.int64, count=len(name_spans))
        span_rows = np.searchsorted(starts, span_starts, side="right") - 1
        for (kind, s, e), r in zip(name_spans, span_rows.tolist()):
            names.setdefault(r, []).append((kind, s - int(starts[r]), e - int(starts[r])))
    rows = np.searchsorted(starts, np.asarray(hits, dtype=np.int64), side="right") - 1
    rows = np.union1d(rows, np.fromiter(names, dtype=np.int64, count=len(names)))
    return rows.astype(np.int64), names


def redact_series(series: pd.Series) -> pd.Series:
    """Redact every text of a Series (same index, name, dtype and missing values).

    Parameters
    ----------
    series : pandas.Series
        Texts; missing values (None, NaN, pd.NA) stay as they are.

    Returns
    -------
    pandas.Series
        Redacted texts, equal element by element to ``series.map(redact)``.

    Raises
    ------
    ParameterError
        If ``series`` is not a Series, or an element is neither a str nor missing (the
        message names the first offending index label).

    Notes
    -----
    Fast path: one scan of all texts for the detectors' starting points
    (:func:`_rows_to_check`); texts without any are copied unchanged, only the others go
    through the detectors. Nothing is cached between calls. The result keeps the input's
    dtype (``object`` or pandas' string dtype).

    References
    ----------
    .. [1] General Data Protection Regulation (EU) 2016/679, art. 4(1) (names,
       identification numbers and contact details are personal data) and art. 9 (health
       data is a special category), https://eur-lex.europa.eu/eli/reg/2016/679/oj
    .. [2] US Department of Health and Human Services, HIPAA Privacy Rule, 45 CFR
       164.514(b)(2), the "Safe Harbor" list of identifiers to remove from health records.
    .. [3] For each rule, the References of :func:`.codes.find_id_codes` (DVV, Population
       Information Act 661/2009), :func:`.phones.find_phones` (ITU-T E.164, libphonenumber),
       :func:`.emails.find_emails` (RFC 5322) and :func:`.names.find_names` (DVV name statistics
       via Faker).
    """
    if not isinstance(series, pd.Series):
        raise ParameterError(f"`redact_series` takes a pandas Series; got {type(series).__name__}.")
    values = series.to_numpy(dtype=object)
    missing = np.fromiter((_is_missing(v) for v in values), dtype=bool, count=len(values))
    bad = [k for k, v in enumerate(values) if not missing[k] and not isinstance(v, str)]
    if bad:
        label = series.index[bad[0]]
        raise ParameterError(
            f"`redact_series` takes texts; element {label!r} is {type(values[bad[0]]).__name__}."
        )
    out = values.copy()
    pos = np.flatnonzero(~missing)
    if len(pos):
        texts = [values[k] for k in pos]
        rows, names = _rows_to_check(texts)
        for r in rows.tolist():
            k = pos[r]
            out[k] = _redact_text(values[k], names.get(r, []))
    # dtype=object: pandas 3 would otherwise infer its "str" dtype and turn None into NaN.
    result = pd.Series(out, index=series.index, name=series.name, dtype=object)
    return result.astype(series.dtype) if series.dtype != object else result


# Identifiers that no label of a unit, area or category legitimately contains; names and street
# addresses are left to full redaction because units are named after places and people
# ("Aurora", "Maria", "Kivelän terveysasema") and their names are public.
LABEL_KINDS = ("id_code", "phone", "email", "record")


def redact_label(text: str | None) -> str | None:
    """Replace identity codes, phone numbers, e-mail addresses and record numbers in a label.

    Parameters
    ----------
    text : str, None or NaN
        A group key as published (a unit, area or category name). Missing values pass through.

    Returns
    -------
    str or None

    Raises
    ------
    ParameterError
        If ``text`` is neither a str nor missing.

    Notes
    -----
    For the structural columns of a published table (area, service, unit, month, …), whose values
    are names of places, services and units: hospitals and health stations are named after places
    and people ("Aurora", "Maria", "Kivelän terveysasema"), and a gazetteer would mangle them.
    Contact details and codes never belong in such a label, so they are still replaced. Any
    other text column goes through :func:`redact`.

    References
    ----------
    General Data Protection Regulation (EU) 2016/679, art. 4(1).
    """
    if _is_missing(text):
        return text
    _check_text(text, "redact_label")
    out = text
    for _ in range(_MAX_PASSES):
        found = [i for i in _find_all(out, names=[]) if i.kind in LABEL_KINDS]
        if not found:
            return out
        out = _apply(out, found)
    raise ParameterError(f"redaction did not converge after {_MAX_PASSES} passes")
