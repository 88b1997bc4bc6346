import pandas as pd
import pytest

from workbench.errors import DataError
from workbench.text.feedback import THEME_PREFIX, code_comments, theme_columns


@pytest.fixture
def responses():
    return pd.DataFrame({
        "nps": [2, 10, 7, 9, 0],
        "service": ["phone service", "imaging", "imaging", "phone service", "phone service"],
        "language": ["fi", "fi", "sv", "fi", "fi"],  # a data column named like a theme stays untouched
        "comment": ["Takaisinsoittoa ei tullut, soita 040 123 4567!", "Ihana hoitaja, kiitos!", None,
                    "Lisätkää chat.", "Henkilötunnukseni 131052-308T on väärin."],
    }, index=[5, 6, 7, 8, 9])


def test_one_pass_adds_every_coded_column(responses):
    coded = code_comments(responses, subthemes=True, service="service")
    assert list(coded.index) == list(responses.index) and coded["language"].tolist() == responses["language"].tolist()
    assert coded["commented"].tolist() == [True, True, False, True, True]
    assert coded.loc[5, "theme_phone"] and coded.loc[5, "theme_phone.callback"] and coded.loc[6, "theme_respect"]
    assert coded.loc[5, "tone"] == "negative" and coded.loc[6, "tone"] == "positive" and pd.isna(coded.loc[7, "tone"])
    assert coded["suggestion"].tolist() == [False, False, False, True, False]
    assert coded.loc[5, "comment_redacted"] == "Takaisinsoittoa ei tullut, soita [phone]!"
    assert "308T" not in coded.loc[9, "comment_redacted"] and coded.loc[8, "comment_language"] == "fi"
    assert theme_columns(coded)[:2] == [THEME_PREFIX + "access", THEME_PREFIX + "phone"]
    assert theme_columns(coded, ["phone"]) == ["theme_phone"]


def test_clashes_and_missing_columns(responses):
    with pytest.raises(DataError, match=r"Columns \['tone'\] are already in the data \(5 rows\)"):
        code_comments(responses.assign(tone=1))
    with pytest.raises(DataError, match=r"Column \['text'\] not found in the data \(5 rows\)"):
        code_comments(responses, column="text")
