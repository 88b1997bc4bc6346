"""Display tables: suppressed cells and small counts."""

import numpy as np
import pandas as pd
import pytest

import workbench as wb


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
