"""Shared pieces of the redaction package: placeholders, spans, rank order, digit and amount patterns.

:data:`PLACEHOLDERS` and :class:`Identifier` are public API (re-exported by the package);
:data:`RANK` orders overlapping spans, :data:`DIGIT`/:data:`DIGITS` gate the numeric rules,
:data:`AFTER_AMOUNT` recognises amounts, and :func:`lower_same_length` lower-cases without
moving offsets.

This module and :mod:`.inflection` sit at the bottom of the package's imports and
:mod:`.engine` at the top, so the modules import each other without cycles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...errors import ParameterError

__all__ = ["PLACEHOLDERS", "RANK", "DIGIT", "DIGITS", "AFTER_AMOUNT", "Identifier", "lower_same_length"]

PLACEHOLDERS = {
    "id_code": "[id code]",
    "phone": "[phone]",
    "email": "[email]",
    "address": "[address]",
    "name": "[name]",
    "record": "[record]",
}


@dataclass(frozen=True)
class Identifier:
    """One identifier found in a text: its kind and its ``text[start:end]`` span.

    Parameters
    ----------
    kind : str
        One of ``"id_code"``, ``"phone"``, ``"email"``, ``"address"``, ``"name"``, ``"record"``.
    start, end : int
        Character offsets into the text, ``start < end``.

    Raises
    ------
    ParameterError
        If ``kind`` is not a key of :data:`PLACEHOLDERS`, or the span is empty or negative.

    Notes
    -----
    Frozen, so a list of identifiers can be shared between passes without being changed.
    """

    kind: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if self.kind not in PLACEHOLDERS:
            raise ParameterError(f"unknown identifier kind {self.kind!r}")
        if not 0 <= self.start < self.end:
            raise ParameterError(f"empty or negative span {self.start}..{self.end}")


# When two candidate spans overlap, the one with the smaller rank wins (then the longer one).
# Identity codes and e-mails are the most specific patterns; a keyword-introduced record
# ("asiakasnumero 0401234567") beats the phone reading of the same digits; names come last
# because a capitalised word inside a street name or e-mail must not break those spans.
RANK = {"id_code": 0, "email": 1, "record_kw": 2, "phone": 3, "address": 4, "record": 5, "name": 6}

# A digit anywhere in a text is the gate of four detectors (id codes, phones, records,
# addresses); DIGITS gives the runs that addresses look behind.
DIGIT = re.compile(r"\d")
DIGITS = re.compile(r"\d+")

# A unit, currency or count word right after a number makes it an amount, not a phone
# or record number ("1234567 €", "2000 mg", "5 kertaa"). Shared by phones and records so
# both rules keep the same amounts.
AFTER_AMOUNT = re.compile(
    r"^\s*(?:€|%|(?:e|eur|euroa?|euron|mk|kr|sek|mg|g|kg|km|m|min|minuuttia|h|t|kpl|kappaletta|asiakasta|"
    r"asiakkaan|käyntiä|henkeä|henkilöä|hlö|krt|kertaa|vuotta|vuoden|v|vrk|pv|päivää|päivän|vk|viikkoa|viikon|"
    r"kk|kuukautta|tuntia|tunnin)\b)",
    re.I,
)


def lower_same_length(text: str) -> str:
    """``text.lower()``, but never longer: offsets into it stay offsets into ``text``.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        The lower-cased text, of the same length as ``text``.

    Raises
    ------
    AttributeError
        If ``text`` is not a str (the public functions check the type first).

    Notes
    -----
    The detectors search keywords in the lower-cased text and report offsets into the
    original, so the two must align character by character. A few characters lower-case
    to two code points (U+0130 "İ" becomes "i" + combining dot); those are kept unchanged.

    References
    ----------
    .. [1] The Unicode Consortium, "SpecialCasing.txt", Unicode Character Database,
       https://www.unicode.org/Public/UCD/latest/ucd/SpecialCasing.txt
    """
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
