import numpy as np
import pytest

from workbench.text.patterns import GlobIndex, check_pattern, deaccent, split_language


@pytest.mark.parametrize("pattern, problem", [
    ("jono", None), ("ystävälli*", None), ("*jono", None), ("*soitto*", None), ("# tuntia", None),
    ("en:fast", None), ("köer i telefon", None),
    (3, "is not text but int"), ("", "is empty"), ("a b c d e", "has 5 words (at most 4)"),
    ("jo**no", "invalid word pattern 'jo**no'"), ("*", "invalid word pattern '*'"),
    ("*a", "invalid word pattern '*a'"), ("Jono", "has upper-case letters in 'Jono'"),
])
def test_check_pattern(pattern, problem):
    found = check_pattern(pattern)
    assert (found is None) if problem is None else (problem in found)


def test_split_language_and_deaccent():
    assert split_language("sv:fast") == ("sv", "fast") and split_language("fast") == (None, "fast")
    assert deaccent("päivää öljy åker") == "paivaa oljy aker"


def test_glob_index_kinds_and_plain_spelling():
    index = GlobIndex(["jono", "ystävälli*", "*jono", "*soitto*", "#", "päivä*"])
    words = ["jono", "ystävällistä", "puhelinjono", "takaisinsoittoa", "12", "paivaa", "jonot"]
    lemmas = ["jono", "ystävällinen", "puhelin", "takaisinsoitto", "12", "paivaa", "jono"]
    hits = index.vocabulary_matches(words, lemmas, [()] * len(words))
    assert [list(h) for h in hits] == [[0, 6], [1], [0, 2, 6], [3], [4], [5]]


def test_compound_parts_are_keys():
    index = GlobIndex(["jonottaa"])
    hits = index.vocabulary_matches(["jonotusmusiikkia"], ["jonotusmusiikki"], [("jonottaa", "musiikki")])
    assert list(hits[0]) == [0]
    assert isinstance(hits[0], np.ndarray)
