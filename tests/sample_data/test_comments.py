import numpy as np
import pandas as pd
import pytest

from workbench import sample_data
from workbench.sample_data import responses as responses_module
from workbench.sample_data.comments import EMERGING
from workbench.text import classify
from conftest import ROOT

SAMPLES = ROOT / "data" / "samples"


@pytest.fixture(scope="module")
def responses():
    return pd.read_parquet(SAMPLES / "responses.parquet")


def test_comments_do_not_move_any_other_column(monkeypatch):
    with_comments, _ = sample_data.generate(scale=0.05)
    monkeypatch.setattr(responses_module, "generate_comments", lambda frame, seed: np.full(len(frame), None, object))
    without, _ = sample_data.generate(scale=0.05)
    pd.testing.assert_frame_equal(with_comments.drop(columns="comment"), without.drop(columns="comment"))
    assert with_comments["comment"].notna().sum() > 100 and without["comment"].isna().all()


def test_comments_follow_scores_and_services(responses):
    commented = responses[responses["comment"].notna()].reset_index(drop=True)
    themes = classify(commented["comment"])
    phone_detractors = (commented["service"] == "phone service") & (commented["nps"] <= 6)
    promoters = commented["nps"] >= 9
    assert themes.loc[phone_detractors, "phone"].mean() > 0.35
    assert themes.loc[phone_detractors, "phone"].mean() > 2 * themes.loc[promoters, "phone"].mean()
    assert themes.loc[commented["service"] == "remote consultation", "digital"].mean() > 0.25
    assert responses.loc[responses["nps"] <= 6, "comment"].notna().mean() > responses.loc[responses["nps"] >= 9, "comment"].notna().mean()


def test_variety_languages_and_planted_identifiers(responses):
    comments = responses["comment"].dropna()
    assert comments.nunique() > 1500
    assert comments.str.contains(r"\b(?:väntade|svenska|vänlig|personal)\b").sum() > 20
    assert comments.str.contains(r"\b(?:the|staff|appointment)\b", case=False).sum() > 20
    assert comments.str.contains(r"^[a-zäö ]+$").sum() > 50  # lower case without punctuation
    codes = comments.str.extract(r"(\d{6}-\d{3}[0-9A-Y])")[0].dropna()
    assert len(codes) and comments.str.contains("@example.fi").any()
    # planted identity codes are valid (date and check character), so the redaction tests test something
    check = "0123456789ABCDEFHJKLMNPRSTUVWXY"
    assert all(check[int(c[:6] + c[7:10]) % 31] == c[10] and 1 <= int(c[2:4]) <= 12 and 1 <= int(c[:2]) <= 28
               for c in codes)
    assert comments.str.contains(r"040 \d\d \d{4}").any() and comments.str.contains(r"\+358 50").any()


def test_the_emerging_issue_rises_in_one_area(responses):
    transport = responses["comment"].fillna("").str.contains("taksi|taxi", case=False)
    assert set(responses.loc[transport, "area"]) == {EMERGING["area"]}
    assert set(responses.loc[transport, "month"]) <= set(EMERGING["months"])
    in_area = responses[(responses["area"] == EMERGING["area"]) & responses["comment"].notna()]
    share = in_area.assign(t=transport).groupby("month")["t"].mean().reindex(EMERGING["months"])
    assert share.iloc[-1] > share.iloc[0] and transport.sum() >= 40
    assert "emerging issue" in (SAMPLES / "README.md").read_text(encoding="utf-8")
