"""Person names: after a title, first name + surname, initials, lone unambiguous gazetteer names.

Feedback names staff ("Kiitos hoitaja Virtaselle", "Matti V:lle") and, less often, the writer
or a relative. The rules combine the title list (:mod:`.titles`), the gazetteer of inflected
name forms (:mod:`.gazetteer`) and capitalisation; ordinary words that are also names
("Toivo", "Anna", "Aalto") count only where the context makes them names.
"""

from __future__ import annotations

import re

from .common import lower_same_length
from .gazetteer import COMMON_WORDS, INDEX
from .titles import TITLE_ABBREV, is_title, title_words

__all__ = ["find_names"]

# A token starting with an upper-case letter (Latin-1 range covers Finnish and Swedish);
# callers skip matches glued to a preceding word character (no lookbehind, for speed).
_CAP = re.compile(r"[A-ZÀ-ÖØ-Þ][^\W\d_]*(?:[-'’][^\W\d_]+)*")
# The next capitalised token, separated by spaces only (same line, no punctuation).
_NEXT_CAP = re.compile(r"[ \u00a0]+([A-ZÀ-ÖØ-Þ][^\W\d_]*(?:[-'’][^\W\d_]+)*)")
# The token after a title: spaces, or ". " after an abbreviation, possibly lower-case.
_AFTER_TITLE = re.compile(r"(\.)?[ \u00a0]+([^\W\d_]+(?:[-'’][^\W\d_]+)*)")
# An initial's full stop and the surname after it ("M. Virtasen").
_INITIAL_SURNAME = re.compile(r"\.[ \u00a0]?([A-ZÀ-ÖØ-Þ][^\W\d_]*(?:-[^\W\d_]+)*)")
# Characters after which a capitalised word starts a sentence (or a list item, a quote).
_SENTENCE_END = set(".!?…\n\r\"“”«»•*:;(")
# A surname initial after a first name: "V.", "V:lle", "V:n" (not a one-letter word).
_TRAILING_INITIAL = re.compile(r"[ \u00a0]([A-ZÅÄÖ])(?:\.|:[a-zåäö]{1,4})?(?![\w'’-])")
# Kinship and familiar words joined to a first name ("Pirjo-täti", "Matti-sedälle").
_KINSHIP = re.compile(r"(?:tät|täd|set|sed|eno|mumm|mummu|vaar|papp|ukk|isä|äit|sisk|vel[ij]|serk)", re.I)


def _glued(text: str, start: int) -> bool:
    """True if ``text[start]`` continues a word (letter, digit, _, apostrophe or hyphen before it)."""
    if start == 0:
        return False
    c = text[start - 1]
    return c.isalnum() or c in "_'’-"


def _is_cap(word: str) -> bool:
    """A capitalised word ("Virtanen", "Anna-Liisa"), not an acronym ("HUS") or camel case."""
    core = word.split("'")[0].split("’")[0]
    parts = core.split("-")
    return all(len(p) >= 2 and p[0].isupper() and p[1:].islower() for p in parts)


def _bits(word: str) -> int:
    """Gazetteer bits of a capitalised word, hyphenated double names included."""
    b = INDEX.get(word, 0)
    if b or "-" not in word:
        return b
    # "Mäkinen-Salo", "Anna-Liisalle": every part must be a name (the last one inflected).
    parts = word.split("-")
    bits = [INDEX.get(p, 0) for p in parts]
    if all(x & 3 for x in bits):
        return (bits[-1] & 3) | (bits[0] & 3)
    return 0


def _normal_cap(word: str) -> str:
    """"virtanen" -> "Virtanen", "anna-liisa" -> "Anna-Liisa"."""
    return "-".join(p[:1].upper() + p[1:] for p in word.split("-"))


def _sentence_start(text: str, start: int) -> bool:
    """True if the token at ``start`` begins a sentence (text start, after . ! ? : or a line break)."""
    j = start
    while j > 0 and text[j - 1] in " \u00a0\t":
        j -= 1
    if j == 0:
        return True
    if text[j - 1] == ".":
        # "Dr. Korhonen", "tri. Lehtonen": the full stop of an abbreviated title.
        m = re.search(r"([^\W\d_]+)\.$", text[max(0, j - 12):j])
        if m and m.group(1).lower() in TITLE_ABBREV:
            return False
    return text[j - 1] in _SENTENCE_END


