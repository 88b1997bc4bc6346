"""Seeded generator of SYNTHETIC contact events for the sample counties (``data/samples/events.parquet``).

One calendar year of contacts (2025, local time) in the areas, services and units of
:mod:`~workbench.sample_data.responses`, consistent with its yearly volumes (``volumes.csv``: contacts per
unit). Contacts come in realistic journeys: a phone call → a doctor's visit → imaging → a follow-up call;
an emergency visit → imaging → a follow-up visit; maternity and child health series; social-services client
processes and home care; dental treatment series; plus single calls, chats and visits. Persons carry an age
group, a language, contact details and flags (non-disclosure, deceased, minors and their guardians,
palliative or sensitive care).

A problem is planted on purpose: in :data:`PLANTED_UNIT` most contacts are home-care visits to a few clients
seen every week, so under a 90-day cooldown the unit cannot reach the responses its volume calls for. A few
bad events are planted too (missing ids, timestamps in the future, an unknown unit, duplicates) so that
validation has something to report. Everything is vectorised per area and journey type; nothing loops over
persons.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm  # plain bar: tqdm.auto warns on every report page (no ipywidgets)

from .._validate import check_positive
from ..errors import ParameterError
from ..journey.windows import from_wall
from .responses import AREAS, SEED, generate

__all__ = ["generate_events", "write_events", "events_readme", "SAMPLE_AREAS", "PLANTED_UNIT", "YEAR_START",
           "AGE_GROUPS"]

EVENT_SEED = SEED + 16
SAMPLE_AREAS = ("Kainuu", "Itä-Uusimaa")
PLANTED_UNIT = "Kainuu / social services"
YEAR_START = "2025-01-01"  # one calendar year of contacts, 2025 (local dates)
AGE_GROUPS = ("0-17", "18-34", "35-49", "50-64", "65-74", "75+")
_POP_AGE = np.array([0.18, 0.22, 0.19, 0.19, 0.12, 0.10])
_MOBILE = np.array([0.95, 0.97, 0.96, 0.93, 0.85, 0.62])  # for minors: the guardian's
_EMAIL = np.array([0.70, 0.80, 0.75, 0.65, 0.50, 0.30])
_DEATH = np.array([0.0005, 0.001, 0.002, 0.005, 0.012, 0.04])
_SWEDISH = {"Itä-Uusimaa": 0.30, "Pohjanmaa": 0.48, "Länsi-Uusimaa": 0.15, "Keski-Pohjanmaa": 0.08,
            "Helsinki": 0.05, "Varsinais-Suomi": 0.05, "Vantaa-Kerava": 0.03}
_OTHER = {"Helsinki": 0.16, "Vantaa-Kerava": 0.18, "Länsi-Uusimaa": 0.10}
# Age mix of the users of each kind of contact (0-17 … 75+).
_USERS = {
    "adult": [0, 0.20, 0.20, 0.22, 0.20, 0.18], "older": [0, 0.10, 0.14, 0.24, 0.26, 0.26],
    "emergency": [0.15, 0.20, 0.15, 0.17, 0.15, 0.18], "mother": [0, 0.62, 0.38, 0, 0, 0],
    "child": [1, 0, 0, 0, 0, 0], "social": [0.05, 0.25, 0.22, 0.20, 0.13, 0.15],
    "home care": [0, 0, 0.02, 0.10, 0.28, 0.60], "young": [0.05, 0.40, 0.30, 0.17, 0.06, 0.02],
}
# Hours of the day at which contacts happen (local), by kind.
_OFFICE, _PHONE, _CHAT, _ANY = (7.5, 16.0), (8.0, 16.0), (8.0, 20.0), (0.0, 24.0)
_US_DAY = 86_400_000_000


def _volumes(seed: int) -> pd.DataFrame:
    """The sample's yearly contacts per unit (the volumes of :func:`responses.generate`, drawn first)."""
    return generate(scale=0.01, seed=seed)[1]  # volumes come before the responses in the seeded stream


