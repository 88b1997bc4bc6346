"""Sample data: regenerated bit-identically from the seed."""

import pandas as pd

from workbench import sample_data
from conftest import ROOT

SAMPLES = ROOT / "data" / "samples"


def test_committed_sample_is_reproduced_by_the_seeded_generator():
    responses, volumes = sample_data.generate()
    pd.testing.assert_frame_equal(responses, pd.read_parquet(SAMPLES / "responses.parquet"), check_dtype=False)
    pd.testing.assert_frame_equal(volumes, pd.read_csv(SAMPLES / "volumes.csv"), check_dtype=False)


def test_sample_shape_and_heterogeneity():
    responses = pd.read_parquet(SAMPLES / "responses.parquet")
    assert responses["area"].nunique() == 22 and "Helsinki" in set(responses["area"])
    assert responses["month"].nunique() == 24
    assert responses["service"].nunique() == len(sample_data.SERVICES)
    per_unit = responses.groupby("unit").size()
    assert per_unit.min() < 30 < per_unit.max()
    digital = responses["service"].isin(["phone service", "remote consultation"])
    assert responses.loc[~digital, ["ces", "fcr"]].isna().all().all()
    assert responses.loc[digital, ["ces", "fcr"]].notna().all().all()
    assert (responses[list(sample_data.STATEMENTS)] == 6).any().all()


def test_every_file_says_synthetic():
    assert "SYNTHETIC" in (SAMPLES / "README.md").read_text()
    assert "synthetic" in (ROOT / "README.md").read_text().lower()
    assert sum(p.stat().st_size for p in SAMPLES.iterdir()) < 3_000_000


def test_larger_variants_on_demand(tmp_path):
    paths = sample_data.write_samples(tmp_path, scale=0.1)
    assert all(p.exists() for p in paths)
    assert len(pd.read_parquet(paths[0])) < 10_000
