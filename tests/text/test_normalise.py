import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.errors import DataError
from workbench.text.normalise import EMOJI_NEGATIVE, EMOJI_POSITIVE, normalise, prepare_texts


@pytest.mark.parametrize("text, expected", [
    ("  Tosi   HYVÄ\tpalvelu ", "tosi hyvä palvelu"),
    ("Kiitos 👍 ja :) mutta 😡", f"kiitos {EMOJI_POSITIVE} ja {EMOJI_POSITIVE} mutta {EMOJI_NEGATIVE}"),
    ("katso https://example.fi/ohje?x=1 tai www.esimerkki.fi", "katso [url] tai [url]"),
    ("ihanaaaaa!!!", "ihanaa!!!"),
    ("Å Ä Ö", "å ä ö"),
])
def test_normalise(text, expected):
    assert normalise(text) == expected


def test_normalise_rejects_non_text():
    with pytest.raises(DataError, match="takes text; got int"):
        normalise(3)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_normalise_is_idempotent_and_trimmed(text):
    once = normalise(text)
    assert normalise(once) == once
    assert once == once.strip() and "  " not in once


def test_prepare_texts_redacts_before_lower_casing_and_maps_rows_to_distinct_texts():
    codes, redacted, normalised = prepare_texts(pd.Series(
        ["Hetu 131052-308T, soita 040 123 4567", None, "  ", "Kiitos!", "Kiitos!", np.nan]))
    assert list(codes) == [0, -1, -1, 1, 1, -1]
    assert redacted == ["Hetu [id code], soita [phone]", "Kiitos!"]
    assert normalised == ["hetu [id code], soita [phone]", "kiitos!"]


def test_prepare_texts_error_names_types_and_counts_never_values():
    with pytest.raises(DataError, match=r"2 of 4 rows are not: int \(1 rows\), float \(1 rows\)") as info:
        prepare_texts(pd.Series(["salainen 040 123 4567", 5, 2.5, None], dtype=object))
    assert "salainen" not in str(info.value) and "040" not in str(info.value)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "Kiitos", None, " ", "hetu 131052-308T"]), max_size=30))
def test_equal_texts_share_a_code(values):
    codes, redacted, _ = prepare_texts(values)
    for i, v in enumerate(values):
        if v is None or not v.strip():
            assert codes[i] == -1
        for j, w in enumerate(values):
            if v is not None and w is not None and v.strip() and w.strip():
                assert (codes[i] == codes[j]) == (v == w)
    assert all("308T" not in r for r in redacted)