def _person_cap(word: str) -> bool:
    """A capitalised word that may continue a name: not a place or institution (unless a surname)."""
    if not _is_cap(word):
        return False
    b = _bits(word)
    return not (b & 4) or bool(b & 2)


# Organisation suffixes: "Mieli ry", "Onni Oy" name an organisation, not a person.
_ORG_AFTER = re.compile(r"[ \u00a0]+(?:ry|r\.y\.|oy|oyj|ab|ltd|inc|säätiö|yhdistys|ky)\b", re.I)


def _org_follows(text: str, end: int) -> bool:
    """An organisation suffix (ry, Oy, Ab, Ltd …) right after the word ending at ``end``."""
    return _ORG_AFTER.match(text, end) is not None


def _title_names(text: str, low: str) -> list[tuple[int, int]]:
    """Rule 1 of :func:`find_names`: the name after a title."""
    spans = []
    for ws, we in title_words(low):
        word = text[ws:we]
        nxt = _AFTER_TITLE.match(text, we)
        if not nxt:
            continue
        if nxt.group(1) and word.lower() not in TITLE_ABBREV:
            continue  # "…hoitaja. Virtanen": the sentence ended
        nw = nxt.group(2)
        b = _bits(nw)
        if _is_cap(nw) and _org_follows(text, nxt.end(2)):
            continue  # "Psykologi Mieli ry:stä": an organisation
        if b & 4 and nw.endswith("n") and re.match(r"[ \u00a0]+[a-zåäö]", text[nxt.end(2):nxt.end(2) + 3]):
            continue  # "Hoitajat Lahden sairaalassa": a town in the genitive, then a noun
        if _is_cap(nw) and not (b & 4 and not b & 3):
            end = nxt.end(2)
            for _ in range(2):  # "Sairaanhoitaja Anna Virtanen": extend through gazetteer names
                more = _NEXT_CAP.match(text, end)
                if not (more and _person_cap(more.group(1)) and _bits(more.group(1)) & 3):
                    break
                end = more.end(1)
            spans.append((nxt.start(2), end))
        elif nw.islower():
            b = _bits(_normal_cap(nw))
            if b & 3 and not b & (4 | 8 | 16) and nw not in COMMON_WORDS:
                spans.append((nxt.start(2), nxt.end(2)))
    return spans


