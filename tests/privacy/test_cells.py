"""Cell suppression: every statistic of a small cell hidden, complementary suppression that survives a total."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import workbench as wb


def test_primary_and_complementary_suppression():
    table = pd.DataFrame({"area": ["x", "x", "x", "y", "y"], "unit": list("abcde"),
                          "n": [3, 40, 12, 50, 60], "estimate": [10.0, 20.0, 30.0, 40.0, 50.0]})
    out = wb.suppress(table, min_n=5, within="area")
    assert out["suppressed"].tolist() == [True, False, True, False, False]
    assert out["suppression"].tolist() == ["primary", "", "secondary", "", ""]
    assert out["estimate"].isna().tolist() == [True, False, True, False, False]
    assert np.isnan(out.loc[0, "n"]) and np.isnan(out.loc[2, "n"])  # the added cell's n is hidden too
    assert table["estimate"].notna().all()  # input untouched


def test_every_statistic_of_a_hidden_cell_is_hidden_whatever_its_name():
    table = pd.DataFrame({"unit": ["a", "b", "c"], "n": [4, 30, 40], "mean": [5.0, 3.0, 4.0],
                          "dont_know_share": [0.0, 0.1, 0.2], "n_dont_know": [0, 3, 8], "n_eff": [4.0, 29.0, 39.0],
                          "deff": [1.0, 1.03, 1.02], "limit_low": [1.0, 2.0, 3.0], "flag": ["below", "within", "above"],
                          "brand_new_statistic": [0.123, 0.4, 0.5]})
    out = wb.suppress(table, min_n=5)
    hidden = out[out["suppressed"]]
    assert hidden["unit"].tolist() == ["a", "b"]  # a is primary, b (the smallest other) secondary
    for column in table.columns.drop("unit"):
        assert hidden[column].isna().all(), column
    assert out.loc[2, "brand_new_statistic"] == 0.5


def test_two_tiny_hidden_cells_are_not_recoverable_from_a_total():
    # n = 1 and 2 are both below min_n, but together (3) a total would reveal them: hide more.
    table = pd.DataFrame({"unit": list("abcd"), "n": [1, 2, 30, 40], "estimate": [100.0, 100.0, 10.0, 20.0]})
    out = wb.suppress(table, min_n=5)
    assert out["suppressed"].tolist() == [True, True, True, False]
    assert out["suppression"].tolist() == ["primary", "primary", "secondary", ""]


def test_cells_named_by_the_audit_are_hidden_as_secondary():
    table = pd.DataFrame({"area": ["x", "y", "z"], "n": [30, 40, 50], "estimate": [1.0, 2.0, 3.0]})
    out = wb.suppress(table, min_n=5, hide=[{"area": "y"}, {"area": "nowhere"}], complementary=False)
    assert out["suppression"].tolist() == ["", "secondary", ""]


def test_the_audit_can_hide_an_overall_score():
    # The audit names an overall score (a table without keys) by the empty cell; a keyed table ignores it.
    overall = pd.DataFrame({"scheme": ["volume", "pooled"], "n": [600, 600], "estimate": [25.8, 25.3]})
    out = wb.suppress(overall, min_n=5, keys=[], hide=[{}])
    assert out["suppressed"].tolist() == [True, True] and out["estimate"].isna().all()
    table = pd.DataFrame({"area": ["x", "y"], "n": [30, 40], "estimate": [1.0, 2.0]})
    assert not wb.suppress(table, min_n=5, hide=[{}])["suppressed"].any()


def test_counts_can_be_rounded():
    table = pd.DataFrame({"unit": ["a", "b"], "n": [22, 38], "n_dont_know": [3, 7], "estimate": [1.0, 2.0]})
    out = wb.suppress(table, min_n=5, round_to=5)
    assert out["n"].tolist() == [20.0, 40.0] and out["n_dont_know"].tolist() == [5.0, 5.0]
    assert out["estimate"].tolist() == [1.0, 2.0]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 60), min_size=1, max_size=12), st.integers(2, 10))
def test_no_group_with_a_hidden_cell_can_be_solved_from_its_total(ns, min_n):
    table = pd.DataFrame({"unit": [f"u{i}" for i in range(len(ns))], "n": ns, "estimate": np.arange(len(ns), dtype=float)})
    out = wb.suppress(table, min_n=min_n)
    hidden = out["suppressed"].to_numpy()
    assert (hidden | (np.array(ns) >= min_n)).all()  # every small cell hidden
    if hidden.any() and hidden.sum() < len(ns):  # something hidden beside something shown
        assert hidden.sum() >= 2 and np.array(ns)[hidden].sum() >= min_n
    assert (out.loc[hidden, "estimate"].isna()).all() and (out.loc[~hidden, "estimate"].notna()).all()


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(min_n=2.5), wb.ParameterError, r"`min_n` must be a whole number; got 2\.5"),
    (dict(round_to=0), wb.ParameterError, r"`round_to` must be positive and finite; got 0"),
    (dict(n="count"), wb.DataError, r"Count column \['count'\] not found in the data \(1 rows\)"),
    (dict(keys=["area"]), wb.DataError, r"Key column \['area'\] not found"),
    (dict(within="area"), wb.DataError, r"Group column \['area'\] not found"),
])
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        wb.suppress(pd.DataFrame({"n": [1]}), **kwargs)
