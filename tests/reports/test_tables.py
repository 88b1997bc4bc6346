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
