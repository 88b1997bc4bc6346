"""Redaction of identifiers in free text."""

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
    responses = wb.reports.load_inputs().responses()
    comments = responses["comment"].dropna().map(wb.redact)
    assert not comments.str.contains(r"\d{5,}|@|\d{6}[-+A]").any()