class _Area:
    """Builds one area's persons and journeys as arrays (one instance per area, not per person)."""

    def __init__(self, area: str, volume: dict, scale: float, rng: np.random.Generator, prefix: str):
        self.area, self.rng, self.v = area, rng, {s: volume[s] * scale for s in volume}
        size = int(sum(self.v.values()) * 0.45) + 50
        self.age = rng.choice(len(AGE_GROUPS), size=size, p=_POP_AGE)
        self.order = np.argsort(self.age, kind="stable")
        self.bounds = np.searchsorted(self.age[self.order], np.arange(len(AGE_GROUPS) + 1))
        sv, other = _SWEDISH.get(area, 0.01), _OTHER.get(area, 0.05)
        self.language = rng.choice(np.array(["fi", "sv", "other"]), size=size, p=[1 - sv - other, sv, other])
        self.mobile = rng.random(size) < _MOBILE[self.age]
        self.email = rng.random(size) < _EMAIL[self.age]
        self.deceased = rng.random(size) < _DEATH[self.age]
        self.nondisclosure = rng.random(size) < 0.003
        self.guardian = rng.random(size) < 0.93
        self.palliative = (rng.random(size) < 0.03) & (self.age == 5)
        self.ids = np.char.add(f"{prefix}-", np.char.zfill(np.arange(size).astype(str), 7))
        self.parts: list[dict] = []
        self.journeys = 0

    def persons(self, kind: str, count: int) -> np.ndarray:
        """Persons for ``count`` journeys of a kind: age by the kind's user mix, heavy users more often."""
        group = self.rng.choice(len(AGE_GROUPS), size=count, p=np.array(_USERS[kind]) / sum(_USERS[kind]))
        lo, hi = self.bounds[group], self.bounds[group + 1]
        within = np.floor((hi - lo) * self.rng.random(count) ** 2).astype(np.int64)  # skewed: some people often
        return self.order[np.minimum(lo + within, hi - 1)]

    def add(self, service, touchpoint, channel, who, start, offset_days, hours, journey=None, sensitive=None):
        count = len(who)
        hour = self.rng.uniform(hours[0], hours[1], count)
        if hours == _ANY:  # emergencies: more in the afternoon and evening, some at night
            hour = np.mod(self.rng.normal(15.0, 5.5, count), 24.0)
        day = np.floor(start + offset_days).astype(np.int64)
        if hours != _ANY:  # office hours only on weekdays: Saturday and Sunday contacts move to Monday
            weekday = np.mod(day + 3, 7)  # 1970-01-01 was a Thursday (weekday 3)
            day = day + np.where(weekday == 5, 2, np.where(weekday == 6, 1, 0))
        self.parts.append({"service": service, "touchpoint": touchpoint, "channel": channel, "who": who,
                           "wall": day * _US_DAY + np.floor(hour * 60).astype(np.int64) * 60_000_000,  # minutes
                           "journey": journey, "sensitive": sensitive})

    def starts(self, count: int, span: float, year_day0: int) -> np.ndarray:
        """Start days spread over the year and the ``span`` days before it, so that journeys running into
        the year are there too (stationary: the year keeps its expected share of every step)."""
        return year_day0 - span + self.rng.random(count) * (365 + span)

    def journey_ids(self, count: int) -> np.ndarray:
        ids = self.journeys + np.arange(count)
        self.journeys += count
        return ids


