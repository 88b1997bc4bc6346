"""Quotes: a seeded, redacted sample of comments."""

import pandas as pd

import workbench as wb


def test_comment_sample_is_seeded_and_redacted():
    data = pd.DataFrame({"area": list("abcd"), "comment": ["soita 040 123 4567", None, "ok", "hetu 131052-308T"]})
    a = wb.comment_sample(data, keep=["area"], size=3, rng=1)
    pd.testing.assert_frame_equal(a, wb.comment_sample(data, keep=["area"], size=3, rng=1))
    assert len(a) == 3 and not a["comment"].str.contains(r"\d{3} \d{4}|308T").any()


def test_example_quotes_come_only_from_groups_of_at_least_min_n():
    coded = pd.DataFrame({
        "unit": ["a"] * 6 + ["b"] * 2,
        "theme_phone": [True] * 5 + [False] + [True] * 2,
        "suggestion": True,
        "comment_redacted": [f"Lisää väkeä puhelimeen {i}, soita 040 123 4567" for i in range(8)],
    })
    out = wb.text.example_quotes(coded, where=["theme_phone", "suggestion"], by="unit", min_n=5, size=2, rng=3)
    assert set(out["unit"]) == {"a"} and len(out) == 2 and (out["n"] == 5).all()
    assert not out["comment"].str.contains("123 4567").any()  # redacted again on the way out
    pd.testing.assert_frame_equal(out, wb.text.example_quotes(coded, where=["theme_phone", "suggestion"], by="unit",
                                                              min_n=5, size=2, rng=3))
    assert wb.text.example_quotes(coded, where="theme_phone", min_n=100).empty


def test_example_quotes_errors():
    import pytest

    from workbench.errors import DataError, ParameterError
    coded = pd.DataFrame({"comment_redacted": ["a"], "suggestion": [True]})
    with pytest.raises(ParameterError, match="`min_n` must be positive"):
        wb.text.example_quotes(coded, min_n=0)
    with pytest.raises(DataError, match=r"Column \['theme_x'\] not found"):
        wb.text.example_quotes(coded, where="theme_x")
