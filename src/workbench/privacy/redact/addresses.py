"""Street addresses: a Finnish or Swedish street name followed by a house number.

A street name alone is a place and is kept; with a house number (and stair, apartment,
postcode) it points at a household, often the writer's own. Street names are recognised by
their last part, the street word ("-katu", "-tiellä", "-gatan"), in any case form.
"""

from __future__ import annotations

import re

from .common import DIGITS
from .inflection import fi_forms

__all__ = ["find_addresses"]

# Street-name endings: Finnish base words (inflected with fi_forms) and Swedish endings.
_FI_STREET_WORDS = (
    "katu", "tie", "kuja", "polku", "väylä", "raitti", "kaari", "rinne", "ranta", "puisto", "tori", "aukio",
    "bulevardi", "piha", "mäki", "kaarre", "tanhua", "penger", "vainio", "niitty", "kallio", "harju",
    "kumpu", "laakso", "ahde", "esplanadi", "kangas", "nummi", "pelto",
)
_SV_STREET_ENDINGS = (
    "gatan", "gata", "vägen", "väg", "gränden", "gränd", "stigen", "stig", "backen", "backe", "torget", "torg",
    "allén", "allé", "kajen", "strand", "stranden", "platsen", "gången", "slingan", "kroken", "parken",
    "esplanaden", "leden", "bågen", "brinken", "vägen",
)


def _street_forms() -> tuple[str, ...]:
    """All endings a street-name token may have, longest first (for str.endswith)."""
    forms = set(_SV_STREET_ENDINGS)
    for word in _FI_STREET_WORDS:
        forms |= {f for f in fi_forms(word, noun=True) if not f.endswith(("s", "'s", "’s", "kin"))}
    # Irregular stems the generator does not derive (rinne -> rintee-, penger -> penkere-).
    forms |= {"rinteen", "rinteellä", "rinteelle", "rinteeltä", "rinnettä", "rinteeseen",
              "penkereen", "penkereellä", "penkereelle", "mäessä", "mäestä", "mäkeen", "ahteen", "ahteella",
              "kaarteen", "kaarteella", "kaarteelle", "kankaan", "kankaalla", "kankaalle", "nummen", "nummella"}
    return tuple(sorted(forms, key=len, reverse=True))


# Built once at import; the set and the longest length drive the cheap pre-check.
_STREET_FORMS = _street_forms()
_STREET_FORM_SET = frozenset(_STREET_FORMS)
_STREET_MAXLEN = max(map(len, _STREET_FORMS))
# Compound nouns that end like streets but are not ("hoitopolku 2 -mallin", "valtatie 4").
_NOT_STREETS = (
    "valtatie", "kantatie", "seututie", "maantie", "moottoritie", "hoitopolku", "palvelupolku", "asiakaspolku",
    "opintopolku", "kuntoutuspolku", "hoitoketju", "leikkipuisto", "kansallispuisto", "kauppakeskus",
    "uimaranta", "laskettelumäki", "sisäpiha", "takapiha", "etupiha", "kotitie", "elämänpolku", "työpolku",
    "vaellusreitti", "kulkutie", "pakotie", "hoitotie", "kuntopolku", "luontopolku", "pyörätie", "kävelytie",
    "ajotie", "sivutie", "oikotie", "päätie", "rautatie", "metsätie",
)
# Adjectives that may stand before a street name as a separate word ("Vanha Porvoontie").
_STREET_ADJ = r"(?:Vanha|Uusi|Iso|Pikku|Pieni|Pohjoinen|Eteläinen|Itäinen|Läntinen|Gamla|Nya|Norra|Södra|Östra|Västra|Stora|Lilla)"
# Street name + house number (range), stair letter, apartment, optional postcode + town.
_STREET = re.compile(
    rf"(?<![\w-])(?P<street>(?:{_STREET_ADJ}\s)?(?P<word>[^\W\d_][\w-]*[^\W\d_]))"
    r"\s+(?P<num>\d{1,4}(?:\s?[-–]\s?\d{1,4})?(?![\d,.]\d)"
    r"(?:\s?[A-Ha-h](?![^\W\d_]))?"
    r"(?:\s?(?:as\.?|asunto|lgh\.?|bst\.?|rappu|krs\.?)\s?\d{1,4}|\s\d{1,3}(?!\d|[.,:]\d))?)"
    r"(?P<town>,?\s+\d{5}\s+[A-ZÅÄÖ][a-zåäö]+(?:-[A-ZÅÄÖ]?[a-zåäö]+)?)?"
)
_WORD_BEFORE_NUM = re.compile(r"(?<![\w-])([^\W\d_][\w-]*[^\W\d_])\s+$")
_ADJ_BEFORE = re.compile(rf"(?<![\w-]){_STREET_ADJ}\s$")
# After the number: a unit, amount or hyphenated compound means it is no house number.
_ADDRESS_STOP_AFTER = re.compile(
    r"^\s*(?:-\w|–\w|%|€|e\b|min|h\b|km|m\b|kertaa|krt|vuot|v\b|pv|päiv|viik|vk|kk|kuuk|tunti|euroa?|mg|kpl|"
    r"asiakas|henk|lasta|ihmis|hlö)",
    re.I,
)


