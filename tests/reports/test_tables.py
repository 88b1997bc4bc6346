import numpy as np
import pandas as pd
import pytest

import workbench as wb


def test_format_table_shows_suppressed():
    out = wb.format_table(wb.suppress(pd.DataFrame({"n": [2, 9, 8], "estimate": [1.0, 2.0, 3.0]}), min_n=5), min_n=5)
    # n = 2 is suppressed; n = 8, the smallest other, too (a total would reveal the first)
    assert out["estimate"].tolist() == ["suppressed", "2.0", "suppressed"]
    assert out["n"].tolist() == ["< 5", "9", "8"]
