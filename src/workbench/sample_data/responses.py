"""Seeded generator of the bundled SYNTHETIC sample data (``data/samples/``).

The areas are the 21 Finnish wellbeing services counties and the City of Helsinki, but
every number is synthetic: drawn from a seeded model, not observed. The questionnaire
follows THL's harmonised shape (DESIGN.md): a 0–10 recommendation question, seven core
agreement statements (1–5, 6 = don't know), CSAT (1–5) everywhere, CES (1–7) and FCR
(kyllä/ei) for phone and remote services, respondent background for case-mix and raking,
and a free-text comment in which some synthetic personal identifiers are planted so that
redaction can be demonstrated and tested.

Run ``python -m workbench.sample_data`` to rewrite ``data/samples/``; ``--scale 20 --out
data/generated`` writes a larger variant (not committed).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .._validate import check_positive
from .comments import EMERGING, generate_comments

__all__ = ["AREAS", "SERVICES", "STATEMENTS", "generate", "write_samples"]

SEED = 20261122

# Two planted special causes (latent-score shifts), so that funnel plots and league tables have
# something real to find; the reports should flag them. Documented in data/samples/README.md.
SPECIAL_CAUSES = {"Päijät-Häme / emergency department": -2.0, "Pohjois-Pohjanmaa / primary care visit": 1.6}

AREAS = {  # area: relative population size (synthetic weights, roughly proportional)
    "Helsinki": 6.7, "Itä-Uusimaa": 1.0, "Keski-Uusimaa": 2.0, "Länsi-Uusimaa": 4.8, "Vantaa-Kerava": 2.8,
    "Varsinais-Suomi": 4.9, "Satakunta": 2.1, "Kanta-Häme": 1.7, "Pirkanmaa": 5.3, "Päijät-Häme": 2.0,
    "Kymenlaakso": 1.6, "Etelä-Karjala": 1.3, "Etelä-Savo": 1.3, "Pohjois-Savo": 2.5, "Pohjois-Karjala": 1.6,
    "Keski-Suomi": 2.7, "Etelä-Pohjanmaa": 1.9, "Pohjanmaa": 1.8, "Keski-Pohjanmaa": 0.8,
    "Pohjois-Pohjanmaa": 4.2, "Kainuu": 0.7, "Lappi": 1.8,
}

# service: (customers per year per population unit, response rate, mean latent score, CES/FCR asked)
SERVICES = {
    "phone service": (21000, 0.0040, 7.0, True),
    "emergency department": (9000, 0.0090, 7.4, False),
    "imaging": (7000, 0.0075, 8.6, False),
    "remote consultation": (8000, 0.0080, 7.9, True),
    "primary care visit": (16000, 0.0045, 7.8, False),
    "oral health": (6000, 0.0070, 8.4, False),
    "maternity and child clinic": (2500, 0.0200, 8.7, False),
    "social services": (3000, 0.0160, 6.9, False),
}

STATEMENTS = {  # column: paraphrased core agreement statement (our own wording)
    "s1_access": "I got the service when I needed it",
    "s2_respect": "I was treated with respect",
    "s3_participation": "I could take part in decisions about my care",
    "s4_safety": "I felt safe",
    "s5_information": "I received enough information",
    "s6_understood": "Things were explained in a way I understood",
    "s7_help": "I got help for my need",
}

AGE_GROUPS = ("18-34", "35-49", "50-64", "65-74", "75+")
CHANNELS = ("sms", "web", "paper", "kiosk")
MONTHS = pd.period_range("2024-11", "2026-10", freq="M").strftime("%Y-%m").tolist()

def _latent_shift(age, first_visit, channel):
    """Respondent-mix effects on the latent score (older and paper respondents rate higher)."""
    age_effect = np.array([-0.45, -0.2, 0.0, 0.25, 0.4])[age]
    channel_effect = np.array([-0.15, -0.05, 0.3, 0.1])[channel]
    return age_effect + channel_effect - 0.2 * first_visit


def generate(scale: float = 1.0, seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Synthetic responses and yearly service volumes.

    Parameters
    ----------
    scale : float
        Multiplies the number of responses (1 gives about 60,000).
    seed : int

    Returns
    -------
    (responses, volumes) : DataFrames

    Raises
    ------
    ParameterError
        A non-positive scale.

    Notes
    -----
    Latent unit scores (service mean + area effect + unit noise + planted special causes + a monthly
    trend) and respondent-mix effects drive every answer through ordinal cut points; every draw comes
    from one seeded generator, so the output is bit-identical for a seed (tested).
    """
    scale = check_positive(scale, "scale")
    rng = np.random.default_rng(seed)
    areas, services = list(AREAS), list(SERVICES)
    area_effect = rng.normal(0, 0.15, len(areas))
    unit_rows = []
    for ai, area in enumerate(areas):
        for si, service in enumerate(services):
            per_pop, rate, mean, _ = SERVICES[service]
            volume = int(round(AREAS[area] * per_pop * rng.lognormal(0, 0.25)))
            unit_rows.append((area, service, f"{area} / {service}", volume, rate * rng.lognormal(0, 0.5),
                              mean + area_effect[ai] + rng.normal(0, 0.22), rng.normal(0, 0.012), ai, si))
    units = pd.DataFrame(unit_rows, columns=["area", "service", "unit", "customers_per_year", "rate", "mu",
                                             "trend", "ai", "si"])
    volumes = units[["area", "service", "unit", "customers_per_year"]].copy()
    units["mu"] = units["mu"] + units["unit"].map(SPECIAL_CAUSES).fillna(0.0)  # after all draws: stream unchanged

    # Responses per unit and month: Poisson around volume x response rate (small units get few).
    lam = (units["customers_per_year"] / 12 * units["rate"] * scale).to_numpy()
    n_um = rng.poisson(np.repeat(lam[:, None], len(MONTHS), axis=1))
    unit_idx = np.repeat(np.repeat(np.arange(len(units)), len(MONTHS)), n_um.ravel())
    month_idx = np.repeat(np.tile(np.arange(len(MONTHS)), len(units)), n_um.ravel())
    size = len(unit_idx)
    si = units["si"].to_numpy()[unit_idx]

    # Respondent background: the mix differs by service (maternity young, imaging older).
    age_logits = np.array([[0.0, 0.0, 0.2, 0.3, 0.2]] * len(services))
    age_logits[services.index("maternity and child clinic")] = [1.6, 0.8, -2.5, -4.0, -5.0]
    age_logits[services.index("imaging")] = [-0.7, -0.2, 0.4, 0.7, 0.6]
    age_logits[services.index("remote consultation")] = [0.6, 0.5, 0.2, -0.4, -1.2]
    probs = np.exp(age_logits) / np.exp(age_logits).sum(axis=1, keepdims=True)
    cum = probs.cumsum(axis=1)[si]
    age = (rng.random(size)[:, None] > cum).sum(axis=1)
    age = np.minimum(age, len(AGE_GROUPS) - 1)
    female_share = np.where(si == services.index("maternity and child clinic"), 0.93, 0.57)
    sex = np.where(rng.random(size) < female_share, "female", "male")
    first_visit = (rng.random(size) < 0.3).astype(np.int64)
    channel = rng.choice(len(CHANNELS), size=size, p=[0.55, 0.25, 0.12, 0.08])
    language = rng.choice(np.array(["fi", "sv", "other"]), size=size, p=[0.86, 0.06, 0.08])

    # Latent experience: unit level + time trend + monthly wobble + respondent mix + individual noise.
    months_from_start = month_idx.astype(float)
    month_noise = rng.normal(0, 0.12, (len(units), len(MONTHS)))[unit_idx, month_idx]
    mu = units["mu"].to_numpy()[unit_idx] + units["trend"].to_numpy()[unit_idx] * months_from_start + month_noise
    latent = mu + _latent_shift(age, first_visit, channel) + rng.normal(0, 1.7, size)
    nps = np.clip(np.round(latent + 0.6), 0, 10).astype(np.int64)
    csat = np.clip(np.round(1 + (latent - 3.0) / 1.6 + rng.normal(0, 0.6, size)), 1, 5).astype(np.int64)

    columns = {
        "response_id": np.arange(1, size + 1),
        "area": units["area"].to_numpy()[unit_idx],
        "service": units["service"].to_numpy()[unit_idx],
        "unit": units["unit"].to_numpy()[unit_idx],
        "month": np.array(MONTHS)[month_idx],
        "age_group": np.array(AGE_GROUPS)[age],
        "sex": sex,
        "first_visit": first_visit,
        "channel": np.array(CHANNELS)[channel],
        "language": language,
        "nps": nps,
    }
    dk_rates = np.array([0.03, 0.02, 0.09, 0.06, 0.04, 0.03, 0.05])
    loadings = np.array([0.55, 0.45, 0.5, 0.45, 0.5, 0.5, 0.6])
    for j, col in enumerate(STATEMENTS):
        value = 3.0 + loadings[j] * (latent - 7.0) + rng.normal(0.5, 0.75, size)
        answer = np.clip(np.round(value), 1, 5).astype(np.int64)
        columns[col] = np.where(rng.random(size) < dk_rates[j], 6, answer)
    columns["csat"] = csat
    digital = np.array([SERVICES[s][3] for s in services])[si]
    ces = np.clip(np.round(4.2 + 0.55 * (latent - 7.0) + rng.normal(0, 1.1, size)), 1, 7)
    columns["ces"] = pd.array(np.where(digital, ces, np.nan), dtype="Int64")
    fcr_yes = rng.random(size) < 1 / (1 + np.exp(-(0.9 + 0.45 * (latent - 7.0))))
    columns["fcr"] = np.where(digital, np.where(fcr_yes, "kyllä", "ei"), None)

    # Comments last, from their own random stream: every column above is unchanged by them.
    columns["comment"] = generate_comments(pd.DataFrame(columns), seed)
    responses = pd.DataFrame(columns)
    return responses, volumes


