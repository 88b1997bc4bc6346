import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import workbench as wb  # noqa: E402
import workbench.reports.plots.text as plots  # noqa: E402


def _prevalence():
    rows = []
    for service, n in (("imaging", 40), ("ed", 60), ("tiny", 3)):
        for theme, share in (("access", 30.0), ("phone", 10.0)):
            rows.append((service, theme, n, share, share - 5, share + 5, 0.95))
    table = pd.DataFrame(rows, columns=["service", "theme", "n", "estimate", "ci_low", "ci_high", "confidence"])
    return wb.suppress(table, min_n=5, within="theme")


def _drawn_points(fig):
    return sum(len(line.get_xdata()) for ax in fig.axes for line in ax.get_lines())


def test_theme_shares_never_draw_suppressed_groups():
    fig = plots.plot_theme_shares(_prevalence(), by="service")
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert titles == ["ed"] and "imaging" in fig.texts[-1].get_text() and "tiny" in fig.texts[-1].get_text()


def test_every_figure_returns_a_figure_with_intervals():
    tone = pd.DataFrame({"theme": ["phone"] * 4, "tone": ["positive", "negative", "mixed", "neutral"], "n": 40,
                         "estimate": [20.0, 50.0, 20.0, 10.0], "ci_low": [10.0, 40.0, 10.0, 5.0],
                         "ci_high": [30.0, 60.0, 30.0, 20.0], "confidence": 0.95})
    impact = pd.DataFrame({"theme": ["phone", "respect"], "impact": [-3.0, 1.0], "ci_low": [-4.0, 0.2],
                           "ci_high": [-2.0, 1.8], "confidence": 0.95})
    importance = pd.DataFrame({"theme": ["phone", "respect"], "r2_share": [0.02, 0.01], "ci_low": [0.01, 0.0],
                               "ci_high": [0.03, 0.02], "r2": 0.03, "confidence": 0.95})
    months = [f"2026-{m:02d}" for m in range(1, 7)]
    trends = pd.DataFrame({"theme": "phone", "time": months, "n": 50, "estimate": [10.0, 12, 9, 11, 30, 10],
                           "center": 13.0, "limit_low": 0.0, "limit_high": 27.0,
                           "signal": ["", "", "", "", "beyond limits", ""], "chart": "p"})
    topics = pd.DataFrame({"topic": ["emerging_1"], "n": [40], "share": [20.0], "ci_low": [15.0], "ci_high": [26.0],
                           "top_lemmas": ["taksi, kyyti"]})
    figures = [plots.plot_theme_tone(tone), plots.plot_nps_impact(impact), plots.plot_importance(importance),
               plots.plot_theme_trends(trends), plots.plot_emerging(topics)]
    for fig in figures:
        assert isinstance(fig, matplotlib.figure.Figure) and _drawn_points(fig) + len(fig.axes[0].collections) > 0
    assert any("not causes" in t.get_text() for t in figures[1].texts)
    assert np.isclose(figures[3].axes[0].collections[-1].get_offsets()[:, 1], 30).all()  # the signal in red


def test_missing_columns_are_named():
    import pytest

    from workbench.errors import DataError
    with pytest.raises(DataError, match=r"Column \['ci_low', 'ci_high'\] not found"):
        plots.plot_nps_impact(pd.DataFrame({"theme": ["a"], "impact": [1.0]}))
