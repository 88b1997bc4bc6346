"""Results tables: bad input to every benchmark, labels that follow unsorted rows."""

import pandas as pd
import pytest

import workbench as wb
from workbench import benchmarks as B


@pytest.mark.parametrize("call, error, match", [
    (lambda r: B.achievable_benchmark(r.head(3), "nps", by=None), wb.DataError,
     r"Group \(all\) has 3 units; a benchmark needs at least 5"),
    (lambda r: B.funnel(r.assign(n=[10, 0, 5, 5, 5, 5]), metric="nps"), wb.DataError,
     r"Column 'n' must hold positive respondent counts; 1 of 6 units have \[0\]"),
    (lambda r: B.funnel(r.drop(columns="n"), metric="nps"), wb.DataError, r"Results column \['n'\] not found"),
    (lambda r: B.funnel(r, metric="nps", confidence=1.5), wb.ParameterError, r"`confidence` must be between 0 and 1"),
    (lambda r: B.funnel(r, metric="nps", overdispersion="auto-ish"), wb.ParameterError,
     r"Unknown `overdispersion` 'auto-ish'; valid: 'auto', 'additive', 'multiplicative', 'none'"),
    (lambda r: B.control_chart(pd.DataFrame({"month": ["a", "b"], "nps": [1, 2]}), "nps", time="month", chart="xbar"),
     wb.ParameterError, r"Unknown `chart` 'xbar'; valid: 'p', 'laney'"),
    (lambda r: B.benchmark_value(r, "nps", rule="best"), wb.ParameterError,
     r"Unknown `rule` 'best'; valid: 'pooled', 'median', 'top quartile', 'abc'"),
    (lambda r: B.peer_benchmarks(r, by=None, percentiles=[50, 100]), wb.ParameterError,
     r"`percentiles` must lie strictly between 0 and 100"),
    (lambda r: B.shrink(r.assign(estimate=[1.0, None, 3, 4, 5, 6]), "nps", by=None), wb.DataError,
     r"Column 'estimate' has 1 missing values"),
])
def test_bad_input(call, error, match):
    results = pd.DataFrame({"unit": list("abcdef"), "n": [10, 20, 30, 40, 50, 60],
                            "estimate": [10.0, 20, 30, 40, 50, 60], "se": [9.0] * 6})
    with pytest.raises(error, match=match):
        call(results)


def test_group_labels_follow_the_rows_when_results_are_not_sorted():
    res = pd.DataFrame({"service": ["z"] * 5 + ["a"] * 5, "unit": list("abcdefghij"), "n": [50] * 10,
                        "estimate": [90.0] * 5 + [10.0] * 5, "se": [5.0] * 10})
    medians = B.peer_benchmarks(res, by="service", rng=1, percentiles=[50]).set_index("service")["value"]
    assert medians.to_dict() == {"a": 10.0, "z": 90.0}
    abc = B.achievable_benchmark(res, "nps", by="service").set_index("service")["abc"]
    assert abc.to_dict() == {"a": 10.0, "z": 90.0}
    shrunk = B.shrink(res, "nps", by="service", rng=1)
    assert (shrunk.loc[shrunk["service"] == "z", "estimate"] > 80).all()
