"""Metric frameworks: TOML validation, metric profiles and the recommendation rule."""

import pandas as pd
import pytest

import workbench as wb
from workbench.planning.framework import FrameworkError, load_framework, metric_profile, recommend_metrics
from conftest import ROOT

GOOD = """
[framework]
period = "quarter"
target_moe = 10
min_n = 30

[[touchpoint]]
service = "phone service"
metrics = ["nps", "fcr"]
scales = { nps = "0-10", fcr = "yes/no" }
period = "month"
"""


def _write(tmp_path, text):
    path = tmp_path / "framework.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_framework_is_valid():
    table = load_framework(ROOT / "data" / "samples" / "framework.toml")
    assert set(table["metric"]) == {"nps", "csat", "ces", "fcr"}
    assert table.loc[table["service"] == "social services", "target_moe"].iloc[0] == 15


def test_defaults_and_rows(tmp_path):
    table = load_framework(_write(tmp_path, GOOD))
    assert table[["metric", "scale", "period", "period_months", "target_moe", "min_n"]].values.tolist() == [
        ["nps", "0-10", "month", 1, 10.0, 30], ["fcr", "yes/no", "month", 1, 10.0, 30]]


@pytest.mark.parametrize("change, match", [
    (("metrics = [\"nps\", \"fcr\"]", "metrics = [\"nps\", \"wow\"]"), r"Touchpoint 1 \('phone service'\) has unknown metrics \['wow'\]"),
    (("fcr = \"yes/no\"", "fcr = \"1-5\""), r"Touchpoint 1 \('phone service'\): metric 'fcr' is on scale 'yes/no', not '1-5'"),
    (("period = \"month\"", "period = \"week\""), r"Touchpoint 1 \('phone service'\) has period 'week'; valid: month"),
    (("target_moe = 10", "target_moe = -1"), r"has target_moe -1; it must be a positive number"),
    (("min_n = 30", "min_n = 0"), r"has min_n 0; it must be a positive whole number"),
    (("period = \"month\"", "period = \"month\"\ncolour = \"red\""), r"has unknown keys \['colour'\]"),
    (("service = \"phone service\"", "service = \"\""), r"needs a `service` name"),
    (("[[touchpoint]]", "[[touchpoints]]"), r"Unknown sections \['touchpoints'\]"),
    (("min_n = 30", "min_n = 30\nowner = \"x\""), r"\[framework\] has unknown keys \['owner'\]"),
    (("metrics = [\"nps\", \"fcr\"]", "metrics = [\"nps\", \"fcr\", \"nps\"]"), r"repeats metric 'nps' for service 'phone service'"),
    (("= 10", "= = 10"), r"is not valid TOML"),
])
def test_invalid_frameworks(tmp_path, change, match):
    with pytest.raises(FrameworkError, match=match):
        load_framework(_write(tmp_path, GOOD.replace(*change, 1)))


def test_missing_file(tmp_path):
    with pytest.raises(FrameworkError, match=r"Framework file '.*nowhere\.toml' does not exist"):
        load_framework(tmp_path / "nowhere.toml")


def test_profile_and_recommendation():
    data = wb.reports.load_inputs().responses()
    data = data[data["service"].isin(["phone service", "imaging"])]
    profile = metric_profile(data, ("nps", "csat", "ces", "fcr"), by="service", unit="unit")
    phone = profile[profile["service"] == "phone service"].set_index("metric")
    assert set(phone.index) == {"nps", "csat", "ces", "fcr"}
    assert set(profile.loc[profile["service"] == "imaging", "metric"]) == {"nps", "csat"}
    assert (profile["icc"].between(0, 1)).all() and (profile["n_for_moe"] > 0).all()
    # the reliability target relation holds: n_for_reliability = ceil(0.7/0.3 * (1 - icc)/icc)
    row = phone.loc["nps"]
    assert row["n_for_reliability"] == pytest.approx(-(-(7 / 3) * (1 - row["icc"]) / row["icc"] // 1), abs=1)
    advice = recommend_metrics(profile, by="service")
    assert list(advice["service"]) == ["imaging", "phone service"] and advice["reason"].str.contains("reliability").all()


def test_ceiling_rule_sets_metrics_aside():
    profile = pd.DataFrame({"service": ["x", "x"], "metric": ["csat", "nps"], "n": [100, 100], "estimate": [90, 50],
                            "ceiling": [0.8, 0.3], "icc": [0.2, 0.05], "n_for_moe": [100, 400], "n_for_reliability": [10, 50],
                            "reliability_target": 0.7})
    advice = recommend_metrics(profile, by="service").iloc[0]
    assert advice["recommended"] == "nps" and "csat set aside for ceiling effects" in advice["reason"]
    assert advice["set_aside"] == "csat"  # reports word the reason from this column in the reader's language


def test_nothing_set_aside_is_an_empty_string():
    profile = pd.DataFrame({"service": ["x", "x"], "metric": ["csat", "nps"], "n": [100, 100], "estimate": [60, 50],
                            "ceiling": [0.3, 0.3], "icc": [0.2, 0.05], "n_for_moe": [100, 400], "n_for_reliability": [10, 50],
                            "reliability_target": 0.7})
    advice = recommend_metrics(profile, by="service").iloc[0]
    assert advice["recommended"] == "csat" and advice["runner_up"] == "nps" and advice["set_aside"] == ""
