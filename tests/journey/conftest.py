"""Builders of small, hand-readable contact events and sending rules for the journey tests."""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from workbench.journey import load_rules, read_events

BASE_RULES = {
    "timezone": "Europe/Helsinki",
    "contact": {"cooldown_days": 0, "response_cooldown_days": 0, "cap": 0},
    "exclusions": {"deceased": True, "non_disclosure": True, "minor_without_guardian": True, "sensitive": True},
    "channels": {"sms": {"requires": "has_mobile", "window": ["00:00", "24:00"]},
                 "email": {"requires": "has_email", "window": ["00:00", "24:00"]},
                 "in_session": {"contact_channels": ["chat", "video"]}},
    "surveys": {"journey": {"channels": ["sms", "email"], "delay_hours": 0, "priority": 1},
                "visit": {"channels": ["sms", "email"], "delay_hours": 0, "priority": 2},
                "digital": {"channels": ["in_session", "sms"], "delay_hours": 0, "priority": 3}},
    "touchpoints": {"visit": {"survey": "visit", "rate": 1.0}, "chat": {"survey": "digital", "rate": 1.0}},
    "response_rates": {"sms": {"default": 0.2}, "email": {"default": 0.1}, "in_session": {"default": 0.3}},
}

DEFAULTS = {"unit": "U1", "touchpoint": "visit", "service": "S1", "channel": "visit", "journey_id": None,
            "age_group": "18-34", "language": "fi", "has_mobile": True, "has_email": False, "non_disclosure": False,
            "deceased": False, "minor": False, "guardian_contact": False, "sensitive": False}


def rules_with(**changes):
    """BASE_RULES with top-level tables updated (``contact={"cooldown_days": 90}`` merges into [contact])."""
    data = copy.deepcopy(BASE_RULES)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key].update(value)
        else:
            data[key] = value
    return load_rules(data)


def events_frame(rows):
    """Events from (person, local time) pairs or dicts with any other columns; times are Helsinki wall time."""
    records = []
    for row in rows:
        if isinstance(row, tuple):
            row = {"person_id": row[0], "timestamp": row[1], **(row[2] if len(row) > 2 else {})}
        records.append({**DEFAULTS, **row})
    frame = pd.DataFrame(records)
    frame["timestamp"] = pd.to_datetime(frame["timestamp"]).dt.tz_localize("Europe/Helsinki").dt.tz_convert("UTC")
    return frame


@pytest.fixture
def make_events():
    def make(rows, **kwargs):
        kwargs.setdefault("now", "2030-01-01")
        return read_events(events_frame(rows), **kwargs)
    return make


@pytest.fixture
def make_rules():
    return rules_with