_README = """# Sample data — SYNTHETIC

Everything in this folder is **synthetic**. The area names are the 21 Finnish wellbeing
services counties and the City of Helsinki, but every response, volume and comment was
drawn from a seeded statistical model (`workbench.sample_data`, seed {seed}); none of it
describes a real service, customer or organisation. Identifiers that appear in some
comments (phone numbers, personal identity codes, e-mail addresses) are invented and are
there to exercise the reports' redaction.

- `responses.parquet` — {rows:,} synthetic responses, {months} months ({first}–{last}):
  area, service, unit, month, respondent background (age_group, sex, first_visit, channel,
  language), `nps` (0–10), seven agreement statements `s1_…`–`s7_…` (1–5, 6 = don't know),
  `csat` (1–5), `ces` (1–7) and `fcr` (kyllä/ei) for phone and remote services, `comment`.
- `volumes.csv` — synthetic yearly customers served per area and service (unit).
- `framework.toml` — an illustrative metric framework (touchpoints, metrics, periods, margins).

Two special causes are planted on purpose: {special}. Every other unit differs from its peers
only through the model's random unit effects. With the default settings the funnel plots flag
the first at 99.8 % and both at 95 % (beside a few chance flags, as that level implies).

Comments ({comments:,} of the responses) are assembled from the sentences in
`src/workbench/sample_data/comments.toml`, consistent with each score and service (detractors at the
phone service complain about queues and callbacks, promoters praise staff), with compounds,
inflections, negation, colloquial and lower-case spelling, and some Swedish and English. They are
drawn from their own random stream (`default_rng([seed, 13])`) after every other column, so no
other column depends on them. One **emerging issue** is planted for the open-feedback report to find:
complaints about patient transport (Kela taxi: late, missing or wrongly ordered rides) in
{emerging_area} from {emerging_first} to {emerging_last}, rising from {emerging_low:.0%} to
{emerging_high:.0%} of that area's comments while the comment rate there is 2.5 times as high. No theme of the
default taxonomy covers transport, so only the discovery step (NMF on uncaught comments) can find it.
- `population_margins.csv` — synthetic population shares by age group, sex and language
  (the raking targets of the weighting report).

Regenerate with `python -m workbench.sample_data` (identical output); a larger variant:
`python -m workbench.sample_data --scale 20 --out data/generated` (not committed).
"""


