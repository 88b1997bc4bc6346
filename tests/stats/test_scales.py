"""Scales and metrics: encoding, aliases, user-defined metrics, bad definitions."""

import numpy as np
import pandas as pd
import pytest

import workbench as wb
from workbench.stats.scales import MISSING


def test_builtin_metrics_and_scoring():
    nps = wb.get_metric("nps")
    assert nps.scores == tuple([-100.0] * 7 + [0.0, 0.0] + [100.0, 100.0])
    assert nps.levels.tolist() == [-100, 0, 100] and nps.unit == "NPS points" and not nps.is_binary
    assert wb.get_metric("csat").is_binary and wb.get_metric("csat").scores == (0, 0, 0, 100, 100)
    assert wb.get_metric("ces").scores == (0, 0, 0, 0, 100, 100, 100)
    assert wb.get_metric("ces_mean").scores == tuple(range(1, 8))
    assert wb.get_metric("fcr").scale.points == ("no", "yes")
    assert wb.get_metric("agreement").scale.dont_know == (6,)
    assert set(wb.METRICS) == {"nps", "csat", "csat_mean", "ces", "ces_mean", "fcr", "agreement", "agreement_mean"}


def test_user_defined_top_box_of_a_four_point_scale():
    four = wb.Scale("agree 1-4", points=(1, 2, 3, 4), dont_know=("eos",))
    top = wb.Metric("top_box", four, {4: 100})
    df = pd.DataFrame({"q": [4, 4, 3, 1, "eos", 4]})
    result = wb.estimate(df, top, column="q")
    assert result.loc[0, "n"] == 5 and result.loc[0, "n_dont_know"] == 1
    assert result.loc[0, "estimate"] == pytest.approx(60.0)
    assert result.loc[0, "method"] == "wilson"


def test_fcr_accepts_every_spelling():
    scale = wb.get_metric("fcr").scale
    values = pd.Series([1, 0, True, False, "yes", "no", "Kyllä", " ei ", None, "", np.nan], dtype=object)
    codes = scale.encode(values, column="fcr")
    assert codes.tolist() == [1, 0, 1, 0, 1, 0, 1, 0, MISSING, MISSING, MISSING]


def test_integer_fast_path_equals_generic_path():
    scale = wb.get_metric("agreement").scale
    values = pd.Series([1, 5, 6, 3, 2, 6])
    fast = scale.encode(values, column="s")
    generic = scale.encode(values.astype(object), column="s")
    assert fast.tolist() == generic.tolist() == [0, 4, 5, 2, 1, 5]


def test_float_column_with_missing_values():
    codes = wb.get_metric("nps").scale.encode(pd.Series([10.0, np.nan, 0.0]), column="nps")
    assert codes.tolist() == [10, MISSING, 0]


def test_numeric_text_is_read_as_numbers():
    codes = wb.get_metric("nps").scale.encode(pd.Series(["10", "7", " 3 "]), column="nps")
    assert codes.tolist() == [10, 7, 3]


@pytest.mark.parametrize("values, match", [
    ([3, 11, 12, 11], r"Column 'nps' has answers outside the scale: 11 \(2 rows\), 12 \(1 rows\); 3 of 4 rows"),
    ([3, -1], r"answers outside the scale: -1 \(1 rows\); 1 of 2 rows"),
    ([3.0, 7.5], r"7\.5 \(1 rows\); 1 of 2 rows"),
    (["9", "ten", "ten"], r"non-numeric or unknown answers: 'ten' \(2 rows\); 2 of 3 rows"),
])
def test_bad_answers_raise_scale_error(values, match):
    with pytest.raises(wb.ScaleError, match=match):
        wb.get_metric("nps").scale.encode(pd.Series(values), column="nps")


def test_scale_error_is_a_value_error():
    assert issubclass(wb.ScaleError, ValueError) and issubclass(wb.ScaleError, wb.WorkbenchError)


def test_unknown_metric():
    with pytest.raises(wb.MetricError, match=r"Unknown metric 'nsp'; built-in metrics: 'nps'"):
        wb.get_metric("nsp")


@pytest.mark.parametrize("kwargs, match", [
    (dict(scores={7: 100}), r"scores unknown points \[7\]"),
    (dict(scores=[0, 100]), r"has 2 scores for 4 scale points"),
    (dict(scores=[1, 1, 1, 1]), r"gives every point the same score"),
])
def test_bad_metric_definitions(kwargs, match):
    with pytest.raises(wb.MetricError, match=match):
        wb.Metric("bad", wb.Scale("four", points=(1, 2, 3, 4)), **kwargs)


def test_bad_scale_definitions():
    with pytest.raises(wb.MetricError, match=r"lists a point or code twice"):
        wb.Scale("dup", points=(1, 2, 2))
    with pytest.raises(wb.MetricError, match=r"aliases point to unknown answers \['maybe'\]"):
        wb.Scale("yn", points=("no", "yes"), aliases={"m": "maybe"})
