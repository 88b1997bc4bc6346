import pytest

from workbench.errors import ParameterError
from workbench.text.lemmas import _wordbases, get_lemmatiser, voikko_available

needs_voikko = pytest.mark.skipif(not voikko_available(), reason="Voikko (libvoikko1, voikko-fi, binding) not installed")


@pytest.mark.parametrize("word, lang, lemma", [
    ("soitettiin", "fi", "soittaa"), ("hoitajat", "fi", "hoitaja"), ("kuunneltu", "fi", "kuunnella"),
    ("väntade", "sv", "vänta"), ("waited", "en", "wait"), ("40", "fi", "40"),
])
def test_simplemma_lemmas(word, lang, lemma):
    assert get_lemmatiser("simplemma")(word, lang)[0] == lemma


def test_each_word_form_is_analysed_once():
    lemmatise = get_lemmatiser("simplemma")
    lemmatise("jonotusmusiikkia", "fi")
    size = len(lemmatise.cache)
    for _ in range(3):
        lemmatise("jonotusmusiikkia", "fi")
    assert len(lemmatise.cache) == size and ("fi", "jonotusmusiikkia") in lemmatise.cache
    assert get_lemmatiser("simplemma") is lemmatise


def test_unknown_backend():
    with pytest.raises(ParameterError, match="Unknown `lemmatiser` 'spacy'; valid: 'simplemma', 'voikko'"):
        get_lemmatiser("spacy")


def test_wordbases_parsing():
    assert _wordbases("+puhelin(puhelin)+jono(jono)") == ("puhelin", "jono")
    assert _wordbases("+jonot(jonottaa)+us(+us)+musiikki(musiikki)") == ("jonottaa", "musiikki")
    assert _wordbases("+ystävä(ystävä)+lli+nen(+nen)") == ()


@needs_voikko
def test_voikko_splits_compounds_and_falls_back_for_unknown_words():
    lemmatise = get_lemmatiser("voikko")
    assert lemmatise("puhelinjonossa", "fi") == ("puhelinjono", ("puhelin", "jono"))
    assert lemmatise("soitettiin", "fi")[0] == "soittaa"
    # a colloquial form Voikko does not know falls back to simplemma
    assert lemmatise("vastannu", "fi") == (get_lemmatiser("simplemma")("vastannu", "fi")[0], ())
    assert lemmatise("väntade", "sv")[0] == "vänta"


@pytest.mark.skipif(voikko_available(), reason="Voikko is installed here")
def test_voikko_missing_is_a_clear_error():
    with pytest.raises(ParameterError, match="needs libvoikko1, voikko-fi and the libvoikko binding"):
        get_lemmatiser("voikko")
