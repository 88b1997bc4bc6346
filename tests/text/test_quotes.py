"""Quotes: a seeded, redacted sample of comments."""

import pandas as pd

import workbench as wb


def test_comment_sample_is_seeded_and_redacted():
    data = pd.DataFrame({"area": list("abcd"), "comment": ["soita 040 123 4567", None, "ok", "hetu 131052-308T"]})
    a = wb.comment_sample(data, keep=["area"], size=3, rng=1)
    pd.testing.assert_frame_equal(a, wb.comment_sample(data, keep=["area"], size=3, rng=1))
    assert len(a) == 3 and not a["comment"].str.contains(r"\d{3} \d{4}|308T").any()
