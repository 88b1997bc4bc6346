"""Record numbers: keyword + value (patient, customer, referral, case …), IBAN, bare 7+ digit runs.

A patient, customer or case number identifies a person as surely as a name does to anyone who
can look it up, and feedback about appointments and invoices quotes them. Such numbers have
no common format, so this module relies on the keyword before them, the IBAN checksum, or
sheer length.
"""

from __future__ import annotations

import re

from .common import AFTER_AMOUNT, lower_same_length

__all__ = ["find_records"]

# Keywords (Finnish, Swedish, English) that introduce a record value, lower-case.
_RECORD_KEYWORD = (
    r"(?:potilas|asiakas|asiakkuus|klientti|henkilö)\s?(?:numero|nro|nr|tunnus|id)\w*"
    r"|potilas\s+nro|asiakas\s+nro|lähete(?:numero\w*|nro|tunnus\w*)?|lähetteen(?:\s+numero)?|lähetteeni"
    r"|ajanvaraus(?:numero|tunnus|koodi)\w*"
    r"|varaus(?:numero|tunnus|koodi)\w*|tilausnumero\w*|viite(?:numero\w*|nro)?|viitteen(?:\s+numero)?"
    r"|laskun\s+viite|laskunumero\w*"
    r"|laskun\s+numero|asianumero\w*|asian\s+numero|diaari\w*|dnro|dno|päätösnumero\w*|päätöksen\s+numero"
    r"|hakemusnumero\w*|hakemu\w*|tiketti\w*|palvelupyyntö\w*|kela-kortin\s+numero|kortin\s+numero"
    r"|patientnummer\w*|patient-?id|kundnummer\w*|klientnummer\w*|remiss\w*|bokningsnummer\w*"
    r"|referensnummer\w*|ärendenummer\w*|diarienummer\w*|fakturanummer\w*|beslutsnummer\w*|journalnummer\w*"
    r"|patient\s+(?:number|id)|customer\s+(?:number|id)|client\s+(?:number|id)|case\s+(?:number|id)"
    r"|reference\s+(?:number|no\.?)|ref\.?|booking\s+(?:number|reference)|referral\s+number"
    r"|invoice\s+number|record\s+number|ticket\s+number"
)
# Words and signs between keyword and value ("potilasnumeroni on 123…", "nro: 123…").
_RECORD_FILLER = r"(?:\s*(?:on|oli|olisi|är|var|is|was|:|#|nro|no\.?|nr\.?|numero|nummer|number))*\s*[:#]?\s*"
_RECORD_VALUE = r"(?P<value>(?:[A-Za-zÅÄÖåäö]{1,4}\s?[-/]?\s?)?\d[\w/-]*(?:[ ]\d[\w/-]*)*)"
# Keywords are searched case-sensitively in the lower-cased text (an IGNORECASE
# alternation is several times slower); the filler and value are matched on the original.
_RECORD_KW = re.compile(rf"\b(?:{_RECORD_KEYWORD})(?![^\W\d_])")
_RECORD_TAIL = re.compile(rf"(?i){_RECORD_FILLER}{_RECORD_VALUE}")
# Values after a keyword that are a year, a year range or a date, not an identifier.
_RECORD_NOT = re.compile(r"^(?:(?:19|20)\d\d(?:\s?[-–]\s?(?:19|20)?\d\d)?|\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})?)$")
# IBAN: country code, two check digits, 11–30 alphanumerics, printed in groups of four.
_IBAN = re.compile(r"(?<![A-Za-z0-9])([A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?)(?![A-Za-z0-9])")


def _iban_ok(candidate: str) -> bool:
    """ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 == 1."""
    compact = candidate.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


# A value needs four digits, at most a few characters apart ("55 66 77 8", "AB-1234").
_FOUR_DIGITS = re.compile(r"\d(?:\D{0,3}\d){3}")
# A bare run of 7+ digits, not part of a decimal number, a word or a slashed/dashed code.
_LONG_DIGITS = re.compile(r"(?<![\w.,/+-])\d{7,}(?![\w,/-]|\.\d)")
# DDMMYYYY written without separators: a date, not a record.
_DATE8 = re.compile(r"^(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])(19|20)\d\d$")