def _area_events(area: str, volume: dict, scale: float, rng: np.random.Generator, prefix: str, day0: int):
    a = _Area(area, volume, scale, rng, prefix)
    v, pois = a.v, rng.poisson
    # Multi-unit journeys first; what is left of each unit's volume becomes single contacts.
    n_pc = pois(0.25 * v["primary care visit"] * (365 + 31) / 365)
    n_ed = pois(0.9 * v["emergency department"] * (365 + 26) / 365)
    who, start, ids = a.persons("older", n_pc), a.starts(n_pc, 31, day0), a.journey_ids(n_pc)
    t1 = rng.uniform(1, 7, n_pc)
    img = rng.random(n_pc) < 0.6
    t2 = t1 + rng.uniform(0, 10, n_pc)
    t3 = t2 + rng.uniform(3, 14, n_pc)
    a.add("phone service", "phone call", "phone", who, start, 0, _PHONE, ids)
    a.add("primary care visit", "doctor visit", "visit", who, start, t1, _OFFICE, ids)
    a.add("imaging", "imaging", "visit", who[img], start[img], t2[img], _OFFICE, ids[img])
    a.add("primary care visit", "follow-up call", "phone", who, start, t3, _PHONE, ids)
    who, start, ids = a.persons("emergency", n_ed), a.starts(n_ed, 26, day0), a.journey_ids(n_ed)
    a.add("emergency department", "emergency visit", "visit", who, start, 0, _ANY, ids)
    img, ref = rng.random(n_ed) < 0.4, rng.random(n_ed) < 0.5
    a.add("imaging", "imaging", "visit", who[img], start[img], 0.1, _ANY, ids[img])
    a.add("primary care visit", "follow-up visit", "visit", who[ref], start[ref], rng.uniform(3, 21, n_ed)[ref],
          _OFFICE, ids[ref])
    # Series: maternity (6–10 visits 2–6 weeks apart), child health (1–2 visits 2–6 months apart).
    for kind, touchpoint, share, visits, gap in (("mother", "maternity visit", 0.35, (6, 10), (14, 42)),
                                                  ("child", "child health visit", 0.65, (1, 2), (60, 180))):
        span = (visits[1] - 1) * gap[1]  # the longest a series can run
        n = pois(share * v["maternity and child clinic"] / np.mean(visits) * (365 + span) / 365)
        who, start, ids = a.persons(kind, n), a.starts(n, span, day0), a.journey_ids(n)
        count = rng.integers(visits[0], visits[1] + 1, n)
        offset = np.zeros(n)
        for k in range(visits[1]):  # loop over the visit number, vectorised over persons
            m = count > k
            a.add("maternity and child clinic", touchpoint, "visit", who[m], start[m], offset[m], _OFFICE, ids[m])
            offset = offset + rng.uniform(*gap, n)
    # Social services: client processes (meetings and calls every 1–5 weeks) and weekly home care.
    home_share = 0.75 if f"{area} / social services" == PLANTED_UNIT else 0.05
    n = pois((1 - home_share) * v["social services"] / 2.0 * (365 + 70) / 365)
    who, start, ids = a.persons("social", n), a.starts(n, 70, day0), a.journey_ids(n)
    sensitive = rng.random(n) < 0.08
    steps = rng.integers(1, 4, n)  # 1 to 3 contacts
    offset = np.zeros(n)
    for step in range(3):
        call = (rng.random(n) < 0.35) & (step > 0)  # a process starts with a meeting
        call &= steps > step
        meet = ~call & (steps > step)
        for mask, tp, ch in ((call, "client call", "phone"), (meet, "client meeting", "visit")):
            a.add("social services", tp, ch, who[mask], start[mask], offset[mask], _OFFICE, ids[mask],
                  sensitive[mask])
        offset = offset + rng.uniform(7, 35, n)
    n = max(int(round(home_share * v["social services"] / 52)), 1)
    who, start = a.persons("home care", n), a.starts(n, 0, day0)
    for week in range(52):
        a.add("social services", "home care visit", "visit", who, day0 + np.mod(start - day0 + 7 * week, 365), 0,
              _OFFICE)
    # Dental treatment series of 1–3 visits.
    n = pois(v["oral health"] / 2 * (365 + 40) / 365)
    who, start, ids = a.persons("adult", n), a.starts(n, 40, day0), a.journey_ids(n)
    visits = rng.integers(1, 4, n)
    for k in range(3):
        m = visits > k
        a.add("oral health", "dental visit", "visit", who[m], start[m], 20.0 * k, _OFFICE, ids[m])
    # Single contacts: what the journeys left of each unit's volume.
    used = {s: 0 for s in v}
    for part in a.parts:  # contacts of the journeys that fall in the year
        used[part["service"]] += int(np.sum((part["wall"] >= day0 * _US_DAY) & (part["wall"] < (day0 + 365) * _US_DAY)))
    singles = (("phone service", "phone call", "phone", "adult", _PHONE, 1.0),
               ("remote consultation", "chat", "chat", "young", _CHAT, 0.6),
               ("remote consultation", "video consultation", "video", "young", _CHAT, 0.4),
               ("primary care visit", "doctor visit", "visit", "older", _OFFICE, 0.5),
               ("primary care visit", "nurse visit", "visit", "older", _OFFICE, 0.5),
               ("imaging", "imaging", "visit", "older", _OFFICE, 1.0),
               ("emergency department", "emergency visit", "visit", "emergency", _ANY, 1.0))
    for service, touchpoint, channel, kind, hours, share in singles:
        n = pois(max(v[service] - used[service], 0.0) * share)
        a.add(service, touchpoint, channel, a.persons(kind, n), a.starts(n, 0, day0), 0, hours)
    return a


def _areas(areas) -> list[str]:
    names = list(AREAS) if areas is None else list(areas)
    unknown = [a for a in names if a not in AREAS]
    if unknown:
        raise ParameterError(f"Unknown area(s) {unknown}; areas: {list(AREAS)}.")
    return names


def _area_frames(names: list[str], scale: float, seed: int, bad_events: bool):
    """One frame per area (its own random stream), sorted by time, planted bad events at its end."""
    volumes = _volumes(SEED)
    day0 = int((pd.Timestamp(YEAR_START) - pd.Timestamp("1970-01-01")).days)
    for area in names:
        index = list(AREAS).index(area)
        rng = np.random.default_rng([seed, index])
        volume = volumes[volumes["area"] == area].set_index("service")["customers_per_year"].to_dict()
        built = _area_events(area, volume, scale, rng, f"a{index:02d}", day0)
        frame = _frame(built, day0).sort_values(["timestamp", "person_id"], kind="stable").reset_index(drop=True)
        yield _plant_bad_events(frame, rng) if bad_events else frame


