"""Small-cell suppression: primary and complementary, input untouched."""

import numpy as np
import pandas as pd
import pytest

import workbench as wb


def test_primary_and_complementary_suppression():
    table = pd.DataFrame({"area": ["x", "x", "x", "y", "y"], "unit": list("abcde"),
                          "n": [3, 40, 12, 50, 60], "estimate": [10.0, 20.0, 30.0, 40.0, 50.0]})
    out = wb.suppress(table, min_n=5, within="area")
    assert out["suppressed"].tolist() == [True, False, True, False, False]
    assert out["estimate"].isna().tolist() == [True, False, True, False, False]
    assert np.isnan(out.loc[0, "n"]) and out.loc[2, "n"] == 12
    assert table["estimate"].notna().all()  # input untouched


def test_bad_min_n():
    with pytest.raises(wb.ParameterError, match=r"`min_n` must be a whole number; got 2\.5"):
        wb.suppress(pd.DataFrame({"n": [1]}), min_n=2.5)
