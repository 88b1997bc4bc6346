"""Benchmarks and targets: ABC reference, funnel false-alarm rates, shrinkage against known truth."""

import numpy as np
import pandas as pd
import pytest

from workbench import benchmarks as B


def test_p_chart_limits_and_signals():
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    yes = [60, 60, 60, 60, 62, 63, 64, 65, 66, 67, 95, 60]
    rows = [(m, 1 if i < y else 0) for m, y in zip(months, yes) for i in range(100)]
    data = pd.DataFrame(rows, columns=["month", "fcr"])
    chart = B.control_chart(data, "fcr", time="month", chart="p")
    center = np.mean(yes)
    assert chart["center"].iloc[0] == pytest.approx(center)
    assert chart["limit_high"].iloc[0] == pytest.approx(center + 3 * np.sqrt(center * (100 - center) / 100))
    assert "beyond limits" in chart.loc[10, "signal"]
    assert "trend of 6" in chart.loc[9, "signal"]
    laney = B.control_chart(data, "fcr", time="month", chart="laney")
    assert (laney["limit_high"] - laney["limit_low"]).iloc[0] != pytest.approx((chart["limit_high"] - chart["limit_low"]).iloc[0])
