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


def _shown(monkeypatch):
    """The HTML that publish() displays, collected instead of shown."""
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj.data))
    return shown


def test_a_named_count_column_decides_suppression_and_carries_the_marker(monkeypatch):
    shown = _shown(monkeypatch)
    table = pd.DataFrame({"unit": ["A", "B", "C"], "persons": [3, 40, 60], "invitations": [3, 30, 50],
                          "expected_planned": [0.6, 6.1, 10.2]})
    out = wb.reports.publish(table, "check", language="en", min_n=5, keys=["unit"], n="persons", kind="count")
    hidden = out.frame.set_index("unit")
    # A has 3 persons: nothing of it is published; B, the smallest other, protects it against the total
    assert hidden["suppressed"].to_dict() == {"A": True, "B": True, "C": False}
    assert hidden.loc["A", ["persons", "invitations", "expected_planned"]].isna().all()
    assert hidden.loc["C", "invitations"] == 50
    assert '<td class="hidden-cell">&lt; 5</td>' in shown[0] and "<th scope=\"col\" aria-sort=\"none\"><button " \
        "type=\"button\">Persons</button></th>" in shown[0]
    with pytest.raises(wb.DataError, match=r"Count column \['n'\] not found"):
        wb.reports.publish(table, "check", language="en", min_n=5, keys=["unit"], show=False)


def test_complementary_suppression_can_be_turned_off_for_rows_without_a_total():
    effects = pd.DataFrame({"rule": ["cap", "cooldown", "priority"], "persons_affected": [0, 900, 40],
                            "removed": [0, 1200, -2]})
    out = wb.reports.publish(effects, "effects", language="en", min_n=5, keys=["rule"], n="persons_affected",
                             kind="count", complementary=False, show=False)
    assert out.frame["suppressed"].tolist() == [True, False, False]
    default = wb.reports.publish(effects, "effects", language="en", min_n=5, keys=["rule"], n="persons_affected",
                                 kind="count", show=False)
    assert default.frame["suppressed"].tolist() == [True, False, True]


def test_a_column_can_be_translated_by_the_section_another_column_names(monkeypatch):
    shown = _shown(monkeypatch)
    categories = pd.DataFrame({"variable": ["language", "language", "age_group"], "category": ["fi", "sv", "75+"],
                               "contacts": [40, 50, 60], "propensity": [0.1, 0.2, 0.3]})
    out = wb.reports.publish(categories, "r_categories", language="en", min_n=5, keys=["variable", "category"],
                             n="contacts", kind="count", translate=["variable", ("category", "variable")])
    cells = [c for c in shown[0].split("<td") if "class=\"\">" in c]
    texts = [c[c.index(">") + 1:c.index("</td>")] for c in cells]
    assert texts == ["language", "Finnish", "language", "Swedish", "age group", "75+"]
    assert out.frame["category"].tolist() == ["fi", "sv", "75+"]  # the published data keeps its codes


@pytest.mark.parametrize("column", ["persons", "candidates", "contacts", "invitations", "removed", "rate",
                                    "current_rate", "p_meet", "share_of_persons", "partial_unconditional",
                                    "invitations_planned", "expected_invitations"])
def test_sending_plan_columns_have_a_kind_and_a_header(column):
    kinds = {"persons": "count", "candidates": "count", "contacts": "count", "invitations": "count",
             "removed": "count", "rate": "share", "current_rate": "share", "p_meet": "share",
             "share_of_persons": "share", "partial_unconditional": "decimal3", "invitations_planned": "count",
             "expected_invitations": "count"}
    assert wb.reports.tables.column_kind(column, pd.Series([0.5])) == kinds[column]
    assert wb.reports.catalogue("en").has(f"columns.{column}")


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
