"""The page notebooks write with: dates in the reader's language, lists of finished sentences."""

import datetime

import pandas as pd
import pytest

import workbench as wb
from workbench.reports.i18n import date_text


@pytest.mark.parametrize("language, expected", [("en", "1 Jan 2025"), ("fi", "1.1.2025"), ("sv", "1 jan. 2025")])
def test_dates_follow_the_language(language, expected):
    assert date_text(datetime.date(2025, 1, 1), language) == expected
    assert date_text(pd.Timestamp("2025-01-01 23:30"), language) == expected
    assert date_text("2025-01-01", language) == expected


def test_a_listing_escapes_its_sentences(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj.data))
    page = wb.reports.Page("r07", language="en", min_n=5)
    page.listing(["Kainuu / <social> services: at most 23", "second"])
    assert shown == ["<ul><li>Kainuu / &lt;social&gt; services: at most 23</li><li>second</li></ul>"]
    assert page.date(datetime.date(2025, 12, 31)) == "31 Dec 2025"
