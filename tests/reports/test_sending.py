"""The sending plan in words (report 07): the rules table and the advice for units no rate can serve, worded
from the catalogue."""

import copy

import pytest

from workbench.errors import ParameterError
from workbench.journey import load_rules
from workbench.reports.sending import advice_text, rules_table
from conftest import ROOT
from journey.conftest import BASE_RULES

SAMPLE_RULES = ROOT / "data" / "samples" / "sending_rules.toml"


def setting(table, section, rule):
    rows = table[(table["section"] == section) & (table["rule"] == rule)]
    assert len(rows) == 1, (section, rule, table)
    return rows["setting"].iloc[0]


def test_the_sample_rules_in_words_one_row_per_rule():
    table = rules_table(load_rules(SAMPLE_RULES), language="en")
    assert list(table.columns) == ["section", "rule", "setting"]
    # 4 contact rules, 4 exclusions and the excluded services, 3 channels, 4 surveys, 14 touchpoints and the
    # end of a journey, 1 reminder
    assert len(table) == 4 + 5 + 3 + 4 + 15 + 1
    assert setting(table, "contact frequency", "cooldown after an invitation") == "90 days"
    assert setting(table, "contact frequency", "cooldown after a response") == "180 days"
    assert setting(table, "contact frequency", "cap on invitations") == "4 invitations in any 365 days"
    assert setting(table, "contact frequency", "counted over") == "each person, across all units"
    assert list(table.loc[table["rule"] == "never invited", "setting"]) == [
        "deceased persons", "non-disclosure for personal safety (turvakielto)", "minors without a guardian contact",
        "sensitive care (the whole journey)"]
    assert setting(table, "exclusions", "services never surveyed") == "none"
    # the sample's channel and survey names are translated, snake_case never shown
    assert setting(table, "channel", "SMS") == "sent 09:00–20:00 local time; needs a mobile number"
    assert setting(table, "channel", "link in the chat or video session") == \
        "sent 00:00–24:00 local time; only after a chat or video contact"
    assert setting(table, "survey", "digital service") == ("priority 3; sent 0 h after the contact; channels in order: "
                                                           "link in the chat or video session > SMS > e-mail")
    assert setting(table, "survey", "phone") == "priority 3; sent 0.25 h after the contact; channels in order: SMS"
    assert setting(table, "touchpoint", "doctor visit") == "visit survey; 30% sampled"
    assert setting(table, "touchpoint", "end of a journey") == "journey survey; 50% sampled"
    assert setting(table, "reminders", "reminders after") == "3 days"
    assert not table["setting"].str.contains("_").any() and not table["rule"].str.contains("_").any()


def test_rules_switched_off_say_so_and_a_users_own_names_are_kept():
    data = copy.deepcopy(BASE_RULES)
    data["contact"] = {"cooldown_days": 0, "response_cooldown_days": 1, "cap": 1, "cap_window_days": 30,
                       "scope": "unit"}
    data["exclusions"] = {"deceased": False, "non_disclosure": False, "minor_without_guardian": False,
                          "sensitive": False, "services": ["päihdepalvelut", "turvakoti"]}
    data["channels"]["tekstiviesti"] = {"requires": "has_mobile", "window": ["20:00", "02:00"]}
    data["surveys"]["visit"].update(channels=["tekstiviesti", "email"], delay_hours=1.5)
    table = rules_table(load_rules(data), language="en")
    assert setting(table, "contact frequency", "cooldown after an invitation") == "off"
    assert setting(table, "contact frequency", "cooldown after a response") == "1 day"
    assert setting(table, "contact frequency", "cap on invitations") == "1 invitation in any 30 days"
    assert setting(table, "contact frequency", "counted over") == "each person, within each unit"
    assert setting(table, "exclusions", "never invited") == "none"
    assert setting(table, "exclusions", "services never surveyed") == "päihdepalvelut, turvakoti"
    assert setting(table, "channel", "tekstiviesti") == "sent 20:00–02:00 local time; needs a mobile number"
    assert setting(table, "survey", "visit") == ("priority 2; sent 1.5 h after the contact; channels in order: "
                                                 "tekstiviesti > e-mail")
    assert "reminders" not in set(table["section"])
    # exclusions stay in their section, before the channels
    sections = list(dict.fromkeys(table["section"]))
    assert sections == ["contact frequency", "exclusions", "channel", "survey", "touchpoint"]


def test_rules_table_refuses_an_unknown_language():
    with pytest.raises(ParameterError, match=r"Unknown report language 'de'; valid: fi, sv, en\."):
        rules_table(load_rules(BASE_RULES), language="de")


def advice_row(**changes):
    row = {"unit": "Kainuu / social services", "needed": 87.0, "max_expected": 23.6, "periods_needed": 4.0,
           "months_needed": 24.0, "channel_would_help": True, "cooldown_that_would": 30.0,
           "response_cooldown_that_would": 60.0}
    return {**row, **changes}


def test_advice_names_every_option_that_would_reach_the_requirement():
    text = advice_text(advice_row(), language="en", period="half-year", max_rate=0.8)
    assert text == ("Kainuu / social services: at most 23 of the 87 responses needed per half-year, even alone and "
                    "with every rate at 80%. What would reach it: collecting over a rolling window of 24 months "
                    "(4 reporting periods); another channel for the contacts that have none; a cooldown of 30 days "
                    "(60 days after a response) for this unit.")


def test_advice_in_the_singular_and_when_nothing_tried_would_help():
    one = advice_text(advice_row(periods_needed=1.0, months_needed=1.0, channel_would_help=False,
                                 cooldown_that_would=float("nan")), language="en", period="month")
    assert one.endswith("per month, even alone and with every rate at 100%. What would reach it: collecting over a "
                        "rolling window of 1 month (1 reporting period).")
    none = advice_text(advice_row(periods_needed=float("nan"), channel_would_help=False,
                                  cooldown_that_would=float("nan")), language="en", period="quarter")
    assert none.endswith("per quarter, even alone and with every rate at 100%. No rolling window, channel or shorter "
                         "cooldown tried would reach it.")


def test_advice_needs_every_column_of_the_plans_advice():
    row = advice_row()
    del row["periods_needed"]
    with pytest.raises(KeyError, match=r"periods_needed"):
        advice_text(row, language="en", period="year")

