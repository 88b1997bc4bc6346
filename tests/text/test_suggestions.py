import pytest

from workbench.text.analysis import analyse
from workbench.text.suggestions import imperative_words, suggestions


@pytest.mark.parametrize("text, expected", [
    ("Chatin pitäisi olla auki iltaisin.", True), ("Toivoisin takaisinsoittoa.", True),
    ("Ehdotan tekstiviestimuistutusta.", True), ("Lisätkää chat!", True), ("Lisää istumapaikkoja!", True),
    ("Tällaista seurantaa lisää!", True), ("Olisi kiva jos ajan voisi varata netistä.", True),
    ("Voisitteko avata illalla?", True), ("Det vore bra om man kunde boka på nätet.", True),
    ("Ni borde svara oftare.", True), ("There should be more parking.", True),
    ("Kenelle pitäisi soittaa?", False), ("Jatkakaa samaan malliin!", False),
    ("Toivon että takaisinsoitto säilyy myös jatkossa.", False), ("Parantakaa palvelua.", False),
    ("Takaisinsoittoa ei tullut.", False), ("Aikaa meni paljon.", False), ("Hän lisää lääkettä.", False),
])
def test_suggestions(text, expected):
    assert suggestions([text]).iloc[0] == expected


def test_imperatives_are_told_from_partitives():
    a = analyse(["lisätkää kertokaa tuokaa aikaa paikkaa tehkää"])
    flagged = {w for w, f in zip(a.words, imperative_words(a)) if f}
    assert flagged == {"lisätkää", "kertokaa", "tuokaa", "tehkää"}


def test_aligned_series():
    out = suggestions([None, "Lisätkää chat!"])
    assert out.name == "suggestion" and list(out) == [False, True]
