import pandas as pd
import pytest

import workbench as wb
from workbench.sample_data import PLANTED_UNIT, SAMPLE_AREAS, generate_events, write_events
from workbench.sample_data.__main__ import main
from conftest import ROOT

SAMPLES = ROOT / "data" / "samples"


def test_make_samples_regenerates_every_committed_file_bit_identically(tmp_path):
    main(["--out", str(tmp_path)])
    for name in ("events.parquet", "responses.parquet", "volumes.csv", "population_margins.csv", "README.md"):
        assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes(), name


def test_the_committed_sample_is_small_and_says_synthetic():
    assert (SAMPLES / "events.parquet").stat().st_size < 2_000_000
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    assert "Contact events and sending rules (report 07) — SYNTHETIC" in readme and PLANTED_UNIT in readme


def test_each_unit_has_about_its_yearly_volume():
    events = pd.read_parquet(SAMPLES / "events.parquet")
    volumes = pd.read_csv(SAMPLES / "volumes.csv").set_index("unit")["customers_per_year"]
    counts = events[events["unit"].isin(volumes.index)].groupby("unit").size()
    assert set(events["area"]) == set(SAMPLE_AREAS) and len(counts) == 16
    ratio = counts / volumes.reindex(counts.index)
    assert ratio.between(0.93, 1.07).all(), ratio.round(3).to_dict()
    local = events["timestamp"].dt.tz_convert("Europe/Helsinki")
    assert local.dt.year.value_counts().idxmax() == 2025 and (local.dt.year == 2025).mean() > 0.999


def test_journeys_run_in_a_realistic_order():
    events = pd.read_parquet(SAMPLES / "events.parquet").dropna(subset=["journey_id", "person_id"])
    events = events.sort_values(["journey_id", "timestamp"])
    first = events.groupby("journey_id")["touchpoint"].first()
    last = events.groupby("journey_id")["touchpoint"].last()
    path = first.eq("phone call") & last.eq("follow-up call")
    assert path.sum() > 1000  # phone call -> ... -> follow-up call
    emergency = events[events["journey_id"].isin(first[first == "emergency visit"].index)]
    assert set(emergency["touchpoint"]) == {"emergency visit", "imaging", "follow-up visit"}
    assert (events.groupby("journey_id")["person_id"].nunique() == 1).all()  # a journey is one person's


def test_planted_bad_events_and_the_planted_unit():
    events = pd.read_parquet(SAMPLES / "events.parquet")
    assert events["person_id"].isna().sum() == 6 * len(SAMPLE_AREAS)
    assert (events["timestamp"].dt.year == 2205).sum() == 3 * len(SAMPLE_AREAS)
    assert events["unit"].str.endswith("/ laboratory").sum() == 4 * len(SAMPLE_AREAS)
    per_person = events.groupby("unit")["person_id"].nunique() / events.groupby("unit").size()
    assert per_person.idxmin() == PLANTED_UNIT and per_person[PLANTED_UNIT] < 0.5 * per_person.drop(PLANTED_UNIT).min()


def test_larger_variants_are_written_on_demand_per_area(tmp_path):
    path = write_events(tmp_path, areas=["Kainuu"], scale=0.1, name="small.parquet")
    small = pd.read_parquet(path)
    assert set(small["area"]) == {"Kainuu"} and 3_000 < len(small) < 7_000
    # an area's events do not depend on the other areas generated with it
    both = generate_events(["Kainuu", "Lappi"], scale=0.1)
    pd.testing.assert_frame_equal(both[both["area"] == "Kainuu"].reset_index(drop=True).astype(str), small.astype(str))
    with pytest.raises(wb.ParameterError, match=r"Unknown area\(s\) \['Atlantis'\]"):
        generate_events(["Atlantis"])
    with pytest.raises(wb.ParameterError, match=r"`scale` must be positive and finite; got 0"):
        generate_events(scale=0)


@pytest.mark.slow
def test_the_planted_unit_is_the_only_one_no_rate_can_serve():
    volumes = pd.read_csv(SAMPLES / "volumes.csv")
    events = wb.read_events(SAMPLES / "events.parquet", units=volumes["unit"], on_bad="keep")
    plan = wb.measurement_plan(volumes[volumes["unit"].isin(events.frame["unit"].cat.categories)], "nps", moe=20,
                               period="half-year", response_rate=0.2)
    result = wb.plan_rates(events, SAMPLES / "sending_rules.toml", plan[["unit", "responses_needed"]],
                           period="half-year", rng=20260101)
    infeasible = set(result.check.loc[result.check["status"] == "infeasible", "unit"])
    assert infeasible == {PLANTED_UNIT}
    assert "rolling window" in result.advice["advice"].item()
