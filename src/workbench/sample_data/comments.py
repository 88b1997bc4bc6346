"""SYNTHETIC open-text comments for the sample responses, consistent with their scores and services.

Comments are assembled from the sentences in ``comments.toml``: detractors (0-6) mostly complain,
promoters (9-10) mostly praise, passives mix; themes follow the service (queues and callbacks at
the phone service, waiting at the emergency department, fees at oral health). Some comments are in
Swedish or English (by the respondent's language), some are typed in lower case, without ä/ö or in
colloquial spelling, and some carry invented identifiers for the redaction demo. One emerging issue
is planted: complaints about patient transport (Kela taxi) rising over the last four months in one
area (``[emerging]`` in ``comments.toml``; documented in ``data/samples/README.md``).

Everything is drawn from its own random stream, ``np.random.default_rng([seed, 13])``, after every
other column is drawn, so the other columns do not depend on this module.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

__all__ = ["generate_comments", "EMERGING", "STREAM"]

STREAM = 13  # the comments' own random stream: default_rng([seed, STREAM])

# How often each theme is written about, per service (relative weights).
_THEMES = {
    "phone service": {"phone": 6, "respect": 3, "competence": 2, "information": 2, "access": 2, "digital": 1},
    "emergency department": {"access": 6, "respect": 3, "competence": 3, "information": 3, "facilities": 2,
                             "safety": 1, "continuity": 1, "costs": 1},
    "imaging": {"access": 5, "respect": 3, "information": 3, "facilities": 2, "competence": 2, "costs": 1},
    "remote consultation": {"digital": 6, "competence": 3, "access": 2, "respect": 2, "information": 1,
                            "continuity": 1},
    "primary care visit": {"access": 5, "continuity": 3, "respect": 3, "competence": 3, "participation": 2,
                           "costs": 1, "phone": 2, "information": 1},
    "oral health": {"access": 5, "costs": 3, "competence": 3, "respect": 3, "phone": 2},
    "maternity and child clinic": {"continuity": 4, "participation": 3, "respect": 4, "information": 3,
                                   "access": 1},
    "social services": {"access": 4, "continuity": 3, "respect": 3, "information": 3, "participation": 2,
                        "language": 1, "digital": 1},
}
_IDENTIFIERS = (  # synthetic identifiers, planted for the redaction tests and demo
    "Soittakaa minulle numeroon 040 {a}{b} {c}{d}{a}{b}, asia jäi kesken.",
    "Henkilötunnukseni on {hetu}, tiedot olivat väärin.",
    "Vastatkaa sähköpostiin testi.asiakas{a}{b}@example.fi kiitos.",
    "Call me on +358 50 {a}{b}{c} {d}{a}{b}{c} please.",
)
_COLLOQUIAL = {"vastannut": "vastannu", "nopeasti": "nopeesti", "minulle": "mulle", "minua": "mua",
               "ollenkaan": "ollenkaa", "kerrottu": "kerrottu", "tullut": "tullu", "päivää": "päivää"}
_PLAIN = str.maketrans({"ä": "a", "ö": "o", "å": "a", "Ä": "A", "Ö": "O"})


_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"  # the check characters of a Finnish personal identity code


def _identity_code(a: int, b: int, c: int, d: int) -> str:
    """A well-formed synthetic identity code (valid date and check character), as real ones are.

    Planted codes must be valid: the redaction validates the check character, so an invalid code
    is not an identity code and would test nothing. Individual numbers 900–999 are reserved for
    temporary codes; these use 002–899.
    """
    day, month, year = 1 + (10 * a + b) % 28, 1 + (10 * c + d) % 12, 40 + (a * 7 + d) % 60
    individual = 2 + (100 * d + 10 * c + b) % 898
    digits = f"{day:02d}{month:02d}{year:02d}{individual:03d}"
    return f"{digits[:6]}-{digits[6:]}{_CHECK[int(digits) % 31]}"


@lru_cache(maxsize=1)
def _parts() -> dict:
    text = resources.files(__package__).joinpath("comments.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


EMERGING = {k: _parts()["emerging"][k] for k in ("area", "months", "share")}


def _pick(rng: np.random.Generator, items):
    return items[int(rng.integers(0, len(items)))]


def _fragment(rng, groups, theme: str, tone: str, lang: str, service: str) -> str:
    def fits(g, with_theme):
        return (g.get("lang", "fi") == lang and g["tone"] == tone and service in g.get("services", [service])
                and (not with_theme or g["theme"] == theme))

    candidates = [g for g in groups if fits(g, True)] or [g for g in groups if fits(g, False)]
    if not candidates:
        candidates = [g for g in groups if g.get("lang", "fi") == "fi" and g["tone"] == tone and g["theme"] == theme]
    group = _pick(rng, candidates or [g for g in groups if g["theme"] == "" and g["tone"] == tone])
    text = _pick(rng, group["texts"])
    staff = _pick(rng, _parts()["staff"][service])
    text = text.format(staff=staff, hours=rng.integers(2, 10), weeks=rng.integers(2, 9), months=rng.integers(2, 7),
                       minutes=rng.integers(20, 91))
    return text[0].upper() + text[1:]


def _style(rng, text: str) -> str:
    """Real answers vary: lower case without a final stop, no ä/ö, colloquial forms."""
    u = rng.random(3)
    if u[0] < 0.06:
        for standard, spoken in _COLLOQUIAL.items():
            text = text.replace(standard, spoken)
    if u[1] < 0.04:
        text = text.translate(_PLAIN)
    if u[2] < 0.10:
        text = text.lower().rstrip(".!")
    return text


def generate_comments(responses: pd.DataFrame, seed: int) -> np.ndarray:
    """One comment or None per response row.

    Parameters
    ----------
    responses : DataFrame
        The sample responses with ``area``, ``service``, ``month``, ``nps`` and ``language``.
    seed : int
        The sample's seed; the comments use the stream ``default_rng([seed, 13])``.

    Returns
    -------
    ndarray of object
        Comment text or None per row.

    Raises
    ------
    KeyError
        A service without theme weights.

    Notes
    -----
    About one respondent in six among detractors writes a comment, one in twelve among others; in
    the planted area and months the comment rate is 2.5 times as high and a growing share of comments
    concern patient transport. Every draw for a row comes from the comments' own stream, in row order.

    References
    ----------
    The sample data's README (``data/samples/README.md``).
    """
    rng = np.random.default_rng([seed, STREAM])
    parts = _parts()
    groups = parts["fragment"]
    suggestions = parts["suggestion"]
    emerging = parts["emerging"]
    size = len(responses)
    nps = responses["nps"].to_numpy()
    klass = np.where(nps <= 6, 0, np.where(nps <= 8, 1, 2))
    in_emerging = (responses["area"].to_numpy() == emerging["area"]) & np.isin(responses["month"], emerging["months"])
    rate = np.array([0.16, 0.08, 0.09])[klass] * np.where(in_emerging, 2.5, 1.0)
    writes = rng.random(size) < rate
    out = np.full(size, None, dtype=object)
    services, languages = responses["service"].to_numpy(), responses["language"].to_numpy()
    months = responses["month"].to_numpy()
    for row in np.flatnonzero(writes):
        service, k = services[row], klass[row]
        u = rng.random(6)
        lang = "sv" if languages[row] == "sv" and u[0] < 0.7 else "en" if languages[row] == "other" and u[0] < 0.35 else "fi"
        if u[1] < 0.015:
            a, b, c, d = rng.integers(0, 10, 4)
            out[row] = _pick(rng, _IDENTIFIERS).format(a=a, b=b, c=c, d=d, hetu=_identity_code(a, b, c, d))
            continue
        if in_emerging[row] and u[2] < emerging["share"][emerging["months"].index(months[row])]:
            text = _pick(rng, emerging["texts"])
            if u[3] < 0.3:
                text += " " + _fragment(rng, groups, "", "negative", "fi", service)
            out[row] = _style(rng, text)
            continue
        if k == 0:  # detractors complain, a few concede something first
            tones = ["negative"] * (1 + (u[3] < 0.45)) if u[4] < 0.85 else ["positive", "negative"]
        elif k == 1:  # passives mix
            tones = ["positive", "negative"] if u[4] < 0.5 else ["negative"] if u[4] < 0.8 else ["positive"]
        else:  # promoters praise
            tones = ["positive"] * (1 + (u[3] < 0.35)) if u[4] < 0.92 else ["positive", "negative"]
        weights = _THEMES[service]
        names, p = list(weights), np.array(list(weights.values()), dtype=float)
        chosen = []
        sentences = []
        for tone in tones:
            generic = rng.random() < 0.12
            theme = "" if generic else names[int(rng.choice(len(names), p=p / p.sum()))]
            chosen.append(theme)
            sentences.append(_fragment(rng, groups, theme, tone, lang, service))
        if lang == "fi" and rng.random() < (0.3 if k < 2 else 0.12):
            fitting = [s for s in suggestions if s["theme"] in chosen] or suggestions
            sentences.append(_pick(rng, _pick(rng, fitting)["texts"]))
        if k == 2 and lang == "fi" and rng.random() < 0.25:
            sentences.append("Kiitos!")
        out[row] = _style(rng, " ".join(dict.fromkeys(sentences)))
    return out
