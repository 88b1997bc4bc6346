import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.text.tokens import EXCLAMATION, QUESTION, tokenise


def test_sentences_clauses_and_marks():
    t = tokenise("jonotin 40 min, ei vastattu. voisiko [phone] soittaa takaisin? kiitos!")
    assert t.words == ["jonotin", "40", "min", "ei", "vastattu", "voisiko", "soittaa", "takaisin", "kiitos"]
    assert t.sentence == [0, 0, 0, 0, 0, 1, 1, 1, 2]
    assert t.clause == [0, 0, 0, 1, 1, 2, 2, 2, 3]
    assert t.mark == [0, 0, 0, 0, 0, QUESTION, QUESTION, QUESTION, EXCLAMATION]


def test_numbers_hyphens_and_placeholders():
    t = tokenise("klo 7.00 e-laskuna [id code] ja [email].")
    assert t.words == ["klo", "7.00", "e-laskuna", "ja"]


def test_rejects_non_text():
    with pytest.raises(TypeError, match="takes text; got NoneType"):
        tokenise(None)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcäö .,!?-:;0123456789[]", max_size=60))
def test_structure_is_consistent(text):
    t = tokenise(text)
    assert len(t.words) == len(t.sentence) == len(t.clause) == len(t.mark)
    assert all(w and not any(c.isspace() for c in w) for w in t.words)
    assert t.sentence == sorted(t.sentence) and t.clause == sorted(t.clause)
    assert all(s <= c for s, c in zip(t.sentence, t.clause))
