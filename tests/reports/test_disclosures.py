"""Issue 12's differencing attack on report 03, replayed on a real build of reports 01 and 03.

The data keep 3 responses of one unit and 4 of one area. Before the audit, report 03 published the
area's pooled, equal- and volume-weighted scores (deff × n_eff gave its n back) and the focus area's
overall scores under five schemes beside its unit results, so that the hidden unit's n followed by
subtraction and its NPS of 100 by solving the weighted scores. Here the attacker gets everything the
two reports publish, knows every unit's n and volume (the most an outsider could know), and solves.
"""

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from workbench import reports
import workbench as wb
from conftest import ROOT

SMALL_UNIT = "Kainuu / imaging"
SMALL_AREA = "Itä-Uusimaa"
MIN_N = 5


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("disclosure")
    responses = pd.read_parquet(reports.SAMPLE_DATA)
    unit_rows = responses.index[responses["unit"] == SMALL_UNIT]
    area_rows = responses.index[responses["area"] == SMALL_AREA]
    data = responses.drop(unit_rows[3:]).drop(area_rows[4:])
    data.loc[data["unit"] == SMALL_UNIT, "nps"] = 10  # the planted value the attack recovered
    data.to_parquet(tmp / "responses.parquet")
    study = (ROOT / "data" / "samples" / "study.toml").read_text(encoding="utf-8")
    for name in ("volumes.csv", "population_margins.csv", "framework.toml", "events.parquet", "sending_rules.toml"):
        shutil.copy(ROOT / "data" / "samples" / name, tmp / name)
    (tmp / "study.toml").write_text(study, encoding="utf-8")
    notebooks = tmp / "notebooks"
    notebooks.mkdir()
    for name in ("01_metrics_and_margins", "03_volume_weighting"):
        shutil.copy(ROOT / "notebooks" / f"{name}.ipynb", notebooks / f"{name}.ipynb")
    lines = []
    reports.build(tmp / "out", study=tmp / "study.toml", notebook_dir=notebooks, parameters={"focus": "Kainuu"},
                  progress=lines.append)
    results = {name: json.loads((tmp / "out" / f"{name}.json").read_text(encoding="utf-8"))
               for name in ("01_metrics_and_margins", "03_volume_weighting")}
    return data, results, lines


def _unit_means(data: pd.DataFrame) -> pd.DataFrame:
    return wb.estimate(data, "nps", by=["area", "unit"])[["area", "unit", "n", "estimate"]]


@pytest.mark.slow
def test_the_small_unit_and_area_publish_no_statistic(build):
    _, results, _ = build
    r03 = results["03_volume_weighting"]
    unit_row = next(r for r in r03["contributions"] if r["unit"] == SMALL_UNIT)
    assert all(unit_row[k] is None for k in ("n", "estimate", "ci_low", "ci_high", "weight", "contribution"))
    for table in ("by_area", "sensitivity", "spread"):
        rows = [r for r in r03[table] if r["area"] == SMALL_AREA]
        assert rows, table
        for row in rows:  # no n, and nothing n can be recomputed from (deff × n_eff)
            assert all(v is None for k, v in row.items() if k not in ("area", "scheme", "suppressed", "suppression")), row


@pytest.mark.slow
def test_no_hidden_unit_count_follows_by_subtraction(build):
    data, results, _ = build
    r03 = results["03_volume_weighting"]
    parts = [r for r in r03["contributions"] if r["area"] == "Kainuu"]
    hidden = [r for r in parts if r["n"] is None]
    area_n = {r["n"] for r in r03["sensitivity"] if r["area"] == "Kainuu"} - {None}
    if area_n:  # the area's n minus its published units' must leave at least two hidden units
        assert len(hidden) >= 2
        left = area_n.pop() - sum(r["n"] for r in parts if r["n"] is not None)
        true = _unit_means(data).set_index("unit").loc[[r["unit"] for r in hidden], "n"]
        assert left == true.sum() and min(true) < MIN_N and left - MIN_N * (len(hidden) - 1) >= MIN_N - 1


@pytest.mark.slow
def test_no_hidden_unit_mean_can_be_solved_from_everything_published(build):
    data, results, lines = build
    r01, r03 = results["01_metrics_and_margins"], results["03_volume_weighting"]
    volumes = pd.read_csv(ROOT / "data" / "samples" / "volumes.csv")[["unit", "customers_per_year"]]
    truth = _unit_means(data).set_index("unit")
    published = {r["unit"]: r["estimate"] for r in r03["contributions"] if r["estimate"] is not None}
    published |= {f"{r['area']} / {r['service']}": r["estimate"] for r in r01["estimates"] if r["estimate"] is not None}
    unknown = [u for u in truth.index if u not in published]
    assert SMALL_UNIT in unknown
    column = {u: i for i, u in enumerate(unknown)}
    rows = []
    # every weighted score report 03 publishes: the attacker knows the scheme's weights (volumes, n)
    schemes = {r["scheme"] for r in r03["sensitivity"]}
    for scheme in schemes:
        weights = wb.contributions(data, "nps", unit="unit", scheme=scheme, volumes=volumes, by="area")
        for row in r03["sensitivity"]:
            if row["scheme"] == scheme and row["estimate"] is not None:
                mine = weights[weights["area"] == row["area"]]
                rows.append({column[u]: w for u, w in zip(mine["unit"], mine["weight"]) if u in column})
    for row in r03["by_area"]:
        if row["estimate"] is not None:
            mine = wb.contributions(data, "nps", unit="unit", scheme="volume", volumes=volumes, by="area")
            mine = mine[mine["area"] == row["area"]]
            rows.append({column[u]: w for u, w in zip(mine["unit"], mine["weight"]) if u in column})
    total = r01["overall"][0]
    if total["estimate"] is not None:  # the pooled score of everyone: n-weighted
        rows.append({column[u]: truth.loc[u, "n"] / len(data) for u in unknown})
    matrix = np.array([[row.get(i, 0.0) for i in range(len(unknown))] for row in rows if row]).reshape(-1, len(unknown))
    rank = np.linalg.matrix_rank(matrix) if len(matrix) else 0
    determined = []
    for unit, i in column.items():  # a unit's mean is determined iff its unit vector lies in the row space
        probe = np.vstack([matrix, np.eye(len(unknown))[i]]) if len(matrix) else np.eye(len(unknown))[[i]]
        if np.linalg.matrix_rank(probe) == rank and truth.loc[unit, "n"] < MIN_N:
            determined.append(unit)
    assert not determined, f"means solvable from the published scores: {determined}"
    assert any(line.startswith("audit:") for line in lines)