def find_names(text: str, low: str | None = None) -> list[tuple[str, int, int]]:
    """Find person names: after a title, first name + surname, lone unambiguous gazetteer names.

    Parameters
    ----------
    text : str
        Free text, or many texts joined with ``"\\x00\\n"`` (see Notes).
    low : str, optional
        ``lower_same_length(text)``, if the caller has it already (saves one pass).

    Returns
    -------
    list of tuple
        ``("name", start, end)`` for each name; the span covers the name words (inflected),
        never the title before them. Title-rule spans come first, then the others in text
        order; a span found by two rules is listed twice (the engine removes duplicates).

    Raises
    ------
    AttributeError
        If ``text`` is not a str (the public functions check the type first).

    Notes
    -----
    Rules, on word tokens (hyphenated and apostrophe forms kept whole):

    1. After a title or role in any case form ("hoitaja Virtaselle", "lääkäri Mäkisen",
       "omahoitajalle", "Sjuksköterskan Karin", "Dr. Korhonen"), the next capitalised word
       is a name unless it is a place or institution; one or two more gazetteer names extend
       it ("Sairaanhoitaja Anna Virtanen"). A lower-case word right after a title is a name
       only if it is a gazetteer form that is not an ordinary word ("hoitaja virtanen").
    2. A capitalised gazetteer first name followed by capitalised words that are not places
       ("Matti Korhosta", "Onni Laaksonen"), a gazetteer surname followed by a first name
       ("Virtanen Matti"), or an initial before a surname ("M. Virtasen").
    3. A lone capitalised gazetteer first name or surname, any case form ("Mattille",
       "Virtanen soitti"), unless it is a place/institution or ambiguous. First names that
       are also ordinary words (Onni, Toivo, Tuuli, Anna, Kai, Eli, Bo, Hope, …) count alone
       only in mid-sentence and only in a form that is not itself an ordinary word
       ("kiitos Toivolle" yes; "Toivon että …", "kiitos Toivo" no), because feedback is often
       written without full stops. Surnames that are ordinary words or towns (Aalto, Mäki,
       Salo, Lahti, …) never count alone.

    A word starting a hyphenated compound with a lower-case part ("Onni-palvelu",
    "Lahja-kortilla") is not a name, except a first name joined to a title or a kinship
    word ("Jenni-hoitaja", "Pirjo-täti", "Matti-sedälle": the name part is reported). A
    surname initial after a first name belongs to the name ("Matti V.", "Matti V:lle"). A
    word followed by an organisation suffix ("Mieli ry", "… Oy") is not a name. Places
    (Finnish municipalities and regions, Swedish names of Finnish towns, districts,
    countries, service brands) are never names alone, and after a title a place in the
    genitive followed by a noun ("Hoitajat Lahden sairaalassa") is the place.

    The rules look at most at the current line and never across a NUL character, so
    running this function over many texts joined with "\\x00\\n" gives each text's own
    spans; :func:`.engine.redact_series` relies on exactly this.

    Not covered: names outside the gazetteer without a title, nicknames ("Masa"), lower-case
    or all-caps names without a title, and ambiguous first names alone at a sentence start.

    References
    ----------
    .. [1] Digital and Population Data Services Agency (DVV), name statistics (most common
       given names and surnames), open data on https://www.avoindata.fi; extracted through
       Faker 40.54.0 (fi_FI and sv_SE person providers), see ``names/SOURCE.md``.
    .. [2] US Department of Health and Human Services, HIPAA Privacy Rule, 45 CFR
       164.514(b)(2) ("Safe Harbor": names are the first identifier to remove).

    Examples
    --------
    >>> find_names("Kiitos hoitaja Virtaselle ja Matti V:lle!")
    [('name', 15, 25), ('name', 15, 25), ('name', 29, 40)]
    """
    low = lower_same_length(text) if low is None else low
    spans: list[tuple[int, int]] = _title_names(text, low)
    pos = 0
    index_get = INDEX.get
    for m in _CAP.finditer(text):
        start, end = m.start(), m.end()
        w = m.group()
        # Cheap rejections first: most capitalised words are not in the gazetteer.
        if len(w) > 1 and not index_get(w, 0) & 3 and "-" not in w:
            continue
        if start < pos or _glued(text, start):
            continue  # inside a name already taken, or inside a word ("OmaKanta")
        if len(w) == 1:
            # Rule 2: an initial before a surname ("M. Virtasen").
            sur = _INITIAL_SURNAME.match(text, end)
            if sur and _is_cap(sur.group(1)) and _bits(sur.group(1)) & 2 and not _bits(sur.group(1)) & 4:
                spans.append((start, sur.end(1)))
                pos = sur.end(1)
            continue
        if not _is_cap(w):
            # "Jenni-hoitaja": a first name joined to a title is the name of that person;
            # any other compound with a lower-case part ("Onni-palvelu") is not a name.
            head, _, rest = w.partition("-")
            if (rest and _is_cap(head) and _bits(head) & 1 and not _bits(head) & 4
                    and (is_title(rest) or _KINSHIP.match(rest))):
                spans.append((start, start + len(head)))
            continue
        if _org_follows(text, end):
            continue  # "Mieli ry", "Onni Oy"
        b = _bits(w)
        if not b & 3:
            continue
        # Rule 2: first name + capitalised word(s); surname + first name.
        k_end, count = end, 0
        while count < 2:
            more = _NEXT_CAP.match(text, k_end)
            if not (more and _person_cap(more.group(1))):
                break
            nb = _bits(more.group(1))
            if b & 1 and b & 8 and not nb & 2 and _sentence_start(text, start):
                break  # "Toivo Jokinen" yes, "Anna Palautetta" no
            if not b & 1 and not nb & 1:
                break  # after a surname only a first name continues ("Virtanen Matti")
            k_end, count = more.end(1), count + 1
        if b & 1 and not (b & 8 and _sentence_start(text, start)):
            # "Matti V.", "Matti V:lle": a first name followed by the initial of the surname.
            initial = _TRAILING_INITIAL.match(text, k_end)
            if initial:
                k_end, count = initial.end(), count + 1
        if count:
            spans.append((start, k_end))
            pos = k_end
            continue
        # Rule 3: a lone name.
        if b & 4:
            continue
        if (b & 1 and not b & 8) or (b & 2 and not b & 16 and not b & 8):
            spans.append((start, end))
        elif b & 8 and w.lower() not in COMMON_WORDS and not _sentence_start(text, start):
            spans.append((start, end))
    return [("name", s, e) for s, e in spans]
