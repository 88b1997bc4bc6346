import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.errors import DataError
from workbench.text.themes import classify

SENTENCES = ["Jonotin puhelimessa tunnin.", "Lääkäri ei ollut ystävällinen.", "Kiitos!", None, "Odotustila oli ahdas.",
             "Fick service på svenska.", "Lasku tuli kahteen kertaan.", "Sain ajan samalle päivälle."]


def test_aligned_with_the_input_index_and_no_comment_is_no_theme():
    texts = pd.Series(SENTENCES, index=range(100, 100 + len(SENTENCES)))
    coded = classify(texts)
    assert list(coded.index) == list(texts.index) and coded.dtypes.eq(bool).all()
    assert not coded.loc[103].any() and not coded.loc[102].any()


@pytest.mark.parametrize("text, theme", [
    ("Lääkäri ei ollut ystävällinen.", "respect"),          # negation: a mention, whatever its tone
    ("Takaisinsoittoa ei tullut.", "phone"), ("takaisinsoitto toimi", "phone"),
    ("Puhelinjonossa meni tunti.", "phone"),                # compound
    ("Soittoajan voisi valita itse.", "phone"),              # aika/ajan stem alternation
    ("Jag väntade i tre månader.", "access"), ("Impossible to get an appointment.", "access"),
    ("Tulkkia ei ollut varattu.", "language"), ("Sain väärän lääkkeen.", "safety"),
    ("Parkkimaksu on kallis.", "facilities"),
])
def test_themes_of_typical_comments(text, theme):
    assert classify([text]).loc[0, theme]


@pytest.mark.parametrize("text, theme", [
    ("Odotustila oli ahdas.", "access"),                    # exclusion: a room, not a wait
    ("Parkkimaksu on kallis.", "costs"),                    # parking fees are premises
    ("Chatissa jonotin tunnin.", "access"),                 # chat queue belongs to digital
    ("Soitin ja sain ajan heti.", "phone"),                 # phoning is not the phone theme
    ("Kävin röntgenissä.", "competence"),                   # naming a service is no theme
])
def test_exclusions_and_rules(text, theme):
    assert not classify([text]).loc[0, theme]


def test_services_must_align():
    with pytest.raises(DataError, match="`services` has 1 rows; the texts have 2"):
        classify(["a", "b"], subthemes=True, services=["x"])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=12))
def test_each_comment_is_coded_on_its_own(texts):
    together = classify(texts)
    one_by_one = pd.concat([classify([t]) for t in texts], ignore_index=True)
    pd.testing.assert_frame_equal(together.reset_index(drop=True), one_by_one)
