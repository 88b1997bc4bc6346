"""The worked example of the README's "Survey sending" section, run exactly."""

import pandas as pd

import workbench as wb
from conftest import ROOT

RULES = {
    "contact": {"cooldown_days": 90, "cap": 4, "cap_window_days": 365},
    "channels": {"sms": {"requires": "has_mobile", "window": ["09:00", "20:00"]},
                 "email": {"requires": "has_email", "window": ["07:00", "22:00"]}},
    "surveys": {"journey": {"channels": ["sms", "email"], "delay_hours": 2, "priority": 1},
                "visit": {"channels": ["sms", "email"], "delay_hours": 2, "priority": 2}},
    "touchpoints": {t: {"survey": "visit", "rate": 1.0} for t in ("phone call", "doctor visit", "imaging",
                                                                    "follow-up call")},
    "journey_end": {"survey": "journey", "rate": 1.0},
}
ROWS = [
    ("A", "2025-03-03 08:10", "phone call", "j1", {}, "Mon 03 Mar 10:10 EET", "invited"),
    ("A", "2025-03-05 14:00", "doctor visit", "j1", {}, "Wed 05 Mar 16:00 EET", "cooldown"),
    ("A", "2025-03-10 19:30", "imaging", "j1", {}, "Tue 11 Mar 09:00 EET", "cooldown"),
    ("A", "2025-03-14 11:00", "follow-up call", "j1", {}, "Fri 14 Mar 13:00 EET", "outranked"),
    ("B", "2025-03-04 09:00", "doctor visit", "j2", {}, "Tue 04 Mar 11:00 EET", "outranked"),
    ("B", "2025-03-04 12:30", "imaging", "j2", {}, "Tue 04 Mar 14:30 EET", "outranked"),
    ("B", "2025-06-01 10:00", "phone call", None, {}, "Sun 01 Jun 12:00 EEST", "cooldown"),
    ("B", "2025-06-02 10:00", "doctor visit", None, {}, "Mon 02 Jun 12:00 EEST", "invited"),
    ("C", "2025-03-06 10:00", "doctor visit", None, {"deceased": True}, None, "deceased"),
    ("D", "2025-03-29 23:30", "doctor visit", None, {"has_mobile": False, "has_email": True},
     "Sun 30 Mar 07:00 EEST", "invited"),
    ("E", "2025-03-07 10:00", "doctor visit", None, {"non_disclosure": True}, None, "non_disclosure"),
    ("F", "2025-03-07 11:00", "doctor visit", None, {"minor": True}, None, "minor_without_guardian"),
]
JOURNEY_ENDS = [("A", "Fri 14 Mar 13:00 EET", "cooldown"), ("B", "Tue 04 Mar 14:30 EET", "invited")]
FLAGS = ["has_mobile", "has_email", "deceased", "non_disclosure", "minor", "guardian_contact", "sensitive"]


def test_the_readme_worked_example():
    events = pd.DataFrame([{"person_id": p, "timestamp": pd.Timestamp(t, tz="Europe/Helsinki"), "unit": "U",
                            "touchpoint": tp, "journey_id": j, **{f: f == "has_mobile" for f in FLAGS}, **extra}
                           for p, t, tp, j, extra, _, _ in ROWS])
    simulation = wb.simulate(wb.read_events(events, now="2026-01-01"), wb.load_rules(RULES), rng=1)
    cand = simulation.candidates
    person = cand["person"].map(dict(enumerate(simulation.events.person_ids.to_pylist())))
    send = cand["send_time"].dt.tz_convert("Europe/Helsinki").dt.strftime("%a %d %b %H:%M %Z")
    send = [s if isinstance(s, str) else None for s in send]
    got = list(zip(person, send, cand["reason"].astype(str), cand["touchpoint"].astype(str)))
    steps = [g[:3] for g in got if g[3] != "journey end"]
    expected = sorted([(p, s, r) for p, _, _, _, _, s, r in ROWS], key=lambda x: x[0])
    assert sorted(steps, key=lambda x: x[0]) == expected
    assert [g[:3] for g in got if g[3] == "journey end"] == JOURNEY_ENDS
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "### A worked example" in readme and "Sun 30 Mar 07:00 EEST" in readme
