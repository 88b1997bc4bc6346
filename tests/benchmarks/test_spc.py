"""Control charts: limits and signals, and agreement with qcc and qicharts2."""

import numpy as np
import pandas as pd
import pytest

from workbench import benchmarks as B
from conftest import read_reference


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


def _responses_from_counts(part):
    """One 0/1 answer per inspected item: x 'yes' (nonconforming) and n - x 'no' per period."""
    rows = []
    for order, (x, n) in enumerate(zip(part["x"], part["n"])):
        rows.append(pd.DataFrame({"period": order, "fcr": ["yes"] * int(x) + ["no"] * int(n - x)}))
    return pd.concat(rows, ignore_index=True)


@pytest.mark.parametrize("dataset", ["orangejuice_trial", "orangejuice_all", "cabg_readmission"])
def test_p_and_laney_charts_agree_with_qcc_and_qicharts2(dataset):
    ref = read_reference("control_charts.csv")
    part = ref[ref["dataset"] == dataset].reset_index(drop=True)
    data = _responses_from_counts(part)
    p_chart = B.control_chart(data, "fcr", time="period", chart="p")
    np.testing.assert_allclose(p_chart["center"], 100 * part["qcc_center"], rtol=1e-9)
    np.testing.assert_allclose(p_chart["limit_low"], 100 * part["qcc_lcl"].clip(lower=0), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(p_chart["limit_high"], 100 * part["qcc_ucl"].clip(upper=1), rtol=1e-9)
    assert (p_chart["signal"].str.contains("beyond limits") == part["qcc_beyond"]).all()
    laney = B.control_chart(data, "fcr", time="period", chart="laney")
    np.testing.assert_allclose(laney["limit_low"], 100 * part["laney_lcl"], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(laney["limit_high"], 100 * part["laney_ucl"].clip(upper=1), rtol=1e-9)
