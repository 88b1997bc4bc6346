"""Case-mix adjustment: a pure respondent-mix difference is removed."""

import numpy as np
import pandas as pd

from workbench import benchmarks as B


def test_case_mix_adjustment_removes_a_pure_mix_difference():
    rng = np.random.default_rng(5)
    rows = []
    for unit, old_share in (("young unit", 0.1), ("old unit", 0.9)):
        old = rng.random(3000) < old_share
        latent = 7 + 1.5 * old + rng.normal(0, 1.5, 3000)  # age effect only, no unit effect
        rows.append(pd.DataFrame({"unit": unit, "age": np.where(old, "75+", "18-34"),
                                  "nps": np.clip(np.round(latent), 0, 10).astype(int)}))
    data = pd.concat(rows, ignore_index=True)
    out = B.case_mix_adjust(data, "nps", unit="unit", adjusters=["age"]).set_index("unit")
    raw_gap = out.loc["old unit", "raw"] - out.loc["young unit", "raw"]
    adjusted_gap = out.loc["old unit", "adjusted"] - out.loc["young unit", "adjusted"]
    assert raw_gap > 20 and abs(adjusted_gap) < 4
