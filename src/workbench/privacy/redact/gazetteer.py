"""The name gazetteer: packaged name and place lists, ambiguity lists, and the index of inflected forms.

The lists in ``names/`` (first names, surnames, places; see ``names/SOURCE.md``) hold lemmas;
at import every lemma is expanded into its Finnish case forms (:func:`.inflection.fi_forms`)
and :data:`INDEX` maps each form to bit flags saying what it can be. The index depends only on
the packaged files and the lists below, so results never change between calls.

Bits of :data:`INDEX`: 1 first name, 2 surname, 4 place or institution (never a person),
8 ambiguous first name, 16 ambiguous surname (an ordinary word or a place).
"""

from __future__ import annotations

import pathlib

from ...errors import ParameterError
from .inflection import fi_forms

__all__ = ["COMMON_WORDS", "INDEX"]

# Read relative to the package, so the lists travel with it as package data.
_NAMES_DIR = pathlib.Path(__file__).parent / "names"


def _read_list(filename: str) -> list[str]:
    path = _NAMES_DIR / filename
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        # Without the gazetteer the name rule would silently find nothing; refuse instead.
        raise ParameterError(f"name gazetteer missing: {path} (ship names/ inside the redact package)") from exc
    words = [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]
    if not words:
        raise ParameterError(f"name gazetteer {path} is empty")
    return words


# First names that are also ordinary words (Finnish, Swedish, English). Such a word is a
# name only after a title, before a surname, or capitalised in mid-sentence.
_AMBIGUOUS_FIRST = frozenset(
    "Onni Toivo Tuuli Lahja Usko Armas Aino Into Sulo Valo Ilta Aamu Lumi Satu Anna Kai Eli Veli Rauha Tyyne "
    "Helmi Aura Säde Lempi Taimi Kukka Lilja Vilja Marja Suvi Taru Oiva Urho Jalo Voitto Taisto Kauko Otto "
    "Maja Ilona Pia Aina Elo Sade Halla Tähti Kielo Ruusu Orvokki Vuokko Sisko Pyry Ukko Visa Toimi Arvo Aatos "
    "Aimo Sini Bo Dag Sten Tor Liv Maj Vide Sol Love Hope Grace Joy May June Will Mark Max Rose Lily Iris "
    "Saga Nova Bill Kim Sam Ali Lo Mio Gun Signe Ester Rut Ines Ina Juni Alma Mona Lisa My Ole Mina Hans".split()
)
# Surnames that are ordinary words or places (aalto = wave, mäki = hill, Lahti = a city):
# names only next to a first name or after a title, never alone.
_AMBIGUOUS_SURNAMES = frozenset(
    "Aalto Aho Autio Elo Halme Harju Heino Järvi Kallio Kangas Karhu Kari Kärki Kiuru Koski Kokko Korpi Kurki "
    "Laakso Lahti Laine Lammi Lehto Lilja Linna Luoma Mäki Niemi Nurmi Ranta Repo Rinne Saari Salmi Salo Seppä "
    "Tikka Tuomi Vainio Varis Virta Vuori Kivi Joki Moisio Taipale Tervo Rossi Räty Koivisto Kivistö Kuusisto "
    "Männistö Lepistö Ylitalo Uusitalo Keskitalo Alatalo Myllymäki Kivimäki Hautamäki Palomäki Järvenpää "
    "Kankaanpää Sillanpää Riihimäki Eloranta Haavisto Linna Berg Lund Holm Ström Dahl Lind Björk Ek Strand "
    "Nord Sund Fors Smith Ali Khan Ahmed Ahmad Mohamed Mohammed Hassan Hussein Abdi Omar Said".split()
)
# Ordinary words that a name form spells and that often open a clause, also in run-on
# text without full stops ("… kiitos Toivon että …"): never a lone name, even mid-sentence.
COMMON_WORDS = frozenset(
    """aina ainoa ainoan anna annan annat annoin annetaan eli elin ehkä kai pian toivon toivoisin toivoin
    toivo toivoa usko uskon uskoin onni onnea onnen onneksi ole olen olet mina hans
    arvo arvon aatos sisko siskon veli veljen kari bill alla otto maja into innon valo valon toimi
    bo dag sten tor liv maj sol love hope grace joy may june will mark max rose lily iris my this
    lo mio gun juni visa leo ella alma mona lisa""".split()
)


