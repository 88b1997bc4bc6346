"""The sending-plan figures: one function each, returning a figure, never drawing suppressed rows."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from workbench.errors import DataError
from workbench.reports.plots import (
    plot_burden,
    plot_expected_vs_required,
    plot_r_indicators,
    plot_rates,
    plot_rule_effects,
)


def labels(fig):
    return [t.get_text() for t in fig.axes[0].get_yticklabels()]


def test_expected_vs_required_draws_intervals_and_skips_suppressed_rows():
    check = pd.DataFrame({"unit": ["A", "B", "C"], "period": "2025H1", "responses_needed": [50, 50, 50],
                          "expected": [60.0, 20.0, np.nan], "ci_low": [45.0, 12.0, np.nan], "ci_high": [75, 29, np.nan],
                          "expected_current": [30.0, 10.0, np.nan], "status": ["ok", "infeasible", "ok"],
                          "suppressed": [False, False, True]})
    fig = plot_expected_vs_required(check, title="t")
    assert labels(fig) == ["A · 2025H1", "B · 2025H1"]
    assert {t.get_text() for t in fig.axes[0].get_legend().get_texts()} == {
        "planned rates (95% interval)", "infeasible", "today's rates", "responses needed"}
    plt.close(fig)
    with pytest.raises(DataError, match=r"Column \['ci_low'\] not found"):
        plot_expected_vs_required(check.drop(columns="ci_low"))


def test_burden_draws_the_range_over_draws_and_hides_suppressed_counts():
    draw = pd.DataFrame({"invitations": [0, 1, 2, 3], "share": [0.6, 0.3, 0.1, np.nan],
                         "suppressed": [False, False, False, True]})
    other = draw.assign(share=[0.5, 0.35, 0.15, np.nan])
    fig = plot_burden({"today": [draw, other]}, cap=4)
    bars = fig.axes[0].patches
    assert len(bars) == 3 and bars[0].get_height() == pytest.approx(0.55)
    plt.close(fig)


def test_r_indicators_rule_effects_and_rates_figures():
    cats = pd.DataFrame({"variable": ["age_group"] * 2, "category": ["18-34", "75+"],
                         "partial_unconditional": [0.02, -0.03], "partial_conditional": [0.01, 0.02]})
    fig = plot_r_indicators(cats, r_indicator=0.9)
    assert fig.axes[0].get_title().endswith("(R = 0.900)")
    effects = pd.DataFrame({"rule": ["cooldown", "cap", "all rules"], "removed": [100, 5, 0],
                            "responses_removed": [20.0, 1.0, 0.0]})
    fig2 = plot_rule_effects(effects)
    assert labels(fig2) == ["cap", "cooldown"]
    rates = pd.DataFrame({"unit": ["A", "A"], "touchpoint": ["x", "y"], "current_rate": [0.1, 0.5], "rate": [0.4, 0.0]})
    fig3 = plot_rates(rates)
    assert labels(fig3) == ["A · x", "A · y"]
    for f in (fig, fig2, fig3):
        plt.close(f)
