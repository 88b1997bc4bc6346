import pytest

from workbench.errors import TaxonomyError
from workbench.text.analysis import analyse
from workbench.text.lexicon import LEXICON_KEYS, load_lexicon
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


def test_lexicon_validation(tmp_path):
    assert set(load_lexicon().entries) == {"fi", "sv", "en"}
    path = tmp_path / "lex.toml"
    path.write_text('[lexicon]\nname = "x"\nversion = "1"\n[fi]\npositve = ["hyvä"]\n', encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"section \[fi\]: unknown key 'positve'"):
        load_lexicon(path)
    path.write_text('[lexicon]\nname = "x"\nversion = "1"\n[fi]\nnegative = ["hy**vä"]\n', encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"section \[fi\]: key 'negative', item 1: the pattern has an invalid"):
        load_lexicon(path)
    path.write_text('[lexicon]\nname = "x"\n', encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"missing table \[lexicon\] with text keys 'name' and 'version'"):
        load_lexicon(path)
    assert "suggestion" in LEXICON_KEYS


@pytest.mark.parametrize("text, message", [
    ('[lexicon]\nname = "x"\nversion = "1"\n[de]\n', r"unknown section 'de' \(valid: lexicon, fi, sv, en\)"),
    ('fi = 3\n[lexicon]\nname = "x"\nversion = "1"\n', r"section \[fi\] must be a table"),
    ('[lexicon]\nname = "x"\nversion = "1"\n[fi]\npositive = "hyvä"\n', r"section \[fi\]: key 'positive' must be a list of patterns"),
    ('[lexicon]\nname = "x"\nversion = "1"\n', r"no language section \(\[fi\], \[sv\] or \[en\]\)"),
    ('[lexicon\n', r"is not valid TOML"),
])
def test_more_invalid_lexicons(tmp_path, text, message):
    path = tmp_path / "lex.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TaxonomyError, match=message):
        load_lexicon(path)
    with pytest.raises(TaxonomyError, match=r"Lexicon file '.*nope.toml' does not exist"):
        load_lexicon(tmp_path / "nope.toml")
