"""Tests of :mod:`workbench.privacy.redact`: corpus recall/precision per kind, every named variant,
hard negatives, missing values, errors, the fast path of redact_series, and hypothesis properties.

The corpus figures are asserted on the TEST split only (the rules were tuned on dev). The
corpus and how it is scored: ``tests/reference/redaction_corpus.md``.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.errors import ParameterError
from workbench.privacy.redact import Identifier, find_identifiers, redact, redact_series
from workbench.privacy.redact.titles import TITLE_FORMS, TITLE_STEMS


def kinds(text: str) -> list[tuple[str, str]]:
    return [(i.kind, text[i.start:i.end]) for i in find_identifiers(text)]


# ----------------------------------------------------------------------------- corpus scoring

CORPUS = Path(__file__).parents[1] / "reference" / "redaction_corpus.jsonl"
KINDS = ("id_code", "phone", "email", "address", "name", "record")


def load_corpus(split: str | None = None) -> list[dict]:
    """The labelled snippets of one split ("dev", "test"), or all of them."""
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if split is None or r["split"] == split]


def split_of(snippet_id: str) -> str:
    """The split of a snippet: fixed by the first byte of the SHA-256 of its id (even: dev)."""
    return "dev" if hashlib.sha256(snippet_id.encode()).digest()[0] % 2 == 0 else "test"


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def score(rows: list[dict]) -> tuple[dict, list[str]]:
    """Per-kind counts and figures, plus a human-readable list of errors.

    A gold span counts as found when a predicted span of the same kind overlaps at least 80 %
    of the gold length. A predicted span is a false positive when it overlaps no gold span of
    any kind. Precision per kind = 1 - FP / predicted.
    """
    stats = {k: {"gold": 0, "found": 0, "pred": 0, "fp": 0} for k in KINDS}
    errors = []
    for r in rows:
        text, gold = r["text"], r["spans"]
        pred = find_identifiers(text)
        for g in gold:
            st = stats[g["kind"]]
            st["gold"] += 1
            need = 0.8 * (g["end"] - g["start"])
            if any(p.kind == g["kind"] and _overlap(p.start, p.end, g["start"], g["end"]) >= need for p in pred):
                st["found"] += 1
            else:
                got = [(p.kind, text[p.start:p.end]) for p in pred if _overlap(p.start, p.end, g["start"], g["end"])]
                errors.append(f"MISS {r['id']} {g['kind']:8} {text[g['start']:g['end']]!r} got {got} | {text!r}")
        for p in pred:
            st = stats[p.kind]
            st["pred"] += 1
            if not any(_overlap(p.start, p.end, g["start"], g["end"]) for g in gold):
                st["fp"] += 1
                errors.append(f"FP   {r['id']} {p.kind:8} {text[p.start:p.end]!r} | {text!r}")
    for st in stats.values():
        st["recall"] = st["found"] / st["gold"] if st["gold"] else float("nan")
        st["precision"] = 1 - st["fp"] / st["pred"] if st["pred"] else 1.0
    return stats, errors


def table(stats: dict) -> str:
    lines = [f"{'kind':9} {'gold':>5} {'found':>5} {'recall':>7} {'pred':>5} {'FP':>4} {'precision':>9}"]
    for k in KINDS:
        s = stats[k]
        lines.append(f"{k:9} {s['gold']:5d} {s['found']:5d} {s['recall']:7.3f} {s['pred']:5d} {s['fp']:4d} {s['precision']:9.3f}")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- corpus metrics

STRICT = ("id_code", "phone", "email")
LOOSE = ("address", "name", "record")


@pytest.fixture(scope="module")
def test_scores():
    stats, errors = score(load_corpus("test"))
    print("\n" + table(stats))
    return stats, errors


@pytest.mark.parametrize("kind", STRICT)
def test_corpus_test_split_strict_kinds(test_scores, kind):
    stats, errors = test_scores
    s = stats[kind]
    assert s["gold"] >= 15, "too few test examples to measure"
    assert s["recall"] >= 0.98, (s, [e for e in errors if kind in e])
    assert s["precision"] >= 0.95, (s, [e for e in errors if kind in e])


@pytest.mark.parametrize("kind", LOOSE)
def test_corpus_test_split_other_kinds(test_scores, kind):
    stats, errors = test_scores
    s = stats[kind]
    assert s["gold"] >= 8, "too few test examples to measure"
    assert s["recall"] >= 0.90, (s, [e for e in errors if kind in e])
    assert s["precision"] >= 0.90, (s, [e for e in errors if kind in e])


def test_corpus_is_large_enough_and_split_before_tuning():
    rows = load_corpus()
    assert len(rows) >= 200
    per_kind = {k: sum(any(s["kind"] == k for s in r["spans"]) for r in rows) for k in KINDS}
    assert per_kind["id_code"] >= 40 and per_kind["phone"] >= 40 and per_kind["email"] >= 30
    assert per_kind["address"] >= 20 and per_kind["name"] >= 30 and per_kind["record"] >= 15
    assert sum(not r["spans"] for r in rows) >= 50
    # The split is a fixed function of the id (see split_of), so it cannot drift.
    assert all(r["split"] == split_of(r["id"]) for r in rows)
    assert 0.4 < sum(r["split"] == "dev" for r in rows) / len(rows) < 0.6


# ----------------------------------------------------------------------------- identity codes

@pytest.mark.parametrize("text, code", [
    ("hetu 131052-308T tässä", "131052-308T"),                 # plain
    ("hetu 131052 308T tässä", "131052 308T"),                 # space instead of the sign
    ("hetu 131052–308T tässä", "131052–308T"),                 # en dash
    ("hetu 131052—308T tässä", "131052—308T"),                 # em dash
    ("hetu 131052‐308T tässä", "131052‐308T"),                 # U+2010 hyphen
    ("hetu 131052‑308T tässä", "131052‑308T"),                 # U+2011 non-breaking hyphen
    ("hetu 131052−308T tässä", "131052−308T"),                 # U+2212 minus
    ("hetu 131052 - 308T tässä", "131052 - 308T"),             # spaces around the sign
    ("hetu 131052-\n308T tässä", "131052-\n308T"),             # line break after the sign
    ("hetu 131052\n-308T tässä", "131052\n-308T"),             # line break before the sign
    ("hetu 1310 52-308T tässä", "1310 52-308T"),               # space inside the date digits
    ("hetu 131052-308 T tässä", "131052-308 T"),               # space before the check character
    ("hetu131052-308T", "131052-308T"),                        # glued on the left
    ("131052-308Tkiitos", "131052-308T"),                      # glued on the right
    ("hetu 131052-308t", "131052-308t"),                       # lower-case check character
    ("isoäiti 190706+228T", "190706+228T"),                    # 1800s
    ("uusi muoto 010101Y123A", None),                          # see below: validity decides
    ("lapsi 040601B521F", "040601B521F"),                      # 2000s, new sign B
    ("vauva 250618C466M", "250618C466M"),                      # C
    ("hetu 030753Y073L", "030753Y073L"),                       # 1900s, new sign Y
    ("hetu 200463V698W", "200463V698W"),                       # V
    ("hetu 190571U837L", "190571U837L"),                       # U
    ("hetu 190567X508Y", "190567X508Y"),                       # X
    ("hetu 211087W8438", "211087W8438"),                       # W, digit check character
])
def test_identity_code_variants(text, code):
    found = [(k, s) for k, s in kinds(text) if k == "id_code"]
    if code is None:
        # 010101Y123A: check character of 010101123 is "0123456789ABCDEFHJKLMNPRSTUVWXY"[010101123 % 31]
        expected = "0123456789ABCDEFHJKLMNPRSTUVWXY"[10101123 % 31]
        assert (expected == "A") == bool(found)
    else:
        assert found == [("id_code", code)]


@pytest.mark.parametrize("text", [
    "malli 131052-308A ei ole oikea",      # wrong check character
    "tunnus 180707V848S hylättiin",
    "kokeilin 190571U837F",
    "väärä 081180-598H",
    "päivä 321352-308T",                   # day 32 does not exist
    "luku 131052 3081 kpl",                # no sign, digit check, no keyword: a grouped number
])
def test_identity_code_decoys_are_not_codes(text):
    assert all(k != "id_code" for k, _ in kinds(text))


def test_identity_code_decoy_with_glued_sign_is_not_a_phone_either():
    # Regression: the phone filter must see the century sign, not the normalised space.
    assert redact("esimerkki 080389Y800C ohjeessa") == "esimerkki 080389Y800C ohjeessa"


def test_identity_code_without_sign_needs_a_keyword_when_check_is_a_digit():
    assert kinds("hetu 161220 5308") == [("id_code", "161220 5308")]


# ----------------------------------------------------------------------------- phones

@pytest.mark.parametrize("text, number", [
    ("Soita 040 123 4567 kiitos", "040 123 4567"),
    ("numero (09) 310 1691 vaihde", "(09) 310 1691"),
    ("puh +358 (0)40 123 4567", "+358 (0)40 123 4567"),
    ("puh +358 (0) 40 123 4567", "+358 (0) 40 123 4567"),
    ("numero 358 40 123 4567", "358 40 123 4567"),
    ("numero 358-40-1234567", "358-40-1234567"),
    ("puh 040.123.4567", "040.123.4567"),
    ("puh 040/123 4567", "040/123 4567"),
    ("puh 09/876 5432", "09/876 5432"),
    ("Ring +46 8 123 456 78", "+46 8 123 456 78"),
    ("call +44 20 7946 0958", "+44 20 7946 0958"),
    ("call +1 (212) 555-0123", "+1 (212) 555-0123"),
    ("p. 0401234567", "0401234567"),
    ("puh0401234567", "0401234567"),
    ("numeroon040 1234567", "040 1234567"),
    ("soita 040 123\n4567", "040 123\n4567"),
    ("numero ０４０ １２３ ４５６７", "０４０ １２３ ４５６７"),
    ("puh 044 9876 543", "044 9876 543"),
    ("puh 045 123 45 67", "045 123 45 67"),
    ("puh 00358 40 1234567", "00358 40 1234567"),
    ("puh 040–7654321", "040–7654321"),
])
def test_phone_variants(text, number):
    assert ("phone", number) in kinds(text)


def test_two_phone_numbers_separated_by_a_space_are_both_found():
    assert kinds("numerot 040 111 2233 050 222 3344") == [("phone", "040 111 2233"), ("phone", "050 222 3344")]


# ----------------------------------------------------------------------------- e-mail

@pytest.mark.parametrize("text, address", [
    ("maili matti.meikalainen@example.fi.", "matti.meikalainen@example.fi"),
    ("sposti nimi at domain piste fi kiitos", "nimi at domain piste fi"),
    ("sposti liisa.k(at)posti.fi", "liisa.k(at)posti.fi"),
    ("sposti ville.v[at]example.com", "ville.v[at]example.com"),
    ("sposti anne.l @ example.fi", "anne.l @ example.fi"),
    ("email pekka＠example．fi", "pekka＠example．fi"),
    ("osoite teppo(at)example(piste)fi", "teppo(at)example(piste)fi"),
    ("Email jane.doe[at]example[dot]com please", "jane.doe[at]example[dot]com"),
    ("osoite k.k(at)example(dot)fi", "k.k(at)example(dot)fi"),
    ("lähetä marja ät example piste com", "marja ät example piste com"),
    ("sposti sanna miukumauku example piste fi", "sanna miukumauku example piste fi"),
    ("sposti maija.k @ example . fi", "maija.k @ example . fi"),
    ("e-post bo.nyman snabel-a example punkt fi", "bo.nyman snabel-a example punkt fi"),
    ("sposti laura.h(a)example.fi", "laura.h(a)example.fi"),
    ("sposti MIKKO.RAUTIO@EXAMPLE.FI", "MIKKO.RAUTIO@EXAMPLE.FI"),
])
def test_email_variants(text, address):
    assert ("email", address) in kinds(text)


def test_rejected_spelled_candidate_does_not_hide_the_real_address():
    # Regression: "me at liisa.k" is rejected (no known TLD) and the search must resume
    # inside it, or the bracketed address after it is lost.
    assert ("email", "liisa.k[at]example[piste]fi") in kinds("Write to me at liisa.k[at]example[piste]fi today")


@pytest.mark.parametrize("text", [
    "Call me at 9 or later, I was at home.",
    "Information is available at kela.fi for everyone.",
    "Tapasimme at the reception piste.",
    "Hinta on 5 € / käynti (alv 24 %).",
])
def test_email_negatives(text):
    assert all(k != "email" for k, _ in kinds(text))


# ----------------------------------------------------------------------------- addresses

@pytest.mark.parametrize("text, address", [
    ("Asun Mannerheimintie 5 A 12 kolmannessa kerroksessa", "Mannerheimintie 5 A 12"),
    ("osoite Hämeenkatu 14 B 22, 33100 Tampere.", "Hämeenkatu 14 B 22, 33100 Tampere"),
    ("kotikäynti Koivukuja 3 as. 5 unohtui", "Koivukuja 3 as. 5"),
    ("asun Sammonkadulla 5 keskustassa", "Sammonkadulla 5"),
    ("taksi Mannerheimintielle 12 eikä", "Mannerheimintielle 12"),
    ("osoite Torikatu 1-3 B 15", "Torikatu 1-3 B 15"),
    ("asun Myllymäki 6", "Myllymäki 6"),
    ("asun Männistönkaari 14", "Männistönkaari 14"),
    ("osoite lepolantie 4 a 2", "lepolantie 4 a 2"),
    ("Jag bor på Storgatan 12 B och", "Storgatan 12 B"),
    ("Adressen är Skolvägen 3, 65100 Vasa.", "Skolvägen 3, 65100 Vasa"),
    ("hemadress Kyrkogränden 4 lgh 12", "Kyrkogränden 4 lgh 12"),
    ("mamma bor på Strandstigen 7 i Borgå", "Strandstigen 7"),
    ("Asun Vanha Porvoontie 15", "Vanha Porvoontie 15"),
    ("asun Rautatienkatu 21 B", "Rautatienkatu 21 B"),
])
def test_address_variants(text, address):
    assert ("address", address) in kinds(text)


@pytest.mark.parametrize("text", [
    "Kävin Mannerheimintiellä apteekissa.",       # a street without a number is a place
    "Hämeenkadun toimipiste on remontissa.",
    "Valtatie 4 oli ruuhkainen.",
    "Hoitopolku 2 -mallin mukaan ohjattiin kotiin.",
    "Leikkipuistossa 2 lasta odotti.",
    "Kävelin rantaa pitkin 3 km.",
    "Postinumero 00100 Helsinki on väärin.",
])
def test_address_negatives(text):
    assert all(k != "address" for k, _ in kinds(text))


# ----------------------------------------------------------------------------- names

@pytest.mark.parametrize("text, name", [
    ("Kiitos hoitaja Virtaselle!", "Virtaselle"),
    ("lääkäri Mäkisen vastaanotolla", "Mäkisen"),
    ("sairaanhoitaja Anna Virtanen auttoi", "Anna Virtanen"),
    ("terveydenhoitaja Heikkiselle kiitos", "Heikkiselle"),
    ("Sosiaalityöntekijä Laine ei vastannut", "Laine"),
    ("omahoitajalle Laura kiitos", "Laura"),
    ("Kätilö Sanna oli ihana", "Sanna"),
    ("fysioterapeutti Hämäläinen ohjasi", "Hämäläinen"),
    ("hammaslääkäri Koskinen oli hyvä", "Koskinen"),
    ("psykologi Järvisen kanssa", "Järvisen"),
    ("tri Lehtonen oli kiireinen", "Lehtonen"),
    ("Tohtori Nieminen ei kuunnellut", "Nieminen"),
    ("hoitaja virtanen unohti", "virtanen"),
    ("Hoitaja Tuuli oli ihana", "Tuuli"),              # an ambiguous word after a title
    ("Sjuksköterskan Karin var underbar", "Karin"),
    ("Läkaren Lindqvist lyssnade inte", "Lindqvist"),
    ("doktor Eriksson var vänlig", "Eriksson"),
    ("Dr. Korhonen explained", "Korhonen"),
    ("Nurse Emma was great", "Emma"),
    ("Haluan kiittää Matti Korhosta", "Matti Korhosta"),
    ("kiitos Mattille ja Liisalle", "Mattille"),
    ("Puhuin Tiina Salosen kanssa", "Tiina Salosen"),
    ("Onni Laaksonen hoiti asian", "Onni Laaksonen"),  # ambiguous first name + surname
    ("Virtanen soitti takaisin", "Virtanen"),
    ("Virtanen Matti, asiakas", "Virtanen Matti"),
    ("Kävin M. Virtasen vastaanotolla", "M. Virtasen"),
    ("Lääkäri Mäkinen-Salo oli hyvä", "Mäkinen-Salo"),
    ("Sairaanhoitaja Anna-Liisa auttoi", "Anna-Liisa"),
    ("Kiitos Toivolle ja muille", "Toivolle"),         # an inflected ambiguous name mid-sentence
    ("Tack till Anna Lindholm!", "Anna Lindholm"),
    ("Kiitos Matti V:lle avusta", "Matti V:lle"),      # first name + surname initial
    ("Pirjo-täti auttoi", "Pirjo"),                    # first name + kinship word
    ("Ihana Jenni-hoitaja", "Jenni"),                  # first name + title in one compound
])
def test_name_variants(text, name):
    assert ("name", name) in kinds(text)


@pytest.mark.parametrize("text", [
    "Onni onnettomuudessa, että pääsin samana päivänä.",
    "Toivon että minulle soitettaisiin takaisin.",
    "Anna palautetta myös hyvästä.",
    "Toivo ja usko paremmasta ovat hukassa.",
    "Tuuli oli kova ja bussipysäkillä oli kylmä.",
    "Satu oli vain satu.",
    "Lumi esti pääsyn vastaanotolle.",
    "Usko terveydenhuoltoon on mennyt.",
    "Armas aika sentään.",
    "Into oli kova.",
    "Lahja-kortilla ei voinut maksaa.",
    "Aino ongelma oli jono.",
    "Kävin Helsingissä, Oulussa ja Vantaalla.",
    "Kainuussa ja Lapissa matkat ovat pitkiä.",
    "Salo ja Lahti ovat kaukana.",
    "Kiitos Helsingin kaupungille ja HUSille.",
    "Kävin Mehiläisessä ja Terveystalossa.",
    "Omaolo-palvelu ja OmaKanta toimivat.",
    "Olen tyytyväinen. Eli siis kaikki hyvin. Kai se menee.",
    "Pian pääsin vastaanotolle.",
    "tosi hyvä palvelu kiitos Toivon että jatkuu",   # run-on text without full stops
    "Bo hemma så länge som möjligt.",
    "Hope the service improves, love the new building.",
    "My case was handled well.",
    "Lääkäri kuunteli ja hoitaja oli mukava.",
    "Hoitaja Helsingissä oli ystävällinen.",
    "Hoitajat Lahden sairaalassa olivat upeita.",
    "Psykologi Mieli ry:stä auttoi.",
    "Lääkäri Kiinasta puhui hyvin.",
    "Aino-koti on hyvä paikka.",
])
def test_name_negatives(text):
    assert all(k != "name" for k, _ in kinds(text))


# ----------------------------------------------------------------------------- records

@pytest.mark.parametrize("text, value", [
    ("potilasnumero 1234567, aika peruttiin", "1234567"),
    ("Asiakasnumero AB-123456 ei löytynyt", "AB-123456"),
    ("asiakasnro 12345678 laskutus", "12345678"),
    ("lähete 2024-123456 ei tullut", "2024-123456"),
    ("Ajanvarausnumero AV-778812, en saanut", "AV-778812"),
    ("Potilasnumeroni on 88213344", "88213344"),
    ("päätösnumero SOS/2024/1187 valitus", "SOS/2024/1187"),
    ("potilas nro 55 66 77 8 näkyi", "55 66 77 8"),
    ("Kundnummer KN-445566 var fel", "KN-445566"),
    ("My case number is CS-20240915 and", "CS-20240915"),
    ("Maksoin laskun 4455667788 kahdesti", "4455667788"),   # a bare 7+ digit run
])
def test_record_variants(text, value):
    assert ("record", value) in kinds(text)


@pytest.mark.parametrize("text", [
    "lähete tuli vuonna 2024 syksyllä",
    "Lähetettiin 2024 maaliskuussa.",
    "viitearvot 1000-2000 ylittyivät",
    "asiakasnumero 12 jonossa",
    "Lasku 1234567 € oli virhe?",
    "Reflux 2000 mg ei auttanut",
])
def test_record_negatives(text):
    assert all(k != "record" for k, _ in kinds(text))


# ----------------------------------------------------------------------------- hard negatives

HARD_NEGATIVES = [
    "Aika oli 01.02.2024 mutta siirrettiin 1.3.2024.",
    "Vastaanotto 1.2.2024 klo 14.30, odotin 45 minuuttia.",
    "Maksu 120,50 € oli liian suuri.",
    "Lasku oli 1 200 euroa.",
    "Postinumerot 00100 00120 kuuluvat eri asemalle.",
    "Muutin 00120 Helsinki alueelle.",
    "Aukiolo ma–pe 8–16 ei riitä.",
    "Päivämäärä 01 02 2024 lukee kirjeessä.",
    "Odotin vuodesta 2019 vuoteen 2024.",
    "Vuosina 2019-2024 ja 2021–2023.",
    "Lääke 2 x 500 mg aamuin illoin.",
    "Jonotin 35 min ja olin jonossa numero 12.",
    "Tyytyväisyys nousi 45 % edellisestä vuodesta.",
    "Terveyskeskus avoinna 8.00–16.00, la 10–14.",
    "Sain ajan 3–4 viikon päähän.",
    "Asiakkaita on noin 1 500 000 vuodessa.",
    "Kotihoidon asiakkaita 1 234 567 koko maassa.",
    "Tutkimus oli 20.12.2023 - 5.1.2024 välisenä aikana.",
    "Verenpaine oli 145/95 ja pulssi 88.",
    "Päivystys 24/7 olisi hyvä.",
    "Soitin 112:een kun isä kaatui.",
    "Tapahtui 5.5.2024 klo 8.45–9.30 välillä.",
    "Maksoin 1234,56 euroa hammashoidosta.",
    "Potilasohje versio 3.2.1 oli vanhentunut.",
    "Kelan korvaus 20 000 euroa haettiin vuonna 2023.",
    "Ajanvaraus 12.12. klo 9.15.",
    "Jag väntade från 1.2.2024 till 15.3.2024.",
    "Open Mon–Fri 8–16.",
    "Lämpö oli 38,5 astetta ja kesto 1,5 h.",
    "Sain 2 rokotetta, COVID-19 ja influenssa.",
    "Huone 204, kolmas kerros.",
    "Bussi 550 ei kulje.",
    "Jono oli 3 h 20 min.",
    "Hinta 35,70 e / käynti.",
    "",
]


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_hard_negatives_stay_untouched(text):
    assert redact(text) == text, kinds(text)


# ----------------------------------------------------------------------------- API contract

def test_redact_replaces_with_placeholders():
    text = "Soita 040 123 4567 tai mail matti.m@example.fi, hetu 131052-308T. Hoitaja Virtanen, Koivukuja 3."
    assert redact(text) == ("Soita [phone] tai mail [email], hetu [id code]. Hoitaja [name], [address].")
    assert redact("asiakasnumero AB-123456") == "asiakasnumero [record]"


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA])
def test_missing_values_pass_through(missing):
    out = redact(missing)
    if missing is None or missing is pd.NA:
        assert out is missing
    else:
        assert isinstance(out, float) and math.isnan(out)


@pytest.mark.parametrize("bad", [123, 1.5, b"040 123 4567", ["hetu"], {"a": 1}])
def test_non_str_raises(bad):
    with pytest.raises(ParameterError, match=r"`redact` takes a str or a missing value; got"):
        redact(bad)
    with pytest.raises(ValueError):  # ParameterError is a ValueError
        find_identifiers(bad)


def test_identifier_is_frozen_and_validated():
    ident = Identifier("phone", 0, 3)
    with pytest.raises(Exception):
        ident.start = 1  # type: ignore[misc]
    with pytest.raises(ParameterError, match="unknown identifier kind"):
        Identifier("ssn", 0, 3)
    with pytest.raises(ParameterError, match="empty or negative span"):
        Identifier("phone", 3, 3)


def test_redact_series_matches_map_on_the_corpus_and_keeps_index_and_missing():
    texts = [r["text"] for r in load_corpus()] + HARD_NEGATIVES + [None, np.nan, "", "Kiitos Mattille"]
    s = pd.Series(texts, index=[f"r{k}" for k in range(len(texts))], name="comment", dtype=object)
    out = redact_series(s)
    expected = s.map(redact)
    assert out.index.equals(s.index) and out.name == "comment"
    assert out.iloc[:-4].tolist() == expected.iloc[:-4].tolist()
    assert out.iloc[-4] is None and math.isnan(out.iloc[-3]) and out.iloc[-2] == ""
    assert out.iloc[-1] == "Kiitos [name]"


def test_redact_series_on_pandas_string_dtype():
    s = pd.Series(["puh 040 123 4567", None, "Kiitos hoitaja Virtaselle"], dtype="string")
    out = redact_series(s)
    assert out.dtype == s.dtype
    assert out.iloc[0] == "puh [phone]" and pd.isna(out.iloc[1]) and out.iloc[2] == "Kiitos hoitaja [name]"


def test_redact_series_rejects_non_text():
    with pytest.raises(ParameterError, match=r"element 'b' is int"):
        redact_series(pd.Series(["ok", 5], index=["a", "b"], dtype=object))
    with pytest.raises(ParameterError, match="takes a pandas Series"):
        redact_series(["040 123 4567"])  # type: ignore[arg-type]


def test_redact_series_does_not_mutate_input():
    s = pd.Series(["puh 040 123 4567"], dtype=object)
    redact_series(s)
    assert s.iloc[0] == "puh 040 123 4567"


def test_fast_path_agrees_with_slow_path_on_benchmark_sample():
    s = pd.Series(make_comments(3000, seed=7), dtype=object)
    assert redact_series(s).tolist() == s.map(redact).tolist()


def test_every_title_form_contains_a_title_stem():
    # The literal stems are the title pre-check; a form without a stem would be missed.
    assert all(any(st in f for st in TITLE_STEMS) for f in TITLE_FORMS)


# ----------------------------------------------------------------------------- benchmark comments
# Sentence fragments and generator of the redaction benchmark (Finnish, some Swedish and
# English feedback); the fast path is compared with map(redact) on its output.

BENCH_PLAIN = [
    "Palvelu oli ystävällistä ja nopeaa.", "Jonotin puhelimessa liian kauan.", "Lääkäri kuunteli ja selitti asiat hyvin.",
    "Ajan saaminen kesti viikkoja.", "Kiitos hyvästä hoidosta!", "Ohjeet olivat epäselviä, en tiennyt mitä tehdä seuraavaksi.",
    "Toivoisin että minulle soitettaisiin takaisin.", "Hoitaja oli todella mukava ja asiallinen.",
    "Vastaanotolla oli kiireen tuntu, mutta asiat hoituivat.", "En saanut tietoa tutkimusten tuloksista ajoissa.",
    "Pysäköinti terveysaseman edessä on mahdotonta.", "Henkilökunta oli ammattitaitoista ja kohteliasta.",
    "Chat-palvelussa vastattiin nopeasti.", "Omaolon kautta ajanvaraus onnistui helposti.",
    "Takaisinsoittoa ei tullut vaikka luvattiin.", "Tilat olivat siistit ja rauhalliset.", "Sain hyvät ohjeet kotiin.",
    "Lapsen rokotus meni hyvin, kiitos.", "Kotihoidon käynnit ovat liian lyhyitä.", "Kukaan ei kertonut mitä seuraavaksi tapahtuu.",
    "Onneksi pääsin samana päivänä.", "Anna palautetta -linkki ei toiminut.", "Toivon että asiat paranevat.",
    "Apteekissa resepti ei näkynyt.", "Kela-korvaus tuli vasta kuukauden päästä.", "Mielenterveyspalveluihin on liian pitkä jono.",
    "Fysioterapia auttoi selkäkipuun.", "Neuvolassa kuunneltiin aidosti.", "Hammashoitolassa oli kivuton käynti.",
    "Päivystyksessä odotin koko illan.", "Hoitaja soitti perään ja kysyi vointia.", "Sosiaalitoimistosta ei vastattu viesteihin.",
    "Tulkki oli paikalla ja se auttoi paljon.", "Esteetön sisäänkäynti puuttui.", "Laboratorioon oli pitkä jono aamulla.",
    "Mä en ymmärtäny mitä lääkäri tarkotti.", "tosi hyvä palvelu kiitos", "ei mitään valitettavaa",
    "Vårdpersonalen var vänlig och hjälpsam.", "Jag fick vänta länge i telefon.", "Bra service, tack!",
    "The staff were kind but the wait was long.", "Easy to book an appointment online.", "Kaikki meni hyvin.",
    "Lääkäri ei katsonut minuun kertaakaan.", "Sain ajan etävastaanotolle ja se toimi hyvin.",
    "Hoitajat tekevät parhaansa vaikka resursseja on vähän.", "Toivo ja usko paremmasta ovat hukassa.",
]
BENCH_NUMERIC = [
    "Odotin 45 minuuttia.", "Aika oli 12.3.2024 klo 14.30.", "Maksu 35,70 € on liikaa.", "Jonotin 2 tuntia.",
    "Soitin 5 kertaa.", "Aukiolo ma–pe 8–16 ei riitä.", "Sain ajan 3 viikon päähän.", "Lasku oli 1 200 euroa.",
    "Muutin 00120 Helsinki alueelle.", "Lääke 2 x 500 mg.", "Vuonna 2023 jonot olivat lyhyemmät.",
    "Tyytyväisyys 9/10.", "Jonossa numero 14.", "Verenpaine 140/90 mitattiin.", "Kotihoito käy 3 kertaa päivässä.",
    "Vastaanotto 1.2. klo 9.15.", "Matka 40 km suuntaansa.", "Huone 204 oli kylmä.", "Kesti 1,5 h.",
]
BENCH_NAMES = [
    "Kiitos hoitaja Virtaselle!", "Lääkäri Mäkinen oli ihana.", "Kiitos Matille avusta.", "Sairaanhoitaja Anna Korhonen auttoi.",
    "Terveydenhoitaja Liisa oli paras.", "Tack till Karin Lindqvist.", "Nurse Emma was great.", "Pekka Nieminen soitti takaisin.",
]
BENCH_IDENTIFIERS = [
    "Soittakaa 040 123 4567.", "Sposti matti.virtanen@example.fi.", "Hetu 131052-308T.", "Osoite Koivukuja 3 as. 5.",
    "Asiakasnumero AB-123456.", "Numero +358 50 765 4321.", "Mail liisa at example piste fi.", "Puh (09) 310 1691.",
]


def make_comments(n: int, seed: int = 20250101) -> list[str]:
    """``n`` comments of 80–150 characters in the mix of open-text feedback (the benchmark's generator).

    Most have no digits, about a quarter mention times, dates, amounts or counts, a few per
    cent name staff, and about 2 % carry a planted identifier. The seed fixes the output.
    """
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        u = rng.random()
        parts = []
        if u < 0.02:
            parts.append(rng.choice(BENCH_IDENTIFIERS))
        elif u < 0.06:
            parts.append(rng.choice(BENCH_NAMES))
        elif u < 0.31:
            parts.append(rng.choice(BENCH_NUMERIC))
        text = " ".join(parts)
        while len(text) < 80:
            text = (text + " " + rng.choice(BENCH_PLAIN)).strip()
        if len(text) > 150:
            text = text[:150].rsplit(" ", 1)[0]
        out.append(text)
    return out


# ----------------------------------------------------------------------------- properties

FRAGMENTS = [
    "040 123 4567", "+358 (0)40 765 4321", "358 50 111 2222", "131052-308T", "131052 308T", "131052-308A",
    "matti.m@example.fi", "nimi at domain piste fi", "x(at)y(piste)fi", "Koivukuja 3 as. 5", "Hämeenkatu 14 B 22",
    "hoitaja", "lääkäri", "Virtanen", "Virtaselle", "Matti", "Anna", "Toivo", "Onni", "Helsinki", "Dr.",
    "potilasnumero", "1234567", "2024-123456", "01.02.2024", "klo 14.30", "120,50 €", "00100", "ma–pe 8–16",
    "[phone]", "[name]", "kiitos", "ja", "oli", "Kiitos", ".", ",", "!", "\n", " ", "  ", "-", "@", "(", ")",
]
texts = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), max_size=12).map(lambda xs: " ".join(xs)),
    st.lists(st.sampled_from(FRAGMENTS), max_size=12).map(lambda xs: "".join(xs)),
    st.text(alphabet=st.sampled_from(list("0123456789 -+().@aAtTkKvV\nMäöå")), max_size=40),
    st.text(max_size=60),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_redact_is_idempotent(text):
    once = redact(text)
    assert redact(once) == once


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_text_without_identifiers_is_never_changed_or_lengthened(text):
    if not find_identifiers(text):
        out = redact(text)
        assert out == text and len(out) <= len(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=8))
def test_fast_path_equals_map(items):
    s = pd.Series(items, dtype=object)
    assert redact_series(s).tolist() == s.map(redact).tolist()


def test_the_projects_planted_sample_identifiers_are_all_redacted():
    # The templates of workbench.sample_data.responses._IDENTIFIER_COMMENTS, with the identity
    # code's check character computed (the project plants a fixed "K", which is valid for
    # only 1 in 31 codes and so, by design, no longer counts as an identity code).
    import re
    rng = np.random.default_rng(0)
    check = "0123456789ABCDEFHJKLMNPRSTUVWXY"
    for _ in range(300):
        a, b, c, d = rng.integers(0, 10, 4)
        date_num = f"0{a}0{b}8{c}{d}{a}{b}"
        code = f"0{a}0{b}8{c}-{d}{a}{b}{check[int(date_num) % 31]}"
        for text in (f"Soittakaa minulle numeroon 040 {a}{b} {c}{d}{a}{b}, asia jäi kesken.",
                     f"Henkilötunnukseni on {code}, tiedot olivat väärin.",
                     f"Vastatkaa sähköpostiin testi.asiakas{a}{b}@example.fi kiitos.",
                     f"Call me on +358 50 {a}{b}{c} {d}{a}{b}{c} please."):
            out = redact(text)
            if (a == 0 or b == 0) and "Henkilö" in text:
                continue  # day or month 00 is no date, so no identity code (the template can make it)
            assert not re.search(r"\d{5,}|@|\d{6}[-+A]", out), (text, out)