def population_margins() -> pd.DataFrame:
    """Synthetic population shares used as raking margins (variable, category, share)."""
    rows = [("age_group", g, s) for g, s in zip(AGE_GROUPS, (0.27, 0.24, 0.23, 0.15, 0.11))]
    rows += [("sex", "female", 0.51), ("sex", "male", 0.49)]
    rows += [("language", "fi", 0.85), ("language", "sv", 0.05), ("language", "other", 0.10)]
    return pd.DataFrame(rows, columns=["variable", "category", "share"])


def write_samples(out: str | Path = "data/samples", scale: float = 1.0, seed: int = SEED) -> list[Path]:
    """Write the sample files (and their README) to ``out``; returns the paths.

    Parameters
    ----------
    out : str or Path
    scale : float
    seed : int

    Returns
    -------
    list of Path

    Raises
    ------
    OSError
        The folder cannot be written.

    Notes
    -----
    ``python -m workbench.sample_data`` calls this.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    responses, volumes = generate(scale=scale, seed=seed)
    paths = [out / "responses.parquet", out / "volumes.csv", out / "population_margins.csv", out / "README.md"]
    responses.to_parquet(paths[0], index=False, compression="zstd")
    volumes.to_csv(paths[1], index=False)
    population_margins().to_csv(paths[2], index=False)
    special = "; ".join(f"{unit} (latent shift {shift:+.1f})" for unit, shift in SPECIAL_CAUSES.items())
    paths[3].write_text(_README.format(
        seed=seed, rows=len(responses), months=len(MONTHS), first=MONTHS[0], last=MONTHS[-1], special=special,
        comments=int(responses["comment"].notna().sum()), emerging_area=EMERGING["area"],
        emerging_first=EMERGING["months"][0], emerging_last=EMERGING["months"][-1],
        emerging_low=EMERGING["share"][0], emerging_high=EMERGING["share"][-1]), encoding="utf-8")
    return paths
