"""Target proposals: verifiability at the planned n."""

import numpy as np
import pandas as pd
import pytest

from workbench import benchmarks as B


def test_propose_targets_flags_unverifiable_targets():
    res = pd.DataFrame({"service": ["x"] * 6, "unit": list("abcdef"), "n": [100] * 6,
                        "estimate": [10.0, 20, 30, 31, 40, 50], "se": [8.0] * 6})
    out = B.propose_targets(res, "nps", unit="unit", by="service", planned_n=100)
    c = out[out["unit"] == "c"].set_index("option")
    d = out[out["unit"] == "d"].set_index("option")
    assert d.loc["peer median", "status"] == "already reached"  # median 30.5 <= baseline 31
    assert set(out["option"]) == {"peer median", "top quartile", "ABC", "baseline + MDI"}
    mdi = c.loc["top quartile", "mdi"]
    assert mdi == pytest.approx((1.959963984540054 + 0.8416212335729143) * np.sqrt(2 * 100 * 64 / 100))
    row = c.loc["top quartile"]
    assert not row["verifiable"] and row["n_to_verify"] > 100
    assert c.loc["baseline + MDI", "verifiable"]
