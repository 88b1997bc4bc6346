import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.errors import DataError
from workbench.text.tone import TONES, ToneModel, tone


@pytest.mark.parametrize("text, expected", [
    ("Hoitaja oli ystävällinen.", "positive"),
    ("Hoitaja ei ollut ystävällinen.", "negative"),                        # negation of praise
    ("Ei valittamista.", "positive"),                                       # negation of a complaint
    ("Kukaan ei vastannut puhelimeen.", "negative"),                        # an expected action that did not happen
    ("Ystävällinen hoitaja, mutta jono oli liian pitkä.", "mixed"),
    ("Mahtavaa palvelua, sain kuunnella musiikkia tunnin. Kiitos vaan.", "negative"),   # sarcasm
    ("Olisi hyvä jos chatissa voisi lähettää kuvan.", "neutral"),           # a suggestion praises nothing
    ("Hyvä palvelu. Parkkipaikkoja voisi olla enemmän.", "positive"),
    ("Ihan ok.", "neutral"), ("Kävin röntgenissä.", "neutral"),
    ("Tandläkaren lyssnade inte på mig.", "negative"),                      # Swedish negation after the verb
    ("Mycket vänlig personal.", "positive"), ("The nurse was not friendly.", "negative"),
    ("Ei tarvinnut odottaa.", "positive"),
])
def test_tone_of_typical_comments(text, expected):
    assert tone([text])["tone"].iloc[0] == expected


def test_intensifier_and_evidence_columns():
    out = tone(["Hoitaja oli ystävällinen.", "Hoitaja oli todella ystävällinen.", None])
    assert out.loc[1, "positive"] == pytest.approx(1.5 * out.loc[0, "positive"])
    assert pd.isna(out.loc[2, "tone"]) and np.isnan(out.loc[2, "score"])
    assert list(out["tone"].cat.categories) == list(TONES)


def test_calibration_learns_the_domain_tone_of_a_word():
    rng = np.random.default_rng(5)
    detractor = ["Tuli kuuttapuolta.", "Kuuttapuolta taas.", "Ihan kuuttapuolta koko käynti."]
    promoter = ["Kävin vastaanotolla.", "Kävin aamulla.", "Kävin eilen."]
    texts = detractor * 10 + promoter * 10
    scores = [int(rng.integers(0, 5)) for _ in range(30)] + [int(rng.integers(9, 11)) for _ in range(30)]
    model = ToneModel(min_count=5).fit(texts, scores)
    assert model.n_calibration_ == 60 and model.domain_weights_.get("kuuttapuoli", 0) < 0
    assert model.predict(["Kuuttapuolta."])[0] == "negative"
    assert tone(["Kuuttapuolta."])["tone"].iloc[0] == "neutral"  # the lexicon alone does not know it


def test_scores_are_checked():
    with pytest.raises(DataError, match="`scores` has 1 rows; the texts have 2"):
        tone(["a", "b"], scores=[5])
    with pytest.raises(DataError, match="`scores` must be 0-10 answers; 1 of 2 rows are outside"):
        tone(["a", "b"], scores=[5, 11])
    with pytest.raises(DataError, match="not fitted yet"):
        ToneModel().predict(["a"])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["Hyvä.", "Huono.", "Ei hyvä.", "ok", None, "Hyvä mutta hidas.", "Lisää tuoleja!"]),
                min_size=1, max_size=10))
def test_labels_are_tones_and_follow_the_evidence(texts):
    out = tone(texts)
    has = pd.Series(texts).notna().to_numpy()
    assert out["tone"][has].isin(TONES).all() and out["tone"][~has].isna().all()
    assert (out.loc[has, ["positive", "negative"]] >= 0).all().all()
    assert (out.loc[has & (out["tone"] == "positive").to_numpy(), "score"] > 0).all()
    assert (out.loc[has & (out["tone"] == "negative").to_numpy(), "score"] < 0).all()


def test_min_count_is_checked():
    from workbench.errors import ParameterError
    with pytest.raises(ParameterError, match="`min_count` must be a whole number; got 2.5"):
        ToneModel(min_count=2.5).fit(["a"], [5])
