"""Display tables: suppressed cells and small counts."""

import numpy as np
import pandas as pd
import pytest

import workbench as wb
from workbench.reports.tables import publish


def test_format_table_shows_suppressed():
    out = wb.format_table(wb.suppress(pd.DataFrame({"n": [2, 9, 8], "estimate": [1.0, 2.0, 3.0]}), min_n=5), min_n=5)
    # n = 2 is suppressed; n = 8, the smallest other that protects it, too (a total would reveal the first)
    assert out["Estimate"].tolist() == ["suppressed", "2.0", "suppressed"]
    assert out["Responses"].tolist() == ["< 5", "9", "suppressed"]  # the secondary cell's n is hidden too


def test_identifiers_in_group_keys_are_redacted_but_unit_names_kept(tmp_path, monkeypatch):
    # issue 12: `-p group_keys '["comment"]'` put identity codes and e-mail addresses into the results
    monkeypatch.setenv("WORKBENCH_DOWNLOADS", str(tmp_path))
    table = pd.DataFrame({"unit": ["Aurora", "Maria / 040 765 4321"],
                          "comment": ["Soita Matti Virtaselle 040 765 4321", "hetu 131052-308T, leak@example.org"],
                          "n": [12, 14], "estimate": [10.0, 20.0]})
    original = table.copy()
    shown = wb.reports.publish(table, "keys", language="en", min_n=5, keys=["unit", "comment"], show=False)
    assert shown.frame["unit"].tolist() == ["Aurora", "Maria / [phone]"]  # hospital names are not people
    assert shown.frame["comment"].tolist() == ["Soita [name] [phone]", "hetu [id code], [email]"]
    pd.testing.assert_frame_equal(table, original)  # the input is not modified
    out = wb.format_table(table.assign(suppressed=False, suppression=""))
    assert "131052-308T" not in out.to_string() and "leak@example.org" not in out.to_string()
def test_columns_of_the_reports_are_shown_in_one_format_per_kind():
    table = pd.DataFrame({"service": ["a"], "rank": [1.0], "rank_low": [2.0], "tau2": [208.202487], "threshold": [0.7],
                          "reliability_at_mean_n": [0.963489], "percentile": [25.0], "n_per_period": [50.0]})
    out = wb.format_table(table)
    # issue 14: ranks were "1.00", τ² "208.202487", reliabilities shown as percentages
    assert out.iloc[0].tolist() == ["a", "1", "2", "208.2", "0.70", "0.96", "25", "50"]
    assert list(out.columns) == ["Service", "Rank", "Rank, best case", "τ²", "Reliability target",
                                 "Reliability at that n", "Percentile", "Responses per period"]


def test_publish_shows_the_data_s_labels_and_translates_listed_values(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj.data))
    table = pd.DataFrame({"statement": ["s1", "s2"], "signal": ["beyond limits, run of 8", ""],
                          "recommended": ["nps", "csat"], "n": [10, 12]})
    published = publish(table, "t", language="en", respondents=False,
                        value_labels={"statement": {"s1": "I got the service when I needed it"}})
    page = shown[0]
    assert "I got the service when I needed it" in page and ">s2<" in page  # unlabelled values stay as they are
    assert "beyond the limits, run of 8 on one side" in page  # each listed signal translated
    assert "NPS (points)" in page and "CSAT, share of 4–5 (%)" in page
    assert published.frame["statement"].tolist() == ["s1", "s2"]  # the table keeps the data's values


def test_a_column_without_a_header_is_refused():
    with pytest.raises(wb.ParameterError, match=r"no header for column 'n_for_r70'"):
        wb.format_table(pd.DataFrame({"n_for_r70": [1.0]}))


def _html(frame, monkeypatch, **options):
    """The HTML that publish displays (IPython's display captured)."""
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj.data))
    published = wb.reports.publish(frame, "t", language="en", min_n=5, **options)
    return published, shown[0]


def test_a_table_of_theme_shares_is_suppressed_by_its_comments_and_shows_reader_names(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKBENCH_DOWNLOADS", str(tmp_path))
    table = pd.DataFrame({"service": ["imaging", "oral health", "phone service"], "theme": "access",
                          "comments": [40, 3, 60], "mentions": [12, 1, 18], "estimate": [30.0, 33.3, 30.0]})
    published, page = _html(table, monkeypatch, n="comments", keys=["service", "theme"], unit="percent",
                            value_labels={"theme": {"access": "Access to care"}}, complementary=False)
    assert published.frame["theme"].tolist() == ["access"] * 3  # the results keep the ids
    assert published.frame["suppressed"].tolist() == [False, True, False]
    assert np.isnan(published.frame.loc[1, "mentions"])  # every statistic of the small cell, its count too
    assert "<button type=\"button\">Estimate (%)</button>" in page and "Access to care" in page
    assert '<td class="hidden-cell">&lt; 5</td>' in page  # the marker sits in the count that decided
    assert pd.read_csv(tmp_path / "t.csv")["Theme"].tolist() == ["Access to care"] * 3


def test_labels_are_redacted_and_a_quote_wraps_as_prose(monkeypatch):
    quote = "Soitin monta kertaa numeroon 040 765 4321 eikä kukaan vastannut, vaikka jonossa luvattiin takaisinsoitto."
    table = pd.DataFrame({"topic": ["emerging_1"], "n": [12], "comment": [quote]})
    _, page = _html(table, monkeypatch, keys=["topic"], value_labels={"topic": {"emerging_1": "Topic of leak@example.org"}})
    assert "leak@example.org" not in page and "040 765 4321" not in page
    assert '<td class=""><span class="wrap prose">Soitin monta kertaa numeroon [phone]' in page
    assert "Topic of [email]" in page


def test_the_count_column_must_exist(monkeypatch):
    table = pd.DataFrame({"theme": ["access"], "n": [40], "estimate": [30.0]})
    with pytest.raises(wb.DataError, match=r"Count column \['comments'\] not found in the data \(1 rows\)"):
        wb.reports.publish(table, "t", language="en", min_n=5, n="comments", show=False)
