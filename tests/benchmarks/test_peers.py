"""Peer benchmarks: the ABC hand-worked example, seeded percentiles, benchmark rules."""

import numpy as np
import pandas as pd
import pytest

from workbench import benchmarks as B
from conftest import read_reference


def test_abc_hand_worked_example():
    ref = read_reference("abc_example.csv")
    results = pd.DataFrame({"unit": ref["unit"], "n": ref["n"], "estimate": 100 * ref["x"] / ref["n"]})
    abc = B.achievable_benchmark(results, "csat", by=None).iloc[0]
    assert abc["abc"] == pytest.approx(100 * 214 / 260)
    assert abc["units_in_benchmark"] == ref["in_benchmark"].sum() and abc["n_in_benchmark"] == 260


def test_peer_benchmarks_are_seeded():
    res = pd.DataFrame({"service": ["x"] * 10, "n": [50] * 10, "estimate": np.arange(10.0) * 10})
    a = B.peer_benchmarks(res, rng=4)
    pd.testing.assert_frame_equal(a, B.peer_benchmarks(res, rng=4))
    assert a.loc[a["percentile"] == 50, "value"].iloc[0] == pytest.approx(45.0)
    assert (a["ci_low"] <= a["value"]).all() and (a["value"] <= a["ci_high"]).all()


def test_benchmark_rules():
    res = pd.DataFrame({"n": [100, 300, 100, 100, 400], "estimate": [10.0, 20, 30, 40, 50]})
    assert B.benchmark_value(res, "nps", rule="pooled") == pytest.approx((1000 + 6000 + 3000 + 4000 + 20000) / 1000)
    assert B.benchmark_value(res, "nps", rule="median") == 30.0
    assert B.benchmark_value(res, "nps", rule="top quartile") == 40.0
    assert B.benchmark_value(res, "nps", rule="abc") == pytest.approx(50.0)