def generate_events(areas=SAMPLE_AREAS, *, scale: float = 1.0, seed: int = EVENT_SEED, bad_events: bool = True
                    ) -> pd.DataFrame:
    """Synthetic contact events for some or all sample areas.

    Parameters
    ----------
    areas : sequence of str or None
        Areas to generate (None: all 22); each area has its own random stream, so an area's events do not
        depend on which other areas are generated.
    scale : float
        Multiplies every volume (2.5 with all areas gives about 10 million events).
    seed : int
    bad_events : bool
        Plant a few invalid events in each area (missing ids, future timestamps, an unknown unit, duplicates).

    Returns
    -------
    DataFrame
        ``person_id``, ``timestamp`` (UTC), ``area``, ``service``, ``unit``, ``touchpoint``, ``channel``,
        ``journey_id``, ``age_group``, ``language``, ``has_mobile``, ``has_email``, ``non_disclosure``,
        ``deceased``, ``minor``, ``guardian_contact``, ``sensitive``; area by area, each sorted by time with its
        planted bad events at the end (as corrections appended to an export).

    Raises
    ------
    ParameterError
        A non-positive ``scale``; an unknown area.

    Notes
    -----
    Each unit's expected contacts in the year equal its ``customers_per_year`` in ``volumes.csv`` times
    ``scale``: journeys start uniformly over the year and the span of days before it, with their number raised
    by (365 + span) / 365, so the year keeps the expected share of every step; single contacts fill what the
    journeys leave. Checked in ``tests/sample_data/test_events.py``.

    References
    ----------
    THL, *Perusterveydenhuollon avohoidon käynnit* (primary care visit statistics) for the kinds of
    contacts; every number here is invented.
    """
    scale = check_positive(scale, "scale")
    return pd.concat(list(_area_frames(_areas(areas), scale, seed, bad_events)), ignore_index=True)


def _frame(a: _Area, day0: int) -> pd.DataFrame:
    cat = {k: np.concatenate([np.full(len(p["who"]), p[k], dtype=object) for p in a.parts])
           for k in ("service", "touchpoint", "channel")}
    who = np.concatenate([p["who"] for p in a.parts])
    wall = np.concatenate([p["wall"] for p in a.parts])
    journey = np.concatenate([p["journey"] if p["journey"] is not None else np.full(len(p["who"]), -1)
                              for p in a.parts])
    sensitive = np.concatenate([p["sensitive"] if p["sensitive"] is not None else np.zeros(len(p["who"]), bool)
                                for p in a.parts])
    keep = (wall >= day0 * _US_DAY) & (wall < (day0 + 365) * _US_DAY)
    who, wall, journey, sensitive = who[keep], wall[keep], journey[keep], sensitive[keep]
    minor = a.age[who] == 0
    service = cat["service"][keep]
    return pd.DataFrame({
        "person_id": a.ids[who].astype(object),
        "timestamp": pd.DatetimeIndex(from_wall(wall, "Europe/Helsinki").view("datetime64[us]")).tz_localize("UTC"),
        "area": a.area,
        "service": service,
        "unit": f"{a.area} / " + pd.Series(service, dtype=object),
        "touchpoint": cat["touchpoint"][keep],
        "channel": cat["channel"][keep],
        "journey_id": pd.Series(np.char.add(f"{a.ids[0][:3]}-j", journey.astype(str)), dtype=object)
                        .where(journey >= 0, None),
        "age_group": np.array(AGE_GROUPS, dtype=object)[a.age[who]],
        "language": a.language[who].astype(object),
        "has_mobile": a.mobile[who], "has_email": a.email[who],
        "non_disclosure": a.nondisclosure[who], "deceased": a.deceased[who],
        "minor": minor, "guardian_contact": np.where(minor, a.guardian[who], False),
        "sensitive": sensitive | a.palliative[who],
    })


