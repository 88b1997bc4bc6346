"""The sending-plan figures: one function each, in the report's language, every unit drawn, uncertainty where
there is one, and never a suppressed row."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from workbench.errors import DataError, ParameterError
from workbench.reports import i18n
from workbench.reports.plots import (
    plot_burden,
    plot_expected_vs_required,
    plot_r_indicators,
    plot_rates,
    plot_rule_effects,
)
from workbench.reports.plots.common import PALETTE


@pytest.fixture
def finnish(monkeypatch):
    """A stand-in Finnish catalogue: the English messages marked, so that a test sees where words come from."""
    english = i18n._load("en")
    marked = {k: ("FI " + v if isinstance(v, str) and k.startswith(("plots.", "values.")) else v)
              for k, v in english.items()}
    monkeypatch.setattr(i18n, "_load", lambda language: marked if language == "fi" else english)
    return "fi"


def labels(fig):
    return [t.get_text() for t in fig.axes[0].get_yticklabels()]


def legend(fig):
    return [t.get_text() for t in fig.legends[0].get_texts()] if fig.legends else \
        [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def check_table(rows=3):
    units = [f"U{i:02d}" for i in range(rows)]
    return pd.DataFrame({"unit": units, "period": "2025H1", "persons": 50.0, "responses_needed": 50.0,
                         "expected_planned": 60.0, "ci_low": 45.0, "ci_high": 75.0, "expected_current": 30.0,
                         "status": "ok", "suppressed": False})


def test_expected_vs_required_draws_every_unit_with_its_interval_and_no_hidden_row():
    check = check_table(3)
    check.loc[1, ["expected_planned", "ci_low", "ci_high", "status"]] = [20.0, 12.0, 29.0, "infeasible"]
    check.loc[2, ["persons", "expected_planned", "ci_low", "ci_high", "expected_current"]] = np.nan
    check.loc[2, "suppressed"] = True
    fig = plot_expected_vs_required(check, language="en", confidence=0.9, title="t")
    assert labels(fig) == ["U01 · 2025H1", "U00 · 2025H1"]
    assert sorted(legend(fig)) == ["expected with the optimised rates (90% interval)", "expected with today's rates",
                                   "no rate can serve the unit (90% interval)", "responses needed"]
    # the intervals: one error bar per drawn row, from ci_low to ci_high
    segments = [s for c in fig.axes[0].collections for s in getattr(c, "get_segments", lambda: [])()
                if len(s) == 2 and s[0][1] == s[1][1]]
    assert sorted((round(a[0]), round(b[0])) for a, b in segments) == [(12, 29), (45, 75)]
    assert fig.axes[0].get_title(loc="left") == "t\n1 row hidden: too few persons"
    assert fig.workbench_alt == ("2 unit-periods drawn: 0 are expected to reach their need with today's rates and 1 "
                                 "with the optimised rates; no rate can serve: U01. Hidden as too small: 1.")
    plt.close(fig)
    with pytest.raises(DataError, match=r"Column \['ci_low'\] not found"):
        plot_expected_vs_required(check.drop(columns="ci_low"))


def test_expected_vs_required_shows_every_unit_and_marks_values_beyond_the_axis():
    check = check_table(120)
    check.loc[7, "expected_current"] = 700.0  # far above the need: marked at the edge with its value
    fig = plot_expected_vs_required(check, language="en")
    assert len(labels(fig)) == 120  # no truncation
    assert fig.axes[0].get_xlim()[1] < 700 and "700" in [t.get_text() for t in fig.axes[0].texts]
    assert "expected with today's rates, beyond the axis (value shown)" in legend(fig)
    plt.close(fig)


def test_figures_take_their_words_and_numbers_from_the_language(finnish):
    check = check_table(2)
    check.loc[0, "expected_current"] = 1234.4
    fig = plot_expected_vs_required(check, language=finnish)
    assert fig.axes[0].get_xlabel() == "FI responses per reporting period"
    assert "1\u00a0234" in [t.get_text() for t in fig.axes[0].texts]  # Finnish digit grouping (CLDR)
    assert fig.workbench_alt.startswith("FI 2 unit-periods drawn")
    plt.close(fig)
    rates = pd.DataFrame({"unit": ["Kainuu / imaging"], "touchpoint": ["journey end"], "current_rate": [0.5],
                          "rate": [0.25]})
    fig = plot_rates(rates, language=finnish)
    assert labels(fig) == ["Kainuu / FI imaging · FI end of a journey"]  # a sample unit's service part too
    assert "40\u00a0%" in [t.get_text() for t in fig.axes[0].get_xticklabels()]
    plt.close(fig)
    with pytest.raises(ParameterError, match=r"Unknown report language 'de'"):
        plot_rates(rates, language="de")


def test_burden_draws_mean_and_range_over_draws_and_hides_suppressed_counts():
    rows = []
    for scenario, shares in (("today", [[0.6, 0.3, 0.1, np.nan], [0.5, 0.35, 0.15, np.nan]]),
                             ("optimised", [[0.7, 0.25, 0.05, np.nan], [0.7, 0.25, 0.05, np.nan]])):
        for draw, values in enumerate(shares, 1):
            rows += [(scenario, draw, k, v, bool(np.isnan(v))) for k, v in enumerate(values)]
    draws = pd.DataFrame(rows, columns=["scenario", "draw", "invitations", "share_of_persons", "suppressed"])
    fig = plot_burden(draws, cap=4, language="en")
    bars = fig.axes[0].patches
    assert len(bars) == 6  # 3 counts x 2 scenarios: the hidden count of 3 invitations is not drawn
    assert bars[0].get_height() == pytest.approx(0.55) and bars[0].get_facecolor()[:3] == pytest.approx(
        tuple(int(PALETTE[0][i:i + 2], 16) / 255 for i in (1, 3, 5)))
    assert legend(fig) == ["cap: 4", "today's rates (mean and range of 2 draws)",
                           "optimised rates (mean and range of 2 draws)"]
    assert fig.workbench_alt == ("Persons with a contact invited at least once: today's rates 45.0%; optimised rates "
                                 "30.0%. Nobody shown gets more than 2 invitations.")
    assert fig.axes[0].get_title(loc="left") == "4 rows hidden: too few persons"
    plt.close(fig)


def test_r_indicators_rule_effects_and_rates_skip_hidden_rows_and_say_so():
    cats = pd.DataFrame({"variable": ["age_group", "age_group", "language"], "category": ["18-34", "75+", "sv"],
                         "partial_unconditional": [0.02, -0.03, np.nan], "partial_conditional": [0.01, 0.02, np.nan],
                         "suppressed": [False, False, True]})
    fig = plot_r_indicators(cats, r_indicator=0.9, language="en", title="R")
    assert labels(fig) == ["age group: 75+", "age group: 18-34"]
    assert fig.axes[0].get_title(loc="left") == "R (R = 0.900)\n1 row hidden: too few persons"
    assert fig.workbench_alt == ("Of 2 categories, age group: 75+ is the most under-invited (-0.030) and age group: "
                                 "18-34 the most over-invited (0.020).")
    effects = pd.DataFrame({"rule": ["cooldown", "cap", "exclusion: deceased"], "removed": [100, np.nan, 5],
                            "responses_removed": [20.0, np.nan, 1.0], "suppressed": [False, True, False]})
    fig2 = plot_rule_effects(effects, language="en")
    assert labels(fig2) == ["exclusion of deceased persons", "cooldown after an invitation"]
    assert fig2.workbench_alt == ("Of 2 rules, cooldown after an invitation removes the most invitations: 100, with 20 "
                                  "expected responses.")
    rates = pd.DataFrame({"unit": ["A", "A", "B"], "touchpoint": ["x", "y", "x"], "current_rate": [0.1, 0.5, np.nan],
                          "rate": [0.4, 0.0, np.nan], "suppressed": [False, False, True]})
    fig3 = plot_rates(rates, language="en")
    assert labels(fig3) == ["A · y", "A · x"]
    assert fig3.workbench_alt == ("2 units and touchpoints drawn: the optimised plan raises 1 rates and lowers 1. "
                                  "Hidden as too small: 1.")
    for f in (fig, fig2, fig3):
        plt.close(f)
