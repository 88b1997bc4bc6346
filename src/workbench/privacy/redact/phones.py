"""Phone numbers: ``phonenumbers`` (region FI, leniency VALID) on a normalised copy, with filters.

The filters keep the numbers that customer feedback is full of (dates, clock times, amounts,
counts, identity-code shapes), and a digit run the library rejects as a whole is split into the
valid numbers it contains.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import Leniency

from .common import AFTER_AMOUNT

__all__ = ["find_phones"]

# A run with at least 6 digits in phone-like grouping; without one there is nothing to call.
_PHONE_HINT = re.compile(r"\d(?:[\s().\-\u2013\u2014/]{0,3}\d){5,}")
# Runs that are a date, not a phone (checked on the whole run).
_DATE_LIKE = re.compile(
    r"^(?:(?P<d>\d{1,2})[./ -](?P<m>\d{1,2})[./ -](?:\d{2}|\d{4})"  # 01.02.2024, 01 02 2024
    r"|(?P<d2>\d{2})(?P<m2>\d{2})(?:19|20)\d{2}"  # 01022024
    r"|(?P<m3>\d{1,2})[./ -](?:19|20)\d{2})$"  # 05 2024, 5/2024
)
# An identity-code shape with a wrong check character is a decoy, not a phone.
_HETU_SHAPE = re.compile(r"^\d{6}[-+A-FU-Ya-fu-y]\d{3}")
# A currency, clock or "about" word just before a number makes it an amount or a time.
_BEFORE_AMOUNT = re.compile(r"(?:€|eur|euroa|klo|kl\.|kello|n\.|noin|yht\.|yhteensä)\s*$", re.I)


def _phone_view(text: str) -> str:
    """Same-length copy of ``text`` that ``PhoneNumberMatcher`` reads better.

    Notes
    -----
    Every substitution maps one character to one character, so a match in the copy has the
    same offsets in the original. Full-width digits become ASCII; a line break, tab or
    no-break space between digits becomes a space (a number wrapped over two lines); a letter
    glued to a digit ("puh0401234567", "numeroon040 …") becomes a space, because the
    matcher refuses numbers that touch letters. The library (9.0.43) already reads
    "+358 (0)40", "358 40 …" without plus, dots and slashes (measured when the rule was
    written), so those are left as they are.
    """
    view = text.translate(_FULLWIDTH_DIGITS)
    view = _BREAK_IN_NUMBER.sub(lambda m: " " * len(m.group()), view)
    return _GLUED_LETTER.sub(" ", view)


_FULLWIDTH_DIGITS = str.maketrans({chr(0xFF10 + d): str(d) for d in range(10)})
# Line break, tab or no-break space between two digits (a number wrapped over two lines).
_BREAK_IN_NUMBER = re.compile(r"(?<=\d)(?:\r?\n|[\t\u00a0\u202f])(?=\d)")
# A letter touching a digit on either side ("puh0401234567", "…4567kiitos").
_GLUED_LETTER = re.compile(r"[^\W\d_](?=\d)|(?<=\d)[^\W\d_]")


def _is_date_run(run: str) -> bool:
    """A digit run that is exactly a date ("12.3.2024", "01 02 2024"): never a phone."""
    m = _DATE_LIKE.match(re.sub(r"\s+", " ", run).strip())
    if not m:
        return False
    day = m.group("d") or m.group("d2")
    month = m.group("m") or m.group("m2") or m.group("m3")
    return (day is None or 1 <= int(day) <= 31) and 1 <= int(month) <= 12


def _phone_ok(text: str, start: int, end: int) -> bool:
    """Reject phone matches that are really dates, identity-code shapes or amounts.

    The shape tests read the original characters (full-width digits mapped to ASCII), not
    ``view``: there a century sign glued to the digits ("030753Y073K") is already a space,
    and the identity-code shape would no longer be seen.
    """
    raw = text[start:end].translate(_FULLWIDTH_DIGITS)
    if _is_date_run(raw):
        return False
    if _HETU_SHAPE.match(raw):
        return False
    # A number in Finnish national format starts with the trunk 0; one with neither 0 nor
    # an international prefix ("4455667788") is an account or reference number, not a phone.
    lead = raw.lstrip("(")
    if not (lead.startswith(("+", "0", "358"))):
        return False
    if AFTER_AMOUNT.match(text[end:end + 12]) or _BEFORE_AMOUNT.search(text[max(0, start - 8):start]):
        return False
    return True


# Chosen by measurement on the dev split of the corpus (see find_phones, Notes).
_LENIENCY = Leniency.VALID

# One space-separated group of a digit run (with a leading "+" or "("): the unit of _split_run.
_GROUP = re.compile(r"\+?\(?\d[\d()\-\u2013.]*\)?")


def _split_run(text: str, view: str, start: int, end: int) -> list[tuple[int, int]]:
    """Valid numbers inside a digit run the matcher rejected as a whole.

    Notes
    -----
    ``PhoneNumberMatcher`` takes "040 123 4567 050 765 4321" as one candidate and, since the
    whole is not a valid number, reports nothing. Here the run is cut at spaces and the
    longest prefix of groups that is a valid number and passes :func:`_phone_ok` is taken,
    left to right (a candidate our filters reject must not consume the groups of a real
    number after it: "… as. 5 040 123 4567").
    """
    groups = [(m.start() + start, m.end() + start) for m in _GROUP.finditer(view[start:end])]
    found, i = [], 0
    while i < len(groups):
        hit = None
        for j in range(min(len(groups), i + 6), i, -1):
            s, e = groups[i][0], groups[j - 1][1]
            cand = view[s:e]
            if sum(c.isdigit() for c in cand) < 7:
                break
            try:
                num = phonenumbers.parse(cand, "FI")
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(num) and _phone_ok(text, s, e):
                hit = (s, e, j)
                break
        if hit:
            found.append(hit[:2])
            i = hit[2]
        else:
            i += 1
    return found


def find_phones(text: str) -> list[tuple[str, int, int]]:
    """Find Finnish and international phone numbers.

    Parameters
    ----------
    text : str
        Free text.

    Returns
    -------
    list of tuple
        ``("phone", start, end)`` for each number; the span includes a leading "+" and
        parentheses ("+358 (0)40 123 4567"), not a word like "puh". The list may hold
        overlapping spans; the engine resolves them.

    Raises
    ------
    TypeError
        If ``text`` is not a str (the public functions check the type first).

    Notes
    -----
    ``phonenumbers.PhoneNumberMatcher`` with default region FI and leniency VALID reads the
    text (after :func:`_phone_view`). VALID was chosen by measurement: POSSIBLE also takes
    year ranges, time ranges and counts ("2019-2024", "8.00-16.00", "1 500 000"), while
    STRICT_GROUPING and EXACT_GROUPING drop common Finnish groupings ("044 9876 543",
    "045 123 45 67"). On the dev split of the redaction corpus the bare matcher scored
    recall/precision 1.00/0.80 at POSSIBLE, 0.94/0.97 at VALID and 0.76/1.00 at the grouping
    levels; the full rule below scores 1.00/1.00 at any level. Matches that are dates
    ("01.02.2024", "01 02 2024", "05 2024"), identity-code shapes, followed by a unit or
    currency ("1234567 €", "… kertaa"), preceded by "klo"/"noin"/"€", or that start with
    neither an international prefix nor the Finnish trunk 0 ("4455667788", which FI
    parsing would accept as a number without its 0) are dropped. Digit runs the matcher
    rejects as a whole are split into valid numbers (:func:`_split_run`). Public service
    numbers (Kela's, a city's switchboard) are phone numbers too and are redacted.
    Numbers written in words are not covered.

    References
    ----------
    .. [1] ITU-T Recommendation E.164, "The international public telecommunication numbering
       plan", International Telecommunication Union, 2010.
    .. [2] Google, libphonenumber, https://github.com/google/libphonenumber, and its Python
       port ``phonenumbers`` (D. Drysdale), https://github.com/daviddrysdale/python-phonenumbers
       (version 9.0.43: the numbering metadata this rule validates against).

    Examples
    --------
    >>> find_phones("Soita 040 123 4567, klo 14.30")
    [('phone', 6, 18)]
    """
    runs = [r for r in _PHONE_HINT.finditer(text) if not _is_date_run(r.group())]
    if not runs:
        return []  # no run of 6+ digits, or only dates: the matcher would find nothing we keep
    view = _phone_view(text)
    out = []
    covered = []
    for m in phonenumbers.PhoneNumberMatcher(view, "FI", leniency=_LENIENCY):
        covered.append((m.start, m.end))
        if _phone_ok(text, m.start, m.end):
            out.append(("phone", m.start, m.end))
    for run in _PHONE_HINT.finditer(view):
        s, e = run.start(), run.end()
        # Include a leading "+" or "(" the hint pattern does not start with.
        while s > 0 and view[s - 1] in "+(":
            s -= 1
        # Split only the parts of the run the matcher did not already report.
        for cs, ce in sorted(covered):
            if ce <= s or cs >= e:
                continue
            if cs > s:
                out += [("phone", a, b) for a, b in _split_run(text, view, s, cs)]
            s = max(s, ce)
        if s < e:
            out += [("phone", a, b) for a, b in _split_run(text, view, s, e)]
    return out
