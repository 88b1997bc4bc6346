"""Finnish personal identity codes (henkilötunnus): every written variant, check character verified.

A code is DDMMYY, a century sign, a three-digit individual number and a check character
(131052-308T). In free text people write it with any dash, with spaces, wrapped over a line,
or glued to the words around it; this module finds all of those, and reports a code only if
its date and check character are valid.
"""

from __future__ import annotations

import re

__all__ = ["find_id_codes"]

# Check characters by remainder 0–30 of DDMMYYZZZ / 31 (G, I, O, Q, Z are left out).
_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
# One optional space (or no-break space) between the digits: people group codes by hand.
_S = r"[ \u00a0\u202f]?"
_HETU = re.compile(
    r"(?<![0-9])"
    rf"(?P<date>\d(?:{_S}\d){{5}})"
    # The separator: the century sign (- + A-F U-Y, any dash look-alike for "-"), optionally
    # with spaces or a line break around it; or whitespace alone; or nothing.
    r"(?P<sep>\s{0,2}[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212+A-FU-Ya-fu-y]\s{0,2}|\s{1,2}|)"
    # A letter check character may touch anything ("…308T0100"); a digit one must not be
    # followed by another digit, or it would be the middle of a longer number.
    rf"(?P<num>\d(?:{_S}\d){{2}}){_S}(?:(?P<cl>[A-Ya-y])|(?P<cd>[0-9])(?![0-9]))"
)
_HETU_CONTEXT = re.compile(
    r"(?i)(hetu|henkilötun|henkilotun|sotu|tunnu|personbeteck|personsign|pbt|identity|id[ -]?code|ssn)"
)


def find_id_codes(text: str) -> list[tuple[str, int, int]]:
    """Find the Finnish personal identity codes (henkilötunnus) whose check character is valid.

    Parameters
    ----------
    text : str
        Free text.

    Returns
    -------
    list of tuple
        ``("id_code", start, end)`` for each code, in text order.

    Raises
    ------
    TypeError
        If ``text`` is not a str (the public functions check the type first).

    Notes
    -----
    Covers DDMMYY + century sign + 3-digit individual number + check character, with the
    sign written as any dash (hyphen, en/em dash, minus), with spaces or a line break around
    it, a space instead of it, one space between any two digits, a lower-case check
    character, and letters glued on either side ("hetu131052-308T", "…-308Tkiitos").
    Century signs: "+" (1800s), "-" and U–Y (1900s), A–F (2000s); the letters other than
    "A" have been in use since 2023.
    The check character ``"0123456789ABCDEFHJKLMNPRSTUVWXY"[DDMMYYZZZ % 31]`` and a valid
    day/month must hold, so a code with a wrong check character is *not* reported (it is a
    decoy or a typo, and would otherwise swallow phone numbers of the same shape). When the
    sign is missing or only whitespace and the check character is a digit, the string is
    indistinguishable from a grouped 10-digit number, so a keyword ("hetu", "tunnus",
    "personbeteckning", …) must appear within 40 characters before it.

    References
    ----------
    .. [1] Digital and Population Data Services Agency (DVV), "Personal identity code",
       https://dvv.fi/en/personal-identity-code (structure, century signs, check character).
    .. [2] Population Information Act (Laki väestötietojärjestelmästä ja Digi- ja
       väestötietoviraston varmennepalveluista) 661/2009, https://finlex.fi/fi/laki/ajantasa/2009/20090661,
       and Government Decree on the Population Information System 128/2010 (the code's form).

    Examples
    --------
    >>> find_id_codes("hetu 131052-308T, väärä 131052-308A")
    [('id_code', 5, 16)]
    """
    out = []
    for m in _HETU.finditer(text):
        date = re.sub(r"\s", "", m.group("date"))
        num = re.sub(r"\s", "", m.group("num"))
        day, month = int(date[:2]), int(date[2:4])
        if not (1 <= day <= 31 and 1 <= month <= 12):
            continue
        check = m.group("cl") or m.group("cd")
        if _HETU_CHECK[int(date + num) % 31] != check.upper():
            continue
        sign = m.group("sep").strip()
        if not sign and check.isdigit():
            if not _HETU_CONTEXT.search(text, max(0, m.start() - 40), m.start()):
                continue
        out.append(("id_code", m.start(), m.end()))
    return out
