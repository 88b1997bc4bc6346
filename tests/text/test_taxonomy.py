import textwrap

import pytest

from workbench.errors import TaxonomyError
from workbench.text.taxonomy import default_taxonomy, load_taxonomy
from workbench.text.themes import classify

ISSUE_THEMES = ["access", "phone", "respect", "participation", "competence", "information", "digital", "continuity",
                "facilities", "costs", "safety", "language"]

GOOD = """
[taxonomy]
name = "mine"
version = "1"

[themes.transport]
label = { fi = "Kuljetus", sv = "Transport", en = "Transport" }
terms = ["*taksi*", "kyyti*", "kela-kyyti"]
exclude = ["taksiasema"]

[[themes.transport.rules]]
terms = ["auto"]
requires = ["kuljet*"]
"""


def _write(tmp_path, text):
    path = tmp_path / "tax.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_default_taxonomy_has_the_issue_themes_with_three_labels():
    tax = default_taxonomy()
    assert tax.ids == ISSUE_THEMES and tax.version and tax.source == "default"
    for lang in ("fi", "sv", "en"):
        assert set(tax.labels(lang)) == set(ISSUE_THEMES) and all(tax.labels(lang).values())
    assert {s.id for s in tax.subthemes} >= {"phone.callback"}
    with pytest.raises(TaxonomyError, match="`language` must be one of"):
        tax.labels("de")


def test_users_add_a_theme_without_code(tmp_path):
    tax = load_taxonomy(_write(tmp_path, GOOD))
    coded = classify(["Kela-taksi ei tullut.", "Taksiasema oli tyhjä.", "Kuljetus: auto tuli myöhässä.", "Auto."], tax)
    assert list(coded.columns) == ["transport"] and list(coded["transport"]) == [True, False, True, False]


@pytest.mark.parametrize("text, message", [
    (GOOD.replace("terms = [\"*taksi*\"", "term = [\"*taksi*\""),
     r"Theme 'transport': unknown key 'term' \(valid: description, exclude, label, rules, subthemes, terms\)"),
    (GOOD.replace('sv = "Transport", ', ""), r"Theme 'transport': key 'label' must give a non-empty text for each of fi, sv and en"),
    (GOOD.replace('"kyyti*"', '"ky**yti"'), r"Theme 'transport': key 'terms', item 2: the pattern has an invalid word pattern 'ky\*\*yti'"),
    (GOOD.replace('exclude = ["taksiasema"]', 'exclude = "taksiasema"'), r"Theme 'transport': key 'exclude' must be a list of patterns; got str"),
    (GOOD.replace('requires = ["kuljet*"]', 'requires = ["kuljet*"]\nscope = "paragraph"'),
     r"Theme 'transport': key 'scope' must be 'sentence' or 'comment'; got 'paragraph'"),
    (GOOD.replace('terms = ["auto"]', 'terms = []'), r"Theme 'transport': key 'terms' of a rule is empty"),
    (GOOD.replace("[themes.transport]", "[themes.Transport]").replace("themes.transport.rules", "themes.Transport.rules"),
     r"Theme 'Transport': the id must be lower case"),
    (GOOD.replace('version = "1"', ""), r"key 'version' of \[taxonomy\] must be a non-empty text"),
    (GOOD.replace('version = "1"', 'version = "1"\ngap = 9'), r"key 'gap' of \[taxonomy\] must be a whole number 0-5; got 9"),
    ("[taxonomy]\nname='x'\nversion='1'\n", r"no themes; add \[themes.<id>\] tables"),
    (GOOD + "\n[extra]\n", r"unknown top-level key 'extra'"),
    ("[taxonomy\n", r"is not valid TOML"),
])
def test_invalid_taxonomies_name_the_theme_and_key(tmp_path, text, message):
    with pytest.raises(TaxonomyError, match=message):
        load_taxonomy(_write(tmp_path, text))


def test_missing_file(tmp_path):
    with pytest.raises(TaxonomyError, match=r"Taxonomy file '.*nope.toml' does not exist"):
        load_taxonomy(tmp_path / "nope.toml")


def test_subthemes_follow_services(tmp_path):
    text = GOOD + textwrap.dedent("""
        [themes.transport.subthemes.taxi]
        label = { fi = "Taksi", sv = "Taxi", en = "Taxi" }
        terms = ["*taksi*"]
        services = ["home care"]
    """)
    tax = load_taxonomy(_write(tmp_path, text))
    coded = classify(["Taksi myöhässä", "Taksi myöhässä"], tax, subthemes=True, services=["home care", "imaging"])
    assert list(coded["transport.taxi"]) == [True, False] and list(coded["transport"]) == [True, True]


@pytest.mark.parametrize("text, message", [
    (GOOD.replace('[[themes.transport.rules]]\nterms = ["auto"]\nrequires = ["kuljet*"]', 'rules = "auto"'),
     r"Theme 'transport': key 'rules' must be a list of tables \(\[\[themes.transport.rules\]\]\)"),
    (GOOD.replace('requires = ["kuljet*"]', 'requires = ["kuljet*"]\nwhen = 1'),
     r"Theme 'transport': unknown key 'when' in a rule \(valid: requires, scope, terms, unless\)"),
    (GOOD.replace('terms = ["auto"]\n', ''), r"Theme 'transport': a rule has no key 'terms'"),
    (GOOD.replace('[themes.transport]', '[themes.transport]\ndescription = 3'), r"Theme 'transport': key 'description' must be text"),
    (GOOD.replace('[themes.transport]', '[themes.transport]\nsubthemes = 3'), r"Theme 'transport': key 'subthemes' must be a table of sub-themes"),
    (GOOD + '\n[themes.transport.subthemes.taxi]\nlabel = { fi = "a", sv = "b", en = "c" }\nterms = ["taksi"]\nservices = "x"\n',
     r"Theme 'transport.taxi': key 'services' must be a list of service names"),
    (GOOD.replace('[taxonomy]\nname = "mine"\nversion = "1"\n', ''), r"missing table \[taxonomy\] with keys 'name' and 'version'"),
    (GOOD.replace('version = "1"', 'version = "1"\nowner = "me"'), r"unknown key 'owner' in \[taxonomy\]"),
    ('[taxonomy]\nname="x"\nversion="1"\n[themes]\nbus = 3\n', r"Theme 'bus': must be a table; got int"),
    (GOOD.replace('exclude = ["taksiasema"]', 'exclude = []\nterms2 = 1').replace('terms = ["*taksi*", "kyyti*", "kela-kyyti"]\n', ''),
     r"Theme 'transport': unknown key 'terms2'"),
])
def test_more_invalid_taxonomies(tmp_path, text, message):
    with pytest.raises(TaxonomyError, match=message):
        load_taxonomy(_write(tmp_path, text))


def test_a_theme_needs_patterns(tmp_path):
    text = '[taxonomy]\nname="x"\nversion="1"\n[themes.bus]\nlabel = { fi = "a", sv = "b", en = "c" }\nterms = []\n'
    with pytest.raises(TaxonomyError, match=r"Theme 'bus': has no patterns; give key 'terms' or 'rules'"):
        load_taxonomy(_write(tmp_path, text))
