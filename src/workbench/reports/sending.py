"""The sending plan in words (report 07): the rules simulated and the advice for units no rate can serve,
in the report's language."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..journey.rules import EXCLUSIONS, Rules
from .i18n import catalogue, number

__all__ = ["rules_table", "advice_text"]


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _hours(value: float, language: str) -> str:
    """0, 1.5 or 0.25: as many decimals as the rules file gives, up to two."""
    digits = next(d for d in (0, 1, 2) if round(float(value), d) == round(float(value), 2))
    return number(value, language, digits)


def rules_table(rules: Rules, *, language: str) -> pd.DataFrame:
    """The sending rules as a table for readers: one row per rule, its setting in words.

    Parameters
    ----------
    rules : Rules
        From :func:`workbench.load_rules`.
    language : str
        ``fi``, ``sv`` or ``en``.

    Returns
    -------
    DataFrame
        ``section``, ``rule``, ``setting``: text in the language. Channel, survey and touchpoint names are
        translated where the catalogue knows them (the sample's), otherwise shown as the rules file writes them.

    Raises
    ------
    ParameterError
        An unknown language.

    Notes
    -----
    Every word comes from the ``r07`` section of the catalogue; ``language="en"`` gives the table for
    Python users (it replaces the English-only ``journey.describe_rules``).

    References
    ----------
    The rules file format: :func:`workbench.load_rules`.
    """
    t = catalogue(language)

    def channel(name: str) -> str:
        return t.value("channel", name)

    def survey(name: str) -> str:
        return t.value("survey", name)

    def days(value: int) -> str:
        return t("r07.setting_days", days=int(value)) if value else t("r07.setting_off")

    section = {key: t(f"r07.rules_section_{key}") for key in
               ("contact", "exclusions", "channel", "survey", "touchpoint", "reminders")}
    rows = [(section["contact"], t("r07.rule_cooldown"), days(rules.cooldown_days)),
            (section["contact"], t("r07.rule_response_cooldown"), days(rules.response_cooldown_days)),
            (section["contact"], t("r07.rule_cap"),
             t("r07.setting_cap", cap=int(rules.cap), days=int(rules.cap_window_days)) if rules.cap
             else t("r07.setting_off")),
            (section["contact"], t("r07.rule_scope"), t(f"r07.setting_scope_{rules.scope}")),
            *[(section["exclusions"], t("r07.rule_exclusions"), t.value("exclusion", e)) for e in EXCLUSIONS
              if e in rules.exclusions],
            (section["exclusions"], t("r07.rule_services"), ", ".join(rules.excluded_services) or t("r07.setting_none"))]
    if not rules.exclusions:
        rows.insert(4, (section["exclusions"], t("r07.rule_exclusions"), t("r07.setting_none")))
    for ch in rules.channels.values():
        setting = t("r07.setting_window", start=_clock(ch.window[0]), end=_clock(ch.window[1]))
        if ch.requires:
            setting += t("r07.setting_requires", what=t.value("requires", ch.requires))
        if ch.contact_channels:
            setting += t("r07.setting_after", channels=t("r07.or").join(t.value("contact_channel", c)
                                                                           for c in ch.contact_channels))
        rows.append((section["channel"], channel(ch.name), setting))
    for sv in rules.surveys.values():
        rows.append((section["survey"], survey(sv.name), t("r07.setting_survey", priority=int(sv.priority),
                                                           hours=_hours(sv.delay_hours, language),
                                                           channels=" > ".join(channel(c) for c in sv.channels))))
    for tp in list(rules.touchpoints.values()) + ([rules.journey_end] if rules.journey_end else []):
        rows.append((section["touchpoint"], t.value("touchpoint", tp.name),
                     t("r07.setting_touchpoint", survey=survey(tp.survey), rate=float(tp.rate))))
    if rules.reminder_days:
        rows.append((section["reminders"], t("r07.rule_reminders"),
                     ", ".join(days(d) for d in rules.reminder_days)))
    return pd.DataFrame(rows, columns=["section", "rule", "setting"])


def advice_text(row: Mapping, *, language: str, period: str, max_rate: float = 1.0) -> str:
    """What would let a unit that no sampling rate can serve reach its requirement, in one sentence.

    Parameters
    ----------
    row : mapping
        A published (not suppressed) row of :attr:`workbench.journey.SendingPlan.advice`: ``unit``, ``needed``,
        ``max_expected``, ``periods_needed``, ``months_needed``, ``channel_would_help``, ``cooldown_that_would``,
        ``response_cooldown_that_would``.
    language : str
    period : str
        The reporting period of the requirement (``month``, ``quarter``, ``tertile``, ``half-year``, ``year``).
    max_rate : float
        The largest sampling rate the plan allowed.

    Returns
    -------
    str
        Plain text (for the page's list and the overview).

    Raises
    ------
    KeyError
        A row without the columns.

    Notes
    -----
    The options are those :func:`workbench.plan_rates` tried by simulation: a rolling window of several
    periods, another channel for the contacts that have none, a shorter cooldown for the unit.

    References
    ----------
    Schouten, Calinescu & Luiten (2013), Survey Methodology 39(1) (adaptive designs).
    """
    t = catalogue(language)
    helps = []
    if pd.notna(row["periods_needed"]):
        helps.append(t("r07.help_window", months=int(row["months_needed"]), periods=int(row["periods_needed"])))
    if bool(row["channel_would_help"]):
        helps.append(t("r07.help_channel"))
    if pd.notna(row["cooldown_that_would"]):
        helps.append(t("r07.help_cooldown", days=int(row["cooldown_that_would"]),
                       after=int(row["response_cooldown_that_would"])))
    what = t("r07.helps", helps="; ".join(helps)) if helps else t("r07.helps_none")
    return t("r07.advice_unit", unit=t.value("unit", row["unit"]), best=float(np.floor(row["max_expected"])),
             need=float(row["needed"]), period=t.value("period", period), max_rate=float(max_rate), what=what)

