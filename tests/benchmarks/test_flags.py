"""Counting funnel flags at two levels, per group."""

import numpy as np
import pandas as pd
import pytest

import workbench as wb


def _funnels():
    return pd.DataFrame({"service": ["a", "a", "a", "b", "b", "b"],
                         "flag_inner": ["above", "below", "within", "within", "above", None],
                         "flag": ["above", "within", "within", "within", "within", None]})


def test_count_flags_per_group_and_level():
    counts = wb.benchmarks.count_flags(_funnels(), levels={"flag_inner": 0.95, "flag": 0.998}, by="service")
    assert list(zip(counts["service"], counts["confidence"])) == [("a", 0.95), ("a", 0.998), ("b", 0.95), ("b", 0.998)]
    assert counts["n_above"].tolist() == [1, 1, 1, 0] and counts["n_below"].tolist() == [1, 0, 0, 0]
    assert (counts["n_flagged"] == counts["n_above"] + counts["n_below"]).all()
    assert counts["units"].tolist() == [3, 3, 2, 2]  # the hidden unit (no flag) is not counted


def test_count_flags_of_the_whole_table_agree_with_the_groups():
    whole = wb.benchmarks.count_flags(_funnels(), levels={"flag_inner": 0.95, "flag": 0.998})
    groups = wb.benchmarks.count_flags(_funnels(), levels={"flag_inner": 0.95, "flag": 0.998}, by="service")
    assert whole["confidence"].tolist() == [0.95, 0.998]
    summed = groups.groupby("confidence", sort=False)[["units", "n_above", "n_below", "n_flagged"]].sum()
    assert np.array_equal(whole[["units", "n_above", "n_below", "n_flagged"]].to_numpy(), summed.to_numpy())


def test_count_flags_of_a_real_funnel_match_its_flags(small_responses):
    results = wb.estimate(small_responses.assign(unit=np.arange(len(small_responses)) % 8), "csat", by="unit")
    funnel = wb.funnel(results, metric="csat", confidence=0.95)
    counts = wb.benchmarks.count_flags(funnel, levels={"flag": 0.95}).iloc[0]
    assert counts["n_flagged"] == (funnel["flag"] != "within").sum() and counts["units"] == len(funnel)


def test_count_flags_refuses_unknown_flags_and_no_levels():
    with pytest.raises(wb.DataError, match=r"Column 'flag' holds \['outside'\] in 1 of 6 rows"):
        wb.benchmarks.count_flags(_funnels().assign(flag=["outside"] + ["within"] * 5), levels={"flag": 0.998})
    with pytest.raises(wb.ParameterError, match=r"`levels` names no flag column"):
        wb.benchmarks.count_flags(_funnels(), levels={})
    with pytest.raises(wb.DataError, match=r"Flag column \['flag_outer'\] not found"):
        wb.benchmarks.count_flags(_funnels(), levels={"flag_outer": 0.998})
