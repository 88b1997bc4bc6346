import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from workbench.errors import DataError, ParameterError
from workbench.text.learn import ThemeClassifier, cross_validate_themes

PHONE = ["Jonotin puhelimessa pitkään.", "Takaisinsoitto ei tullut.", "Puhelin ei vastannut.", "Soittopyyntö unohtui.",
         "Puhelinjono oli pitkä.", "Linjat varattuina koko päivän."]
FEES = ["Lasku oli liian suuri.", "Asiakasmaksu on kallis.", "Maksu tuli kahdesti.", "Laskussa oli virhe.",
        "Käyntimaksu nousi.", "Sakkolasku perutusta ajasta."]


def _data():
    texts = PHONE + FEES
    labels = pd.DataFrame({"phone": [1] * 6 + [0] * 6, "costs": [0] * 6 + [1] * 6, "never": 0})
    return texts * 3, pd.concat([labels] * 3, ignore_index=True)


def test_learns_separable_themes_and_follows_sklearn_conventions():
    texts, labels = _data()
    model = ThemeClassifier(random_state=0).fit(texts, labels)
    assert model.themes_ == ["phone", "costs", "never"] and model.models_[2] is False
    predicted = model.predict(["Puhelinjono oli taas pitkä.", "Lasku oli väärin."])
    assert predicted.to_dict("list") == {"phone": [True, False], "costs": [False, True], "never": [False, False]}
    assert clone(model).get_params() == model.get_params() and not hasattr(clone(model), "models_")
    assert model.predict_proba(["Lasku."]).shape == (1, 3)


def test_cross_validation_reports_out_of_fold_agreement():
    texts, labels = _data()
    out = cross_validate_themes(texts, labels, folds=3, rng=1).set_index("column")
    assert out.loc["phone", "f1"] > 0.9 and out.loc["costs", "kappa"] > 0.8
    assert {"micro", "macro"} <= set(out.index)


def test_errors():
    texts, labels = _data()
    with pytest.raises(DataError, match="Manual codes must be 0/1"):
        ThemeClassifier().fit(texts, labels.replace(1, 2))
    with pytest.raises(DataError, match="not fitted yet"):
        ThemeClassifier().predict(["x"])
    with pytest.raises(ParameterError, match="`folds` must be at least 2; got 1"):
        cross_validate_themes(texts, labels, folds=1)
    with pytest.raises(DataError, match="36 comments and 35 rows of codes"):
        cross_validate_themes(texts, labels.iloc[:35])


def test_missing_codes():
    texts, labels = _data()
    with pytest.raises(DataError, match="Manual codes have 1 missing values; code every comment"):
        codes = labels.iloc[:, :1].astype(float)
        codes.iloc[0, 0] = np.nan
        ThemeClassifier().fit(texts, codes)
