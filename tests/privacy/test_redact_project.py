"""Redaction as the rest of the workbench uses it: the package-level function and the sample comments."""

import pytest

import workbench as wb


@pytest.mark.parametrize("text, expected", [
    ("Soita 040 123 4567 kiitos", "Soita [phone] kiitos"),
    ("numero +358 50 1234567.", "numero [phone]."),
    ("hetu 131052-308T tässä", "hetu [id code] tässä"),
    ("uusi muoto 010101Y123N", "uusi muoto [id code]"),  # a valid check character (123 mod 31 ... -> N)
    ("maili matti.meikalainen@example.fi.", "maili [email]."),
    ("Odotin 45 minuuttia vuonna 2025, huone 12.", "Odotin 45 minuuttia vuonna 2025, huone 12."),
])
def test_redaction(text, expected):
    assert wb.redact(text) == expected


def test_redaction_of_the_sample_comments_leaves_no_identifier():
    responses = wb.reports.load_inputs().responses()
    comments = responses["comment"].dropna()
    redacted = wb.privacy.redact_series(comments)
    assert not redacted.str.contains(r"\d{6}[-+A-FU-Y]\d{3}|@| \d{3} \d{4}").any()
    assert redacted.str.contains(r"\[id code\]").any() and redacted.str.contains(r"\[phone\]").any()
