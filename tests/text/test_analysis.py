import numpy as np
import pandas as pd
import pytest

from workbench.errors import ParameterError
from workbench.text.analysis import analyse


def test_alignment_codes_and_vocabulary():
    texts = pd.Series(["Kiitos!", None, "Ei kukaan vastannut. Kiitos!", "Kiitos!"], index=[10, 11, 12, 13])
    a = analyse(texts)
    assert list(a.index) == [10, 11, 12, 13] and list(a.codes) == [0, -1, 1, 0]
    assert a.n_texts == 2 and list(a.offsets) == [0, 1, 5]
    assert len(set(zip(a.word_language, a.words))) == len(a.words)  # each (language, form) once
    assert a.words[a.token[0]] == "kiitos" and a.lemmas[a.token[3]] == "vastata"
    assert analyse(a) is a


def test_spans_follow_order_gap_and_sentences():
    a = analyse(["sain vihdoin aikaa", "aikaa en saanut", "sain. aikaa", "sain todella todella pitkästä aikaa"])
    start, end = a.spans("saada aika", gap=2)
    texts = a.text_of_token[start]
    assert list(texts) == [0]  # wrong order, another sentence and a too long gap do not match
    start, end = a.spans("aika saada", gap=2)
    assert list(a.text_of_token[start]) == [1] and list(end - start) == [2]


def test_language_prefix_limits_matches():
    a = analyse(["Det gick fast jag väntade.", "It was fast."])
    start, _ = a.spans_many(["en:fast"])
    assert list(a.text_of_token[start]) == [1]


def test_documents_drop_stopwords_and_numbers():
    a = analyse(["Jonotin 40 minuuttia ja se oli liikaa."])
    assert a.documents() == ["jonottaa minuutti liikaa"]


def test_unknown_options():
    with pytest.raises(ParameterError, match="Unknown `lemmatiser` 'snowball'"):
        analyse(["x"], lemmatiser="snowball")
    with pytest.raises(ParameterError, match="Unknown `default_language` 'de'"):
        analyse(["x"], default_language="de")


def test_per_text_and_to_rows():
    a = analyse(["a b", None, "c"])
    flags = a.per_text(np.array([False, True, False]))
    assert list(flags) == [True, False]
    assert list(a.to_rows(flags)) == [True, False, False]
