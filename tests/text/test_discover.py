import numpy as np
import pandas as pd

from workbench.text.discover import discover_themes


def _corpus(rng):
    # topics share their anchor words, as real issues do ("taksi", "ruoka")
    taxi = ["Taksi ei tullut ajallaan.", "Taksi jäi tulematta kotiin.", "Taksin tilaaminen oli hankalaa.",
            "Taksi myöhästyi kotiin.", "Taksi ei löytänyt perille."]
    food = ["Ruoka oli pahaa.", "Ruokaa oli liian vähän.", "Ruokaa ei tuotu osastolle.", "Ruoka maistui pahalta.",
            "Ruoka loppui kesken."]
    caught = ["Jonotin puhelimessa tunnin.", "Hoitaja oli ystävällinen.", "Lasku oli kallis."]
    texts = [taxi[i % 5] for i in range(40)] + [food[i % 5] for i in range(40)] + [caught[i % 3] for i in range(60)]
    return list(rng.permutation(np.array(texts, dtype=object)))


def test_finds_a_planted_topic_with_examples_and_assignment():
    texts = _corpus(np.random.default_rng(1))
    found = discover_themes(texts, n_topics=3, min_df=2, rng=0)
    assert len(found.topics) >= 2 and found.topics["n"].sum() <= 80
    lemmas = " ".join(found.topics["top_lemmas"])
    assert "taksi" in lemmas and "ruoka" in lemmas
    assert (found.topics["ci_low"] <= found.topics["share"]).all() and (found.topics["share"] <= found.topics["ci_high"]).all()
    taxi_rows = np.array(["aksi" in t for t in texts])
    assigned = found.assignment.astype(object).to_numpy()
    assert pd.isna(assigned[np.array(["Jonotin" in t for t in texts])]).all()   # caught comments are not modelled
    top_taxi = pd.Series(assigned[taxi_rows]).value_counts()
    assert top_taxi.iloc[0] >= 32   # the taxi comments share one topic
    assert set(found.examples.columns) == {"topic", "comment"} and len(found.examples) > 0


def test_small_topics_give_no_examples_and_too_little_text_gives_nothing():
    texts = _corpus(np.random.default_rng(2))
    found = discover_themes(texts, n_topics=3, min_df=2, min_n=1000)
    assert found.examples.empty
    nothing = discover_themes(["Kiitos!", "Jonotin puhelimessa."] * 3)
    assert nothing.topics.empty and nothing.assignment.isna().all() and len(nothing.assignment) == 6


def test_is_reproducible():
    texts = _corpus(np.random.default_rng(3))
    a, b = discover_themes(texts, n_topics=3, min_df=2, rng=7), discover_themes(texts, n_topics=3, min_df=2, rng=7)
    pd.testing.assert_frame_equal(a.topics, b.topics)


def test_errors():
    import pytest

    from workbench.errors import DataError, ParameterError
    with pytest.raises(DataError, match="`themes` has 1 rows; the texts have 2"):
        discover_themes(["a", "b"], themes=pd.DataFrame({"x": [True]}))
    with pytest.raises(ParameterError, match="`n_topics` must be positive"):
        discover_themes(["a", "b"], n_topics=0)
