"""Detecting change: agreement with R pwr, and detectable difference vs sample size."""

import numpy as np
import pytest

import workbench as wb
from conftest import read_reference


def test_power_calculations_match_r_pwr():
    ref = read_reference("power.csv")
    for row in ref.itertuples():
        if row.kind == "n_share":
            got = wb.sample_size_difference("csat", row.value_in, expected=row.p1, power=row.power)
            assert got == int(np.ceil(row.result)), row
        elif row.kind == "mdd_share":
            got = wb.detectable_difference("csat", row.value_in, expected=row.p1, power=row.power)
            assert got == pytest.approx(row.result, rel=1e-4), row
        elif row.kind == "n_nps_worst":
            assert wb.sample_size_difference("nps", row.value_in, power=row.power) == int(np.ceil(row.result))
        else:
            assert wb.detectable_difference("nps", row.value_in, power=row.power) == pytest.approx(row.result, rel=1e-9)


def test_detectable_difference_and_sample_size_are_inverse():
    n = wb.sample_size_difference("nps", 12, expected=(0.5, 0.2))
    assert wb.detectable_difference("nps", n, expected=(0.5, 0.2)) <= 12
    assert wb.detectable_difference("nps", n - 1, expected=(0.5, 0.2)) > 12
