import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm
from sklearn.metrics import cohen_kappa_score, f1_score
from statsmodels.stats.inter_rater import cohens_kappa

from workbench.errors import DataError
from workbench.text.agreement import agreement


def test_binary_columns_against_sklearn_and_statsmodels():
    rng = np.random.default_rng(3)
    manual = pd.DataFrame(rng.random((200, 3)) < [0.3, 0.1, 0.5], columns=["a", "b", "c"])
    auto = manual ^ (rng.random((200, 3)) < 0.15)
    out = agreement(auto, manual.astype(int), confidence=0.9).set_index("column")
    for col in "abc":
        assert out.loc[col, "f1"] == pytest.approx(f1_score(manual[col], auto[col]))
        assert out.loc[col, "kappa"] == pytest.approx(cohen_kappa_score(manual[col], auto[col]))
        table = pd.crosstab(manual[col], auto[col]).to_numpy()
        half = norm.ppf(0.95) * cohens_kappa(table).std_kappa
        assert out.loc[col, "kappa_low"] == pytest.approx(out.loc[col, "kappa"] - half)
        assert out.loc[col, "n_manual"] == manual[col].sum() and out.loc[col, "n_auto"] == auto[col].sum()
    assert out.loc["micro", "f1"] == pytest.approx(f1_score(manual.to_numpy().ravel(), auto.to_numpy().ravel()))
    assert out.loc["macro", "f1"] == pytest.approx(np.mean([out.loc[c, "f1"] for c in "abc"]))
    assert (out["confidence"] == 0.9).all()


def test_label_columns_use_macro_f1_and_kappa():
    manual = pd.Series(["positive", "negative", "mixed", "neutral", "negative"] * 4, name="tone")
    auto = manual.copy()
    auto.iloc[0] = "mixed"
    row = agreement(auto, manual).iloc[0]
    assert row["kind"] == "labels" and row["accuracy"] == pytest.approx(19 / 20)
    assert row["f1"] == pytest.approx(f1_score(manual, auto, average="macro"))
    assert row["kappa"] == pytest.approx(cohen_kappa_score(manual, auto))


@pytest.mark.parametrize("auto, manual, message", [
    (pd.DataFrame({"a": [1, 0]}), pd.DataFrame({"a": [1, 0, 1]}), "`auto` has 2 rows and `manual` 3"),
    (pd.DataFrame({"a": [1, 0]}), pd.DataFrame({"b": [1, 0]}), "No common columns to compare"),
    (pd.DataFrame({"a": [1, None]}), pd.DataFrame({"a": [1, 0]}), r"Column 'a' has missing codes \(1 automatic, 0 manual, of 2 rows\)"),
])
def test_errors(auto, manual, message):
    with pytest.raises(DataError, match=message):
        agreement(auto, manual)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=4, max_size=60))
def test_perfect_and_bounded(pairs):
    a = pd.DataFrame({"x": [p[0] for p in pairs]})
    m = pd.DataFrame({"x": [p[1] for p in pairs]})
    row = agreement(a, m).iloc[0]
    assert 0 <= row["f1"] <= 1 and 0 <= row["accuracy"] <= 1
    if not np.isnan(row["kappa"]):
        assert -1 <= row["kappa_low"] <= row["kappa"] <= row["kappa_high"] <= 1
    same = agreement(m, m).iloc[0]
    assert same["accuracy"] == 1 and (np.isnan(same["kappa"]) or same["kappa"] == pytest.approx(1))
