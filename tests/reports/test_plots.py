"""Figures: every unit drawn or the omission stated, legends clear of labels, wording on the axes."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import workbench as wb  # noqa: E402
from workbench.reports import plots  # noqa: E402


@pytest.fixture
def plan():
    areas = [f"area {i}" for i in range(22)]
    services = [f"service {j}" for j in range(5)]
    rng = np.random.default_rng(3)
    touchpoints = pd.DataFrame([(a, s, a + " / " + s, int(rng.integers(300, 12000))) for a in areas for s in services],
                               columns=["area", "service", "unit", "customers_per_year"])
    return wb.measurement_plan(touchpoints, "nps", moe=10, period="quarter", response_rate=0.15, fatigue_cap=0.5)


def test_the_plan_grid_draws_every_touchpoint(plan):
    assert (plan["status"] != "ok").sum() > 60  # more than the 60 bars the old chart managed
    fig = plots.plot_measurement_plan(plan, label="area", by="service", fatigue_cap=0.5)
    ax = fig.axes[0]
    cells = [t for t in ax.texts if "%" in t.get_text()]
    assert len(cells) == len(plan)
    assert f"All {len(plan)} touchpoints are drawn" in fig.workbench_alt
    assert [t.get_text() for t in ax.get_yticklabels()] == sorted(plan["area"].unique())
    # shares in percent, as the legend says (issue 14: an axis ran 0–3 under a % label)
    shown = sorted(float(t.get_text().split("%")[0]) for t in cells)
    assert shown[-1] == pytest.approx(round(plan["invite_share"].max() * 100), abs=0.5)
    plt.close(fig)


def test_the_plan_grid_refuses_two_touchpoints_in_one_cell(plan):
    with pytest.raises(wb.DataError, match=r"Columns \['service'\] name 105 of 110 touchpoints twice"):
        plots.plot_measurement_plan(plan, label="service", fatigue_cap=0.5)


def _funnels(hidden=()):
    rng = np.random.default_rng(5)
    results = pd.DataFrame({"service": np.repeat(["a", "b", "c"], 12), "unit": [f"u{i}" for i in range(36)],
                            "n": rng.integers(40, 400, 36)})
    results["estimate"] = rng.normal(60, 8, 36)
    results.loc[3, "estimate"] = 5.0  # far below its peers
    results["se"] = 100 * np.sqrt(0.24 / results["n"])
    inner = wb.funnel(results, metric="csat", confidence=0.95, by="service")
    outer = wb.funnel(results, metric="csat", confidence=0.998, by="service").assign(flag_inner=inner["flag"].to_numpy())
    return wb.suppress(outer, min_n=5, keys=["service", "unit"], hide=[{"unit": u} for u in hidden])


def test_funnels_draw_one_panel_per_group_and_no_hidden_unit():
    table = _funnels(hidden=["u0", "u1"])
    fig = plots.plot_funnels(table, by="service", metric="csat", label="unit")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in panels] == ["a", "b", "c"]
    drawn = sum(len(c.get_offsets()) for ax in panels for c in ax.collections)
    assert drawn == 36 - 2
    assert fig.workbench_alt.startswith("3 funnels, 34 units; 1 outside the 99.8% limits: u3;")
    assert "outside the 95% limits" in fig.workbench_alt
    plt.close(fig)


def test_a_unit_label_leaves_out_its_panel_s_name():
    table = _funnels()
    table["unit"] = table["unit"] + " / " + table["service"]
    fig = plots.plot_funnels(table, by="service", metric="csat", label="unit")
    labels = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "u3" in labels and not any(" / " in text for text in labels)
    plt.close(fig)


def _overlap(a, b):
    return not (a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0)


def test_the_distribution_legend_covers_no_axis_label(small_responses):
    table = wb.stats.answer_distribution(small_responses.rename(columns={"s1": "agreement"}), "agreement", by="unit")
    fig = plots.plot_distribution(wb.suppress(table, min_n=5, keys=["unit", "answer"], within="answer"), "agreement",
                                  by="unit", title="Agreement")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent(renderer)
    labels = [ax.xaxis.label, ax.title] + ax.get_xticklabels() + ax.get_yticklabels()
    assert not any(_overlap(legend, label.get_window_extent(renderer)) for label in labels if label.get_text())
    assert not _overlap(legend, ax.get_window_extent(renderer))
    # don't-know answers are outside the base and counted beside each group's n
    names = [t.get_text() for t in ax.get_yticklabels()]
    base = table.drop_duplicates("unit").set_index("unit")
    assert names == [f"{u} (n = {int(base.loc[u, 'n']):,}; don't know {int(base.loc[u, 'n_dont_know']):,})"
                     for u in base.index]
    plt.close(fig)


def test_the_statement_heatmap_is_labelled_with_the_wording_and_blanks_hidden_cells(small_responses):
    units = np.random.default_rng(2).choice(["a", "b", "c", "d"], len(small_responses))
    data = small_responses.assign(s2=small_responses["s1"][::-1].to_numpy(), unit=units)
    table = wb.statement_summary(data, ["s1", "s2"], by="unit")
    published = wb.suppress(table, min_n=5, keys=["unit", "statement"], within="statement", hide=[{"unit": "a"}])
    wording = {"s1": "I got the service when I needed it", "s2": "I was treated with respect"}
    fig = plots.plot_statement_heatmap(published, by="unit", texts_of=wording)
    ax = fig.axes[0]
    assert [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()] == list(wording.values())
    hidden = published["suppressed"]
    assert "a" in set(published.loc[hidden, "unit"]) and 0 < hidden.sum() < len(published)
    assert [t.get_text() for t in ax.texts].count("–") == hidden.sum()  # a hidden cell shows no value
    assert "“I" in fig.workbench_alt and "s1" not in fig.workbench_alt
    plt.close(fig)
