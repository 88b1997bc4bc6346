"""Titles and roles that introduce a person's name ("hoitaja", "lääkärille", "Dr.", "sjuksköterskan").

In feedback about health and social services, staff are named after their title ("Kiitos
hoitaja Virtaselle"). The name rule (:mod:`.names`) takes the word after a title as a name,
so this module lists the titles (Finnish ones in every case form, Swedish and English ones as
written) and finds them in a text quickly.
"""

from __future__ import annotations

import re

from ...errors import ParameterError
from .inflection import fi_forms

__all__ = ["TITLE_ABBREV", "TITLE_FORMS", "TITLE_STEMS", "is_title", "title_words"]

_TITLE_WORDS = (
    "hoitaja", "lääkäri", "tohtori", "kätilö", "terapeutti", "psykologi", "psykiatri", "työntekijä", "ohjaaja",
    "virkailija", "neuvoja", "farmaseutti", "proviisori", "hygienisti", "kirurgi", "gynekologi", "kardiologi",
    "neurologi", "ortopedi", "röntgenhoitaja", "sihteeri", "esihenkilö", "johtaja", "koordinaattori",
    "avustaja", "assistentti", "huoltaja", "opettaja", "valmentaja", "rouva", "herra", "neiti",
)
_TITLE_PLAIN = (
    # Swedish and English titles (with Swedish definite forms) and abbreviations.
    "sjuksköterska", "sjuksköterskan", "skötare", "skötaren", "läkare", "läkaren", "läkarna", "doktor", "doktorn",
    "socialarbetare", "socialarbetaren", "socialarbetarna", "barnmorska", "barnmorskan", "fysioterapeut",
    "fysioterapeuten", "psykolog", "psykologen", "tandläkare", "tandläkaren", "kurator", "kuratorn", "handledare",
    "handledaren", "närvårdare", "närvårdaren", "hälsovårdare", "hälsovårdaren", "terapeut", "terapeuten",
    "vårdare", "vårdaren", "nurse", "doctor", "physician", "midwife", "therapist", "physiotherapist",
    "psychologist", "worker", "counsellor", "counselor", "dentist", "surgeon", "receptionist",
)
# Abbreviations and short titles: whole words only, or "Petri" would end in the title "tri".
_TITLE_EXACT = frozenset({"tri", "dr", "hra", "rva", "prof", "mr", "mrs", "ms", "miss", "fru", "herr"})


def _title_forms() -> tuple[str, ...]:
    forms = set(_TITLE_PLAIN)
    for t in _TITLE_WORDS:
        forms |= {f for f in fi_forms(t) if "'" not in f and "’" not in f}
    return tuple(sorted(forms, key=len, reverse=True))


# Every title form, longest first (the order does not matter to str.endswith).
TITLE_FORMS = _title_forms()
# Abbreviated titles whose full stop does not end the sentence ("Dr. Korhonen").
TITLE_ABBREV = frozenset({"tri", "dr", "hra", "rva", "prof", "mr", "mrs", "ms"})


# Substrings at least one of which every title form contains: the literal pre-check of the
# title rule. Few and short on purpose (each is one C-level pass over the text; a hit costs
# one memoised check), verified against every form at import.
_TITLE_STEM_LIST = (
    "aja", "ija", "ijä", "lääk", "läka", "kätil", "terap", "therap", "psyk", "tohtor", "dokt", "doctor", "nurse",
    "farmas", "provi", "hygien", "kirurg", "logi", "ortoped", "sihteer", "esihenk", "koordin", "assist", "rouva",
    "herra", "nei", "neuvo", "sköt", "socialarb", "barnmorsk", "kurator", "handled", "vårdar", "physic", "midwif",
    "worker", "counsel", "dentist", "surgeon", "reception",
)


