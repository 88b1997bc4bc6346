import numpy as np
import pandas as pd
import pytest

import workbench as wb


@pytest.mark.parametrize("text, expected", [
    ("Soita 040 123 4567 kiitos", "Soita [phone] kiitos"),
    ("numero +358 50 1234567.", "numero [phone]."),
    ("hetu 131052-308T tässä", "hetu [id code] tässä"),
    ("uusi muoto 010101Y123A", "uusi muoto [id code]"),
    ("maili matti.meikalainen@example.fi.", "maili [email]."),
    ("Odotin 45 minuuttia vuonna 2025, huone 12.", "Odotin 45 minuuttia vuonna 2025, huone 12."),
])
def test_redaction(text, expected):
    assert wb.redact(text) == expected


def test_redaction_of_the_sample_comments_leaves_no_digits_runs():
    responses = wb.reports.load_data()
    comments = responses["comment"].dropna().map(wb.redact)
    assert not comments.str.contains(r"\d{5,}|@|\d{6}[-+A]").any()


def test_primary_and_complementary_suppression():
    table = pd.DataFrame({"area": ["x", "x", "x", "y", "y"], "unit": list("abcde"),
                          "n": [3, 40, 12, 50, 60], "estimate": [10.0, 20.0, 30.0, 40.0, 50.0]})
    out = wb.suppress(table, 5, within="area")
    assert out["suppressed"].tolist() == [True, False, True, False, False]
    assert out["estimate"].isna().tolist() == [True, False, True, False, False]
    assert np.isnan(out.loc[0, "n"]) and out.loc[2, "n"] == 12
    assert table["estimate"].notna().all()  # input untouched


def test_format_table_shows_suppressed():
    out = wb.format_table(wb.suppress(pd.DataFrame({"n": [2, 9, 8], "estimate": [1.0, 2.0, 3.0]}), 5), min_n=5)
    # n = 2 is suppressed; n = 8, the smallest other, too (a total would reveal the first)
    assert out["estimate"].tolist() == ["suppressed", "2.0", "suppressed"]
    assert out["n"].tolist() == ["< 5", "9", "8"]


def test_bad_min_n():
    with pytest.raises(wb.ParameterError, match=r"`min_n` must be a whole number; got 2\.5"):
        wb.suppress(pd.DataFrame({"n": [1]}), 2.5)