def _build_index() -> dict[str, int]:
    """Map every inflected gazetteer form to a bit set of what it can be.

    Notes
    -----
    Bits: 1 first name, 2 surname, 4 place or institution (never a person), 8 ambiguous
    first name, 16 ambiguous surname (a common word or a place). Built once at import
    from the packaged lists; it only depends on those files, so results never change
    between calls.
    """
    index: dict[str, int] = {}

    def add(form: str, bit: int) -> None:
        index[form] = index.get(form, 0) | bit

    for name in _read_list("first_names.txt"):
        amb = name in _AMBIGUOUS_FIRST
        for f in fi_forms(name):
            add(f, 1 | (8 if amb else 0))
    for name in _read_list("surnames.txt"):
        amb = name in _AMBIGUOUS_SURNAMES
        for f in fi_forms(name, noun=True):
            add(f, 2 | (16 if amb else 0))
    for place in _read_list("places.txt") + list(_EXTRA_PLACES):
        for f in fi_forms(place, noun=True):
            add(f, 4)
    for word in COMMON_WORDS:
        cap = word.capitalize()
        if cap in index:
            # A name form that is also a common word: ambiguous, whatever its lemma.
            index[cap] |= 8 if index[cap] & 1 else 0
            index[cap] |= 16 if index[cap] & 2 else 0
    return index


# Places and institutions missing from faker's municipality list: Swedish names of Finnish
# towns, countries, regions, hospital districts and service brands. Written for this module.
_EXTRA_PLACES = (
    "Suomi Ruotsi Norja Viro Venäjä Saksa Tanska Islanti Ranska Espanja Italia Kreikka Turkki Thaimaa "
    "Englanti Amerikka Eurooppa Pohjola Lappi Kainuu Karjala Savo Häme Uusimaa Pohjanmaa Ahvenanmaa Satakunta "
    "Helsingfors Åbo Vasa Esbo Vanda Borgå Tammerfors Uleåborg Karleby Jakobstad Ekenäs Raseborg Kristinestad "
    "Nykarleby Närpes Korsholm Pargas Lovisa Kyrkslätt Sibbo Grankulla Mariehamn Åland Sverige Finland Norge "
    "Danmark Tyskland London Tallinna Tukholma Pietari Oslo Berliini Lontoo Pariisi Tallinn Stockholm "
    "Kiina Intia Ukraina Somalia Irak Iran Syyria Afganistan Vietnam Nepal Puola Latvia Liettua Unkari Romania "
    "Bulgaria Serbia Bosnia Kosovo Albania Egypti Marokko Nigeria Kenia Etiopia Eritrea Kongo Brasilia Kanada "
    "Japani Korea Pakistan Bangladesh Portugali Itävalta Sveitsi Belgia Hollanti Alankomaat Irlanti Skotlanti "
    "Yhdysvallat Afrikka Aasia Filippiinit Filippiineiltä Filippiineillä Amerikasta Espanjasta "
    "Kela Hus Tays Oys Kys Tyks Terveystalo Mehiläinen Pihlajalinna Aava Attendo Esperi Coronaria Diacor "
    "Omaolo Omakanta Kanta Apotti Terveyskylä Mielenterveystalo Lähitapiola Fennia Pohjola Ylva Hyvis "
    "Kallio Vallila Kivistö Laakso Meilahti Malmi Myyrmäki Tikkurila Leppävaara Matinkylä Itäkeskus Herttoniemi "
    "Kontula Kannelmäki Pasila Töölö Kamppi Hervanta Kaleva Linnanmaa Kupittaa Hakaniemi Munkkiniemi "
    "Koivukylä Hakunila Martinlaakso Tapiola Otaniemi Espoonlahti Kerava Sipoo Porvoo Raasepori"
).split()

# Form -> bits (see the module docstring); about 54,000 forms, built once at import.
INDEX = _build_index()
