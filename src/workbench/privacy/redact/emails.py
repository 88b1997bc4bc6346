"""E-mail addresses, plain and obfuscated ("nimi at domain piste fi", "x(at)y(dot)com", "＠").

People hide addresses from harvesters by spelling out the "@" and the dots, in Finnish
("miukumauku", "piste"), Swedish ("snabel-a", "punkt") and English ("at", "dot"). One regular
expression covers the plain and the obfuscated forms; :func:`email_possible` is the cheap gate
that lets the engine skip texts that cannot hold an address.
"""

from __future__ import annotations

import re

__all__ = ["EMAIL_HINT_PARTS", "email_possible", "find_emails"]

# Local part, "@" (or a spelled-out/bracketed at) and domain labels of at most 63 characters.
_LOCAL = r"[A-Za-z0-9_%+\-]+(?:(?:\.| \. )[A-Za-z0-9_%+\-]+)*"
_AT = (
    r"(?:\s*@\s*"
    r"|\s*[(\[{<]\s*(?:at|ät|a|@)\s*[)\]}>]\s*"
    r"|\s+(?:at|ät|miukumauku|kissanhäntä|snabel-?a)\s+)"
)
_DOT = r"(?:\.| \. |\s*[(\[{<]\s*(?:dot|piste|punkt|pt)\s*[)\]}>]\s*|\s+(?:dot|piste|punkt)\s+)"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"(?i)(?<![\w.+-])(?P<local>{_LOCAL})(?P<at>{_AT})(?P<domain>(?:{_LABEL}{_DOT})+(?P<tld>[A-Za-z]{{2,24}}))(?![\w@])")
# The three ways _AT can start (an at-sign, a bracketed at, a spelled-out word between
# spaces), applied to lower-cased text: a text without any of them cannot hold an e-mail.
EMAIL_HINT_PARTS = (
    r"[@＠﹫]",
    r"[(\[{<]\s*(?:at|ät|a|@)\s*[)\]}>]",
    r"\s(?:at|ät|miukumauku|kissanhäntä|snabel-?a)\s",
)
_EMAIL_HINT = re.compile("|".join(EMAIL_HINT_PARTS))
_EMAIL_LITERALS = ("at", "ät", "miukumauku", "kissanhäntä", "snabel", "(", "[", "{", "<")


def email_possible(low: str) -> bool:
    """Whether a lower-cased text contains any way an e-mail address's "@" can be written.

    Parameters
    ----------
    low : str
        The text, lower-cased (:func:`.common.lower_same_length`).

    Returns
    -------
    bool
        The same as ``_EMAIL_HINT.search(low) is not None``: an at-sign (also full-width),
        a bracketed at ("(at)", "[ät]", "(a)"), or a spelled-out at between spaces.

    Raises
    ------
    TypeError
        If ``low`` is not a str.

    Notes
    -----
    The gate of :func:`find_emails`: a text without any of these cannot hold an address,
    so the e-mail pattern is not run on it. Cheap literal checks come first because most
    texts fail them; only a text containing a literal pays for the regular expression.
    :data:`EMAIL_HINT_PARTS` are the same three alternatives, for the Series fast path.

    References
    ----------
    .. [1] P. Resnick (ed.), "Internet Message Format", RFC 5322, IETF, 2008, section 3.4.1
       (addr-spec), https://www.rfc-editor.org/rfc/rfc5322
    """
    if "@" in low or "＠" in low or "﹫" in low:
        return True
    if any(x in low for x in _EMAIL_LITERALS):
        return _EMAIL_HINT.search(low) is not None
    return False


# Top-level domains accepted when the address is spelled out ("piste fi"): without a real
# "@" the pattern "word at word piste word" needs this to stay clear of ordinary prose.
_SPELLED_TLDS = frozenset(
    "fi se com net org eu info io me uk de ee no dk nu ax biz co edu gov int ru fr es it nl be ch at pl us ca".split()
)
# English words that precede "at" + domain in prose ("available at kela.fi") rather than
# being the local part of an address.
_AT_PROSE = frozenset(
    "look looking available online info information here there me us him her them it is are was were "
    "see visit found find posted website site page reach contact call found read check go went stay stayed".split()
)


_EMAIL_TRANS = str.maketrans({"＠": "@", "．": ".", "﹫": "@", "。": "."})


def _email_view(text: str) -> str:
    """Same-length copy with full-width ＠ and ． mapped to ASCII, so offsets carry over."""
    return text.translate(_EMAIL_TRANS)


def find_emails(text: str) -> list[tuple[str, int, int]]:
    """Find e-mail addresses, plain and obfuscated.

    Parameters
    ----------
    text : str
        Free text.

    Returns
    -------
    list of tuple
        ``("email", start, end)`` for each address, in text order; the span covers the
        whole written-out address ("nimi at domain piste fi").

    Raises
    ------
    AttributeError
        If ``text`` is not a str (the public functions check the type first).

    Notes
    -----
    Covers ``local@domain.tld`` with spaces around "@" and (symmetric) spaces around dots,
    full-width "＠"/"．", the at-sign written as at/ät/miukumauku/kissanhäntä/snabel-a or in
    brackets ((at), [at], {at}, (a), [ät]), and the dots written as piste/dot/punkt, bare or
    bracketed. A real "@" accepts any 2–24-letter top-level domain; a spelled-out address
    (no "@") needs a known top-level domain and a local part that is not an English prose
    word, because "at" is an ordinary English preposition. The local part is the common
    dot-atom subset of RFC 5322 (letters, digits, ``_ % + -`` and dots); quoted local parts
    and IP-literal domains are not covered (they do not occur in feedback). URLs are kept.

    References
    ----------
    .. [1] P. Resnick (ed.), "Internet Message Format", RFC 5322, IETF, 2008, section 3.4.1
       (addr-spec), https://www.rfc-editor.org/rfc/rfc5322
    .. [2] P. Mockapetris, "Domain names – implementation and specification", RFC 1035, IETF,
       1987, section 2.3.1 (labels of at most 63 characters), https://www.rfc-editor.org/rfc/rfc1035

    Examples
    --------
    >>> find_emails("sposti nimi at domain piste fi tai x.y@example.com")
    [('email', 7, 30), ('email', 35, 50)]
    """
    view = _email_view(text)
    out = []
    pos = 0
    while True:
        m = _EMAIL.search(view, pos)
        if m is None:
            return out
        real_at = "@" in m.group("at")
        if not real_at and (m.group("tld").lower() not in _SPELLED_TLDS or m.group("local").lower() in _AT_PROSE):
            # Rejected ("me at jane.doe" in "Email me at jane.doe[at]…"): retry from the next
            # character, since finditer would skip the real address inside this match.
            pos = m.start() + 1
            continue
        out.append(("email", m.start(), m.end()))
        pos = m.end()
