"""The open-feedback figures: drawn from published tables, in the report's language, every interval drawn,
every theme and group shown or named, an alternative text that states the finding."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import workbench.reports.plots.text as plots  # noqa: E402
from workbench.errors import DataError, ParameterError  # noqa: E402
from workbench.reports import catalogue, publish  # noqa: E402
from workbench.reports.plots.common import PALETTE  # noqa: E402

EN = catalogue("en")
NAMES = {"access": "Access to care", "phone": "Phone service"}


def _published(table, name, **options):
    return publish(table, name, language="en", min_n=5, show=False, **options)


def _shares():
    """Theme shares per service as page.table publishes them: one service has 3 comments."""
    rows = []
    for service, n in (("imaging", 40), ("emergency department", 60), ("oral health", 3)):
        for theme, share in (("access", 30.0), ("phone", 10.0)):
            rows.append((service, theme, n, round(n * share / 100), share, share - 5, share + 5))
    table = pd.DataFrame(rows, columns=["service", "theme", "comments", "mentions", "estimate", "ci_low", "ci_high"])
    return _published(table, "themes_by_service", n="comments", keys=["service", "theme"], within=["theme"],
                      unit="percent")


def _texts(fig):
    found = [t.get_text() for t in fig.texts] + [ax.get_title() for ax in fig.axes] + \
        [ax.get_xlabel() for ax in fig.axes] + [ax.get_ylabel() for ax in fig.axes]
    found += [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
    if fig._suptitle is not None:
        found.append(fig._suptitle.get_text())
    if fig._supxlabel is not None:
        found.append(fig._supxlabel.get_text())
    return found


def test_theme_shares_are_drawn_from_the_published_table_never_the_hidden_group():
    shown = _shares()
    assert shown.frame.loc[shown.frame["service"] == "oral health", "estimate"].isna().all()  # hidden by publish
    fig = plots.plot_theme_shares(shown.frame, by="service", labels=NAMES, language="en", level=0.95)
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    # complementary suppression hides the smallest other service too: a total of the theme would reveal it
    assert titles == ["emergency department"]
    assert fig.texts[-1].get_text() == EN("plots.themes_hidden", names="imaging, oral health")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Phone service", "Access to care"]
    assert fig.workbench_alt == EN("plots.alt_theme_shares_by", groups=1, theme="Access to care",
                                   group="emergency department", share="30.0%", low="25.0%", high="35.0%", hidden=2)
    plt.close(fig)


def test_every_theme_is_on_every_panel_and_the_interval_is_drawn():
    table = pd.DataFrame({"theme": ["access", "phone", "costs"], "comments": 100, "mentions": [30, 10, 0],
                          "estimate": [30.0, 10.0, 0.0], "ci_low": [21.0, 5.5, 0.0], "ci_high": [40.0, 17.0, 3.7]})
    fig = plots.plot_theme_shares(_published(table, "themes", n="comments", keys=["theme"]).frame, labels=NAMES)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["costs", "Phone service", "Access to care"]
    bars = [c for c in ax.collections if len(c.get_segments()) == 3]
    assert bars and np.allclose(sorted(s[1][0] - s[0][0] for s in bars[0].get_segments()), [3.7, 11.5, 19.0])
    assert ax.get_xlabel() == "" and fig._supxlabel.get_text() == EN(
        "plots.with_interval", axis=EN("plots.theme_share_axis"), level="95%")
    assert fig.workbench_alt.startswith("Access to care is mentioned most often, in 30.0% of the comments (21.0% to 40.0%)")
    plt.close(fig)


def test_figures_take_the_language_and_refuse_an_unknown_one():
    table = _shares().frame
    fig = plots.plot_theme_shares(table, by="service", language="en")
    assert EN("plots.theme_share_axis") in fig._supxlabel.get_text()
    plt.close(fig)
    with pytest.raises(ParameterError, match=r"Unknown report language 'xx'; valid: fi, sv, en"):
        plots.plot_theme_shares(table, by="service", language="xx")


def _tone():
    rows = []
    for theme, shares in (("access", (20.0, 50.0, 20.0, 10.0)), ("phone", (40.0, 30.0, 20.0, 10.0))):
        for tone, share in zip(("positive", "negative", "mixed", "neutral"), shares):
            rows.append((theme, tone, 40, round(40 * share / 100), share, share - 8, share + 8))
    rows += [("costs", tone, 3, 1, 33.3, 5.0, 80.0) for tone in ("positive", "negative", "mixed", "neutral")]
    table = pd.DataFrame(rows, columns=["theme", "tone", "comments", "tone_comments", "estimate", "ci_low", "ci_high"])
    return _published(table, "tone", n="comments", keys=["theme", "tone"], within=["theme"]).frame


def test_tone_is_in_the_language_sorted_by_the_negative_share_and_names_hidden_themes():
    fig = plots.plot_theme_tone(_tone(), labels=NAMES, language="en", level=0.9)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Phone service", "Access to care"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [EN.value("tone", t) for t in
                                                                   ("negative", "mixed", "neutral", "positive")]
    assert {p.get_facecolor()[:3] for p in ax.patches} <= {matplotlib.colors.to_rgb(c) for c in PALETTE}
    assert "whisker: 90% interval of the negative share" in ax.get_xlabel()
    assert fig.texts[-1].get_text() == EN("plots.themes_hidden", names="costs")
    assert fig.workbench_alt == EN("plots.alt_tone", theme="Access to care", share="50.0%", low="42.0%", high="58.0%",
                                   least="Phone service", least_share="30.0%")
    plt.close(fig)


def test_impact_importance_trends_and_topics_draw_intervals_and_state_the_finding():
    impact = pd.DataFrame({"theme": ["phone", "access", "costs"], "mentions": [50, 80, 2],
                           "nps_mentioned": [-20.0, 5.0, -50.0], "nps_not_mentioned": [12.0, 10.0, 9.0],
                           "impact": [-3.0, 1.0, -0.5], "ci_low": [-4.0, 0.2, -1.0], "ci_high": [-2.0, 1.8, 0.0]})
    fig = plots.plot_nps_impact(_published(impact, "nps_impact", n="mentions", keys=["theme"],
                                           complementary=False).frame, labels=NAMES)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Access to care", "Phone service"]
    assert [p.get_facecolor()[:3] for p in fig.axes[0].patches] == [matplotlib.colors.to_rgb(c) for c in PALETTE[2:0:-1]]
    assert EN("plots.association") in fig.texts[-1].get_text() and "costs" in fig.texts[-1].get_text()
    assert fig.workbench_alt == EN("plots.alt_impact", theme="Phone service", impact="-3.0", low="-4.0", high="-2.0",
                                   lower=1, themes=2, higher=1)
    importance = pd.DataFrame({"theme": ["phone", "access"], "mentions": [50, 80], "r2_share": [0.02, 0.01],
                               "r2_low": [0.01, 0.0], "r2_high": [0.03, 0.02], "share_of_r2": [2 / 3, 1 / 3]})
    fig2 = plots.plot_importance(_published(importance, "importance", n="mentions", keys=["theme"]).frame, r2=0.03,
                                 labels=NAMES)
    assert fig2.axes[0].get_title() == EN("plots.importance_title", r2="3.0%")
    assert fig2.workbench_alt.startswith("Phone service explains the largest share of the score's variance: 2.0%")
    months = [f"2026-{m:02d}" for m in range(1, 7)]
    trends = pd.DataFrame({"theme": "phone", "month": months, "comments": [50, 50, 50, 50, 50, 3],
                           "estimate": [10.0, 12, 9, 11, 30, 10], "center": 13.0, "limit_low": 0.0, "limit_high": 27.0,
                           "signal": ["", "", "", "", "beyond limits", ""]})
    published = _published(trends, "trends", n="comments", keys=["theme", "month"], within=["theme"])
    fig3 = plots.plot_theme_trends(published.frame, labels=NAMES)
    red = fig3.axes[0].collections[-1].get_offsets()
    assert np.allclose(red, [[4, 30]])  # the signal, in its month's position
    assert len(fig3.axes[0].get_lines()[0].get_xdata()) == 4  # the month with 3 comments and its complement hidden
    assert fig3.workbench_alt == EN("plots.alt_trends", themes=1, periods=6, signals=1, where="Phone service (2026-05)")
    topics = pd.DataFrame({"topic": ["emerging_2", "emerging_1"], "comments": [40, 3], "estimate": [20.0, 1.5],
                           "ci_low": [15.0, 0.5], "ci_high": [26.0, 4.4],
                           "top_lemmas": ["taksi, kyyti, soittakaa 040 765 4321", "x"]})
    shown = _published(topics, "topics", n="comments", keys=["topic"], complementary=False)
    fig4 = plots.plot_emerging(shown.frame, labels={"emerging_2": "New topic 1"})
    assert [t.get_text() for t in fig4.axes[0].get_yticklabels()] == ["New topic 1: taksi, kyyti, soittakaa [phone]"]
    assert "040" not in fig4.workbench_alt and fig4.workbench_alt.startswith("New topic 1 is the largest new topic: 20.0%")
    for f in (fig, fig2, fig3, fig4):
        assert f.workbench_alt and all("{" not in text for text in _texts(f))
        plt.close(f)


def test_missing_columns_are_named():
    with pytest.raises(DataError, match=r"Column \['ci_low', 'ci_high'\] not found"):
        plots.plot_nps_impact(pd.DataFrame({"theme": ["a"], "impact": [1.0]}))
    with pytest.raises(DataError, match=r"Column \['r2_low', 'r2_high'\] not found"):
        plots.plot_importance(pd.DataFrame({"theme": ["a"], "r2_share": [0.1]}), r2=0.1)


def test_a_panel_above_an_empty_slot_keeps_its_month_labels():
    months = [f"2026-{m:02d}" for m in range(1, 7)]
    rows = [(theme, month, 50, 10.0 + k, 13.0, 0.0, 27.0, "") for theme in ("a", "b", "c", "d", "e")
            for k, month in enumerate(months)]
    table = pd.DataFrame(rows, columns=["theme", "month", "comments", "estimate", "center", "limit_low", "limit_high",
                                        "signal"])
    fig = plots.plot_theme_trends(_published(table, "trends", n="comments", keys=["theme", "month"]).frame)
    fig.canvas.draw()
    labelled = [any(t.get_visible() and t.get_text() for t in ax.get_xticklabels()) for ax in fig.axes]
    # 5 themes in 3 columns: the sixth slot is empty, so the third panel of the first row shows its months
    assert [ax.get_visible() for ax in fig.axes] == [True] * 5 + [False]
    assert labelled[:5] == [False, False, True, True, True]
    plt.close(fig)


@pytest.mark.parametrize(("top", "expected"), [(18.0, ["0%", "5%", "10%", "15%"]), (3.7, ["0%", "1%", "2%", "3%"]),
                                               (1.8, ["0.0%", "0.5%", "1.0%", "1.5%"])])
def test_percent_ticks_are_exact_and_never_repeat(top, expected):
    table = pd.DataFrame({"theme": ["access"], "comments": [100], "mentions": [10], "estimate": [top / 2],
                          "ci_low": [0.0], "ci_high": [top]})
    fig = plots.plot_theme_shares(_published(table, "themes", n="comments", keys=["theme"]).frame)
    ax = fig.axes[0]
    ax.set_xlim(0, top)
    fig.canvas.draw()
    shown = [t.get_text() for t in ax.get_xticklabels() if 0 <= t.get_position()[0] <= top]
    assert shown == expected
    plt.close(fig)
