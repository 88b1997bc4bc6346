"""Finnish inflection by rule: the case forms of names, places, titles and street words.

The gazetteer, the title rule and the street rule all look words up in tables of inflected
forms ("Virtaselle", "hoitajalle", "Mannerheimintiellä"); this module generates those forms
from the nominative, so the packaged lists hold lemmas only.
"""

from __future__ import annotations

import re

__all__ = ["fi_forms"]

_VOWEL_BACK = set("aouAOU")


def _harmony(word: str) -> tuple[str, str, str]:
    """Back (a, o, u) or front (ä, ö, y) vowels for the endings, from the last compound part."""
    last = word.rsplit("-", 1)[-1]
    return ("a", "o", "u") if any(c in _VOWEL_BACK for c in last) else ("ä", "ö", "y")


_WEAK_PAIRS = (("kk", "k"), ("pp", "p"), ("tt", "t"))
_WEAK_CLUSTERS = {"nk": "ng", "nt": "nn", "mp": "mm", "lt": "ll", "rt": "rr", "ht": "hd", "rk": "r"}
_FINAL = re.compile(r"^(?P<head>.*?[aeiouyäöAEIOUYÄÖ])(?P<cons>[^aeiouyäöAEIOUYÄÖ]+)(?P<tail>[aeiouyäö]+)$")


def _weak(stem: str, k_drop: bool) -> str:
    """The weak grade of a Finnish stem (Matti -> Mati, Aalto -> Aallo, Helsinki -> Helsingi).

    Notes
    -----
    Consonant gradation applies to the last consonant cluster: kk/pp/tt shorten, nk nt mp
    lt rt ht rk change, single t becomes d (Satu -> Sadu). A single k disappears
    (Mäke -> Mäe) only when ``k_drop``: for surnames and places, which inflect like nouns,
    not for first names (Aki -> Akin, Jouko -> Joukon). Over-generation is harmless here:
    the forms are only looked up, never produced as output.
    """
    m = _FINAL.match(stem)
    if not m:
        return stem
    head, cons, tail = m.group("head"), m.group("cons"), m.group("tail")
    for strong, weak in _WEAK_PAIRS:
        if cons.endswith(strong):
            return head + cons[:-2] + weak + tail
    if cons in _WEAK_CLUSTERS:
        return head + _WEAK_CLUSTERS[cons] + tail
    if cons == "t":
        return head + "d" + tail
    if cons == "k" and k_drop:
        return head + tail
    return stem


def fi_forms(lemma: str, noun: bool = False) -> set[str]:
    """Inflected Finnish forms of a name, a place or a title, plus Swedish/English genitives.

    Parameters
    ----------
    lemma : str
        Nominative form, non-empty, e.g. "Virtanen", "Matti", "Helsinki", "hoitaja".
    noun : bool, default False
        Inflect like a common noun: final -i may become -e- (Niemi -> Niemen, Mäki -> Mäen),
        a single k may disappear. True for surnames and places, False for first names
        (Kari -> Karin) and titles.

    Returns
    -------
    set of str
        The lemma and its generated forms, in the lemma's capitalisation.

    Raises
    ------
    IndexError
        If ``lemma`` is empty.
    AttributeError
        If ``lemma`` is not a str.

    Notes
    -----
    Generates the cases that occur in feedback: genitive, partitive, essive, translative,
    the local cases (-lla -lle -lta -ssa -sta), illative, nominative plural, in both the
    strong and the weak grade (colloquial "Mattille" beside standard "Matille"), -nen
    surnames (Virtasen, Virtasta, Virtaseen), consonant-final names (Johanssonin, Erikille,
    Tuomaksen), and the Swedish/English genitive ("Annas", "Eriksons"). Vowel harmony
    follows the last compound part. The rules over-generate (both grades, both stems);
    that is harmless because the forms are only looked up, never written out. Irregular
    stems are not derived (rinne -> rintee-); callers list those by hand.

    References
    ----------
    .. [1] A. Hakulinen et al., *Iso suomen kielioppi* (VISK), Helsinki: SKS, 2004; online
       edition 2008, Institute for the Languages of Finland, http://scripta.kotus.fi/visk
       (consonant gradation, vowel harmony, case endings).
    .. [2] F. Karlsson, *Finnish: An Essential Grammar*, 2nd ed., Routledge, 2008.
    """
    a, o, u = _harmony(lemma)
    weak_endings = ["n", "ll" + a, "lle", "lt" + a, "ss" + a, "st" + a, "ksi", "t", "kin", "lt" + a + "kin"]
    strong_endings = [a, "t" + a, "n" + a, "", "kin"]
    forms = {lemma, lemma + "s", lemma + "'s", lemma + "’s"}
    low = lemma.lower()
    if low.endswith("nen"):
        stem = lemma[:-3] + "se"
        forms |= {stem + e for e in weak_endings + ["en", "n" + a, "ksi"]}
        forms |= {lemma[:-3] + "st" + a, lemma[:-3] + "sten", stem + "t"}
        return forms
    if low[-1] not in "aeiouyäö":
        stems = [lemma + "i"]
        if low.endswith("s") and len(low) > 2 and low[-2] in "aeiouyäö":
            # Finnish -as/-es/-us names: Tuomas -> Tuomaksen, Armas -> Armaan.
            stems += [lemma[:-1] + "kse", lemma[:-1] + lemma[-2]]
            forms.add(lemma + "t" + a)
        for stem in stems:
            forms |= {stem + e for e in weak_endings}
            forms |= {stem + a, stem + "in", stem + "n" + a}
        return forms
    stems = {lemma}
    if low.endswith("i") and noun:
        stems.add(lemma[:-1] + "e")
    if low.endswith("e") and noun:
        stems.add(lemma + "e")  # Laine -> Laineen, Tampere -> Tampereella (first names: Villen)
    for stem in list(stems):
        weak = _weak(stem, k_drop=noun)
        for s in {stem, weak}:
            forms |= {s + e for e in weak_endings}
        forms |= {stem + e for e in strong_endings}
        forms.add(stem + stem[-1] + "n")  # illative: Mattiin, Liisaan, Ouluun
        if stem.endswith("e") and stem.endswith("ee"):
            forms.add(stem + "seen")
    return forms