def _title_stems() -> tuple[str, ...]:
    missing = [f for f in TITLE_FORMS if not any(st in f for st in _TITLE_STEM_LIST)]
    if missing:
        # A form without a stem would never be seen as a title: fail at import, not silently.
        raise ParameterError(f"title forms without a stem: {missing[:5]}")
    return _TITLE_STEM_LIST


TITLE_STEMS = _title_stems()
# Abbreviations, whole words only (the preceding character is checked in Python: a
# leading \b would disable the regex engine's fast first-character scan).
_TITLE_EXACT_RE = re.compile(r"(?:tri|dr|hra|rva|prof|mrs?|ms|miss|fru|herr)\b")
# The letters around a stem hit: widening a hit to these gives the whole (compound) word.
_LETTERS_BEFORE = re.compile(r"[^\W\d_]*$")
_LETTERS_AFTER = re.compile(r"[^\W\d_]*")


def is_title(word: str) -> bool:
    """Whether a word is a title or role in any case form, also as the end of a compound.

    Parameters
    ----------
    word : str
        One word, any case ("Hoitaja", "omahoitajalle", "Dr", "läkaren").

    Returns
    -------
    bool
        True for a title or role: a form in :data:`TITLE_FORMS` ending the word, or one of
        the abbreviations and short titles ("tri", "dr", "hra", "mrs", "fru" …) as the whole word.

    Raises
    ------
    AttributeError
        If ``word`` is not a str.

    Notes
    -----
    Finnish compounds put the title last ("sairaanhoitaja", "omahoitajalle"), so a word
    *ending* in a title form counts. Abbreviations must be the whole word, or "Petri" would
    end in the title "tri".

    References
    ----------
    .. [1] Act on Health Care Professionals (Laki terveydenhuollon ammattihenkilöistä) 559/1994,
       the protected occupational titles of Finnish health care, https://finlex.fi/fi/laki/ajantasa/1994/19940559
    """
    low = word.lower()
    return low in _TITLE_EXACT or low.endswith(TITLE_FORMS)


def title_words(low: str) -> list[tuple[int, int]]:
    """Spans of the words of a lower-cased text that are titles or roles.

    Parameters
    ----------
    low : str
        The text, lower-cased with :func:`.common.lower_same_length` (offsets equal the original's).

    Returns
    -------
    list of tuple of int
        ``(start, end)`` of each title word, stem hits first, then abbreviations.

    Raises
    ------
    AttributeError
        If ``low`` is not a str.

    Notes
    -----
    Literal searches for the title stems (fast, C-level), each hit widened to its whole
    run of letters and confirmed with :func:`is_title`; abbreviations ("tri", "Dr") must
    be whole words. A per-call memo avoids re-checking the few title words that repeat;
    nothing is kept between calls.

    References
    ----------
    .. [1] Act on Health Care Professionals (Laki terveydenhuollon ammattihenkilöistä) 559/1994,
       https://finlex.fi/fi/laki/ajantasa/1994/19940559
    """
    seen: set[int] = set()
    memo: dict[str, bool] = {}  # per call only: the same few title words repeat a lot
    out = []
    for stem in TITLE_STEMS:
        i = low.find(stem)
        while i != -1:
            # Most hits start their word ("hoitaja", "lääkärille"); only compounds
            # ("sairaanhoitaja") need the backward search for the word start.
            ws = i if i == 0 or not low[i - 1].isalpha() else _LETTERS_BEFORE.search(low, max(0, i - 40), i).start()
            we = _LETTERS_AFTER.match(low, i + len(stem)).end()
            if ws not in seen:
                seen.add(ws)
                word = low[ws:we]
                ok = memo.get(word)
                if ok is None:
                    ok = memo[word] = is_title(word)
                if ok:
                    out.append((ws, we))
            i = low.find(stem, we)
    for m in _TITLE_EXACT_RE.finditer(low):
        if m.start() not in seen and not (m.start() > 0 and low[m.start() - 1].isalpha()):
            seen.add(m.start())
            out.append((m.start(), m.end()))
    return out
