"""Sending rules in words, for reports and reviews."""

from __future__ import annotations

import pandas as pd

from .rules import EXCLUSIONS, Rules

__all__ = ["describe_rules"]


def _clock_text(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def describe_rules(rules: Rules) -> pd.DataFrame:
    """The rules as a table for people: one row per rule with its value in words.

    Parameters
    ----------
    rules : Rules

    Returns
    -------
    DataFrame
        ``section``, ``rule``, ``value``.

    Raises
    ------
    Nothing beyond what :func:`load_rules` already checked.

    Notes
    -----
    Used by report 07 to state the rules it simulated.

    References
    ----------
    The rules file format: :func:`load_rules`.
    """
    rows = [("contact", "cooldown after an invitation",
             f"{rules.cooldown_days} days" if rules.cooldown_days else "off"),
            ("contact", "cooldown after a response",
             f"{rules.response_cooldown_days} days" if rules.response_cooldown_days else "off"),
            ("contact", "cap", f"{rules.cap} in {rules.cap_window_days} days" if rules.cap else "off"),
            ("contact", "counted over", "each person across units" if rules.scope == "person" else
             "each person within a unit"),
            ("exclusions", "in force", ", ".join(e for e in EXCLUSIONS if e in rules.exclusions) or "none"),
            ("exclusions", "services never surveyed", ", ".join(rules.excluded_services) or "none")]
    for ch in rules.channels.values():
        needs = [ch.requires] if ch.requires else []
        needs += [f"after {'/'.join(ch.contact_channels)}"] if ch.contact_channels else []
        rows.append(("channel", ch.name, f"{_clock_text(ch.window[0])}–{_clock_text(ch.window[1])}"
                     + (f"; needs {', '.join(needs)}" if needs else "")))
    for sv in rules.surveys.values():
        rows.append(("survey", sv.name, f"priority {sv.priority}, {sv.delay_hours:g} h after the contact, by "
                     f"{' > '.join(sv.channels)}"))
    for tp in list(rules.touchpoints.values()) + ([rules.journey_end] if rules.journey_end else []):
        rows.append(("touchpoint", tp.name, f"{tp.survey} survey, {tp.rate:.0%} sampled"))
    if rules.reminder_days:
        rows.append(("reminders", "after", ", ".join(f"{d} days" for d in rules.reminder_days)))
    return pd.DataFrame(rows, columns=["section", "rule", "value"])