def find_addresses(text: str) -> list[tuple[str, int, int]]:
    """Find street addresses: a street name followed by a house number.

    Parameters
    ----------
    text : str
        Free text.

    Returns
    -------
    list of tuple
        ``("address", start, end)`` for each address, from the street name (with its
        adjective) to the apartment, or to the town if a postcode + town follows.

    Raises
    ------
    TypeError
        If ``text`` is not a str (the public functions check the type first).

    Notes
    -----
    A street name is one word ending in a Finnish street word in any case form (-katu,
    -kadulla, -tie, -tiellä, -kuja, -polku, -väylä, -raitti, -kaari, -rinne, -ranta,
    -puisto, -tori, -aukio, -bulevardi, -piha, -mäki/-mäellä, …) or a Swedish ending
    (-gatan, -vägen, -gränden, -stigen, -backen, -torget, …), with a prefix of at least
    two letters and optionally an adjective in front ("Vanha Porvoontie"). It must be
    followed by a house number, optionally a range (1-3), a stair letter, and an
    apartment ("A 12", "as. 3", "lgh 12"); a postcode + town written right after is part
    of the address. A bare street name is a place, not an identifier, and is kept. A
    lower-case street word is accepted only if the number is not followed by a unit or
    a partitive noun ("leikkipuisto 2 lasta"), and known compounds that end like streets
    ("hoitopolku", "valtatie 4") are excluded, as is a number starting a hyphenated
    compound ("… 2 -mallin"). Not covered: number-first addresses ("12 Baker Street"),
    rural addresses without a street word, P.O. boxes.

    References
    ----------
    .. [1] US Department of Health and Human Services, HIPAA Privacy Rule, 45 CFR
       164.514(b)(2) ("Safe Harbor": street addresses are among the identifiers to remove).
    .. [2] A. Hakulinen et al., *Iso suomen kielioppi* (VISK), SKS, 2004,
       http://scripta.kotus.fi/visk (the case forms of the street words).

    Examples
    --------
    >>> find_addresses("osoite Hämeenkatu 14 B 22, 33100 Tampere.")
    [('address', 7, 40)]
    """
    out = []
    for d in DIGITS.finditer(text):
        # Only a word directly before a number can be a street name: look at that word
        # first instead of trying the full pattern at every word.
        p = d.start()
        q = p
        while q > 0 and text[q - 1].isspace():
            q -= 1
        if q == p or q == 0 or not text[q - 1].isalpha():
            continue
        tail = text[max(0, q - 48):q].rsplit(None, 1)[-1].lower()
        if not any(tail[-k:] in _STREET_FORM_SET for k in range(3, min(_STREET_MAXLEN, len(tail)) + 1)):
            continue
        w = _WORD_BEFORE_NUM.search(text, max(0, q - 60), p)
        if not w:
            continue
        start = w.start(1)
        adj = _ADJ_BEFORE.search(text, max(0, start - 12), start)
        m = _STREET.match(text, adj.start() if adj else start)
        if not m:
            continue
        word = m.group("word")
        low = word.lower()
        # Some street-word form must end the word, leaving a prefix of two letters or more.
        if not any(low[-k:] in _STREET_FORM_SET for k in range(3, min(_STREET_MAXLEN, len(low) - 2) + 1)):
            continue
        # A listed compound in any case form ("valtatiellä"), but not a longer street name
        # that merely starts with one ("Rautatienkatu").
        if any(low.startswith(n[:-2]) and len(low) <= len(n) + 4 for n in _NOT_STREETS):
            continue
        after = text[m.end("num"):m.end("num") + 14]
        if _ADDRESS_STOP_AFTER.match(after):
            continue
        if word[0].islower():
            nxt = re.match(r"\s+([a-zåäö]+)", after)
            if nxt and nxt.group(1)[-1] in "aä" and len(nxt.group(1)) > 3:
                continue
        out.append(("address", m.start(), m.end()))
    return out