def _plant_bad_events(events: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """A few invalid events of the kinds a back-end export produces, appended at the end."""
    def pick(k):
        return events.iloc[np.sort(rng.choice(len(events), k, replace=False))].copy()

    missing_id, future, unknown, duplicate = pick(6), pick(3), pick(4), pick(2)
    missing_id["person_id"] = None
    future["timestamp"] = future["timestamp"] + pd.DateOffset(years=180)  # a mistyped year: 2025 -> 2205
    unknown["unit"] = unknown["area"] + " / laboratory"
    unknown["service"] = "laboratory"
    return pd.concat([events, missing_id, future, unknown, duplicate], ignore_index=True)


def write_events(out: str | Path, *, areas=SAMPLE_AREAS, scale: float = 1.0, seed: int = EVENT_SEED,
                 name: str = "events.parquet", progress: bool = False) -> Path:
    """Write generated events as Parquet, area by area (memory stays that of the largest area).

    Parameters
    ----------
    out : str or Path
        Folder.
    areas, scale, seed
        As in :func:`generate_events`.
    name : str
        File name.
    progress : bool
        Show a progress bar over areas.

    Returns
    -------
    Path

    Raises
    ------
    ParameterError
        As in :func:`generate_events`.

    Notes
    -----
    pyarrow ``ParquetWriter`` (zstd, dictionary-encoded strings): the same events give the same bytes, which
    ``make samples`` relies on (checked by a test).

    References
    ----------
    Apache Parquet format specification, https://parquet.apache.org/docs/.
    """
    scale = check_positive(scale, "scale")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / name
    partial = path.with_name(f".{name}.partial")
    writer = None
    try:
        names = _areas(areas)
        for frame in tqdm(_area_frames(names, scale, seed, True), total=len(names), desc="events", unit="area",
                          disable=not progress):
            table = pa.Table.from_pandas(frame, schema=_SCHEMA, preserve_index=False)
            writer = writer or pq.ParquetWriter(partial, _SCHEMA, compression="zstd")
            writer.write_table(table, row_group_size=1_000_000)
    finally:
        if writer is not None:
            writer.close()
    partial.replace(path)
    return path


_SCHEMA = pa.schema([("person_id", pa.string()), ("timestamp", pa.timestamp("us", tz="UTC"))]
                    + [(c, pa.string()) for c in ("area", "service", "unit", "touchpoint", "channel", "journey_id",
                                                  "age_group", "language")]
                    + [(c, pa.bool_()) for c in ("has_mobile", "has_email", "non_disclosure", "deceased", "minor",
                                                 "guardian_contact", "sensitive")])


def events_readme() -> str:
    """The part of ``data/samples/README.md`` that describes the contact events and the sending rules.

    Parameters
    ----------
    None

    Returns
    -------
    str
        Markdown.

    Raises
    ------
    Nothing.

    Notes
    -----
    Appended by ``python -m workbench.sample_data`` after the responses' README, so that ``make samples``
    rewrites the whole file identically.

    References
    ----------
    DESIGN.md, principle 7 (bundled samples are marked synthetic).
    """
    areas = " and ".join(SAMPLE_AREAS)
    return f"""
## Contact events and sending rules (report 07) — SYNTHETIC

- `events.parquet` — one calendar year ({YEAR_START[:4]}, local time) of synthetic contact events for {areas}: a
  complete subset of the 22 areas (seed {EVENT_SEED}). Columns: `person_id` (a pseudonym), `timestamp` (UTC),
  `area`, `service`, `unit`, `touchpoint`, `channel` (visit, phone, video, chat), `journey_id`, `age_group`
  (0-17 … 75+), `language` (fi, sv, other), `has_mobile`, `has_email`, `non_disclosure` (turvakielto),
  `deceased`, `minor`, `guardian_contact`, `sensitive` (palliative or sensitive care). Each unit's contacts in
  the year match its `customers_per_year` in `volumes.csv` within a few per cent (the counts are drawn).
  Journeys: phone call → doctor's visit → imaging → follow-up call; emergency visit → imaging → follow-up
  visit; maternity series; child health visits; social-services client processes; dental series.
- `sending_rules.toml` — illustrative sending rules (see the README section "Survey sending").
- A planted problem: in **{PLANTED_UNIT}** three quarters of the contacts are weekly home-care visits to
  about two dozen clients. Under the 90-day cooldown (and the cap of 4 invitations a year) each client can be
  invited about four times a year at most, so the unit cannot collect the responses its volume calls for,
  whatever its sampling rates. Report 07 flags it as infeasible and says what would help.
- Planted bad events, per area: 6 without a person id, 3 with a mistyped year (2205 for 2025), 4 of an unknown unit
  (`… / laboratory`) and 2 duplicates. They are kept and counted, never silently dropped.
- Larger variants on demand (not committed): `python -m workbench.sample_data --only events --areas all
  --scale 2.5 --out data/generated` writes about 10 million events (used by `make bench`).

Regenerate with `make samples` (identical bytes).
"""
