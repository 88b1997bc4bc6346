import numpy as np
import pandas as pd
import pytest

from conftest import REFERENCE
from workbench.text.analysis import analyse
from workbench.text.language import detect_languages, stopwords


@pytest.mark.parametrize("text, lang", [
    ("Jonotin puhelimessa liian kauan.", "fi"),
    ("Det tog en evighet att komma fram.", "sv"),
    ("The staff were kind but the wait was long.", "en"),
    ("Kiitos!", "fi"), ("ok", "fi"), ("Tack så mycket", "sv"), ("ei kukaan vastannu", "fi"),
])
def test_language_of_comments(text, lang):
    assert list(analyse([text]).language) == [lang]


def test_default_language_for_texts_without_evidence():
    assert detect_languages(["xq"], np.array([0]), np.array([0, 1, 1]), ["xq", ""], default="sv") == ["sv", "sv"]
    with pytest.raises(ValueError, match=r"`default` must be one of \('fi', 'sv', 'en'\); got 'de'"):
        detect_languages([], np.array([]), np.array([0]), [], default="de")


def test_language_on_the_development_half():
    dev = pd.read_csv(REFERENCE / "text_eval" / "text_eval_dev.csv")
    detected = analyse(dev["text"]).to_rows(analyse(dev["text"]).language, fill=None)
    assert (detected == dev["lang"].to_numpy()).mean() >= 0.97


def test_stopwords():
    assert "ja" in stopwords("fi") and "och" in stopwords("sv") and "the" in stopwords("en")
    with pytest.raises(ValueError, match="`language` must be one of"):
        stopwords("de")