# Literal pre-check for rule 1: every keyword above starts with one of these.
_RECORD_STEMS = (
    "potilas", "asiakas", "asiakkuus", "klient", "henkilö", "lähet", "ajanvaraus", "varaus", "tilaus", "viite",
    "viitte", "lasku", "asian", "diaari", "dnro", "dno", "päätö", "hakemu", "tiketti", "palvelupyyn", "kortin",
    "patient", "kund", "remiss", "boknings", "ref", "ärende", "diarie", "faktura", "besluts", "journal",
    "customer", "client", "case", "booking", "invoice", "record", "ticket",
)


def find_records(text: str, low: str | None = None) -> list[tuple[str, int, int]]:
    """Find patient, customer, referral, booking and case numbers, and bank accounts.

    Parameters
    ----------
    text : str
        Free text.
    low : str, optional
        ``lower_same_length(text)``, if the caller has it already (saves one pass).

    Returns
    -------
    list of tuple
        ``(kind, start, end)`` with kind ``"record_kw"`` for a keyword-introduced value or
        an IBAN (these outrank phone readings of the same digits) and ``"record"`` for a
        bare digit run; the engine reports both as ``"record"``.

    Raises
    ------
    AttributeError
        If ``text`` is not a str (the public functions check the type first).

    Notes
    -----
    Three rules. (1) A record keyword (potilasnumero, asiakasnro, lähete, ajanvarausnumero,
    asiakastunnus, päätösnumero, laskun viite, kundnummer, remiss, case number, …, with
    inflection and fillers like "on", ":" or "nro") followed by a value of up to four
    letters and digits/hyphens/slashes with at least four digits ("AB-123456",
    "2024-123456", "SOS/2024/1187", "55 66 77 8"); only the value is reported. A value that
    is a date or a decimal amount is not a record, nor one with fewer than five digits (four
    with a letter prefix), which is a count or a room. (2) Any bare run of 7 or more digits
    that is not part of a decimal number, an amount or a date (DDMMYYYY); such runs are
    account, reference or record numbers in feedback, never counts (which are grouped
    "1 500 000" or followed by a unit). Phone and identity-code readings of the same
    digits take precedence over rule 2. (3) IBAN account numbers ("FI21 1234 5600 0007 85")
    whose ISO 13616 mod-97 checksum holds: a bank account identifies its holder, and
    feedback about invoices quotes them.

    References
    ----------
    .. [1] ISO 13616-1:2020, "Financial services – International bank account number (IBAN) –
       Part 1: Structure of the IBAN" (check digits by ISO/IEC 7064 MOD 97-10).
    .. [2] General Data Protection Regulation (EU) 2016/679, art. 4(1): an identification
       number is personal data, https://eur-lex.europa.eu/eli/reg/2016/679/oj

    Examples
    --------
    >>> find_records("asiakasnumero AB-123456, maksoin 4455667788 kahdesti")
    [('record_kw', 14, 23), ('record', 33, 43)]
    """
    low = lower_same_length(text) if low is None else low
    out = []
    gated = _FOUR_DIGITS.search(text) and any(st in low for st in _RECORD_STEMS)
    keyword_hits = _RECORD_KW.finditer(low) if gated else ()
    for kw in keyword_hits:
        m = _RECORD_TAIL.match(text, kw.end())
        if not m:
            continue
        value = m.group("value").rstrip("-/")
        digits = sum(c.isdigit() for c in value)
        # Five digits, or four with a letter prefix ("AB-1234"): fewer is a count or a room.
        if digits < 5 and not (digits == 4 and value[0].isalpha()):
            continue
        if _RECORD_NOT.match(value):
            continue
        s = m.start("value")
        e = s + len(value)
        out.append(("record_kw", s, e))
    for m in _IBAN.finditer(text):
        # Trailing groups of a sentence can be swallowed by the greedy pattern; take the
        # longest prefix of groups that passes the checksum.
        groups = m.group(1).split(" ")
        for k in range(len(groups), 0, -1):
            cand = " ".join(groups[:k])
            if _iban_ok(cand):
                out.append(("record_kw", m.start(1), m.start(1) + len(cand)))
                break
    for m in _LONG_DIGITS.finditer(text):
        if _DATE8.match(m.group()) or AFTER_AMOUNT.match(text[m.end():m.end() + 12]):
            continue
        out.append(("record", m.start(), m.end()))
    return out
