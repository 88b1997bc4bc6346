import copy

import pytest

from workbench.errors import RulesError
from workbench.journey import JOURNEY_END, load_rules
from conftest import ROOT
from journey.conftest import BASE_RULES

SAMPLE_RULES = ROOT / "data" / "samples" / "sending_rules.toml"


def test_the_sample_rules_load_with_every_section():
    rules = load_rules(SAMPLE_RULES)
    assert rules.source == "sending_rules.toml" and rules.timezone == "Europe/Helsinki"
    assert (rules.cooldown_days, rules.response_cooldown_days, rules.cap, rules.cap_window_days) == (90, 180, 4, 365)
    assert rules.exclusions == {"deceased", "non_disclosure", "minor_without_guardian", "sensitive"}
    assert rules.channels["sms"].window == (9 * 60, 20 * 60) and rules.channels["sms"].requires == "has_mobile"
    assert rules.channels["in_session"].contact_channels == ("chat", "video")
    assert rules.surveys["journey"].priority == 1 and rules.surveys["visit"].delay_hours == 2
    assert rules.touchpoints["doctor visit"].rate == 0.3 and "client call" not in rules.touchpoints
    assert rules.journey_end.name == JOURNEY_END and rules.journey_end.rate == 0.5 and rules.journey_min_steps == 2
    assert rules.reminder_days == (3,) and rules.reminder_shares == (0.3,)
    assert ("sms", "75+", 0.24) in rules.response_rates and ("email", "*", 0.12) in rules.response_rates
    assert rules.scope == "person" and rules.priority


def test_defaults_switch_contact_rules_off_and_every_exclusion_on():
    data = copy.deepcopy(BASE_RULES)
    del data["contact"], data["exclusions"]
    rules = load_rules(data)
    assert (rules.cooldown_days, rules.response_cooldown_days, rules.cap) == (0, 0, 0)
    assert len(rules.exclusions) == 4 and rules.journey_end is None


def test_a_window_across_midnight_is_kept_as_start_after_end():
    data = copy.deepcopy(BASE_RULES)
    data["channels"]["sms"]["window"] = ["20:00", "02:00"]
    assert load_rules(data).channels["sms"].window == (1200, 120)


def _mutated(path, value):
    data = copy.deepcopy(BASE_RULES)
    target = data
    for key in path[:-1]:
        target = target.setdefault(key, {})
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


_DELETE = object()

CASES = [
    (("colour",), "blue", r"<dict>: the top level has unknown key\(s\) \['colour'\]"),
    (("channels",), _DELETE, r"the top level is missing required key\(s\) \['channels'\]"),
    (("contact", "cooldwn_days"), 3, r"\[contact\] has unknown key\(s\) \['cooldwn_days'\]"),
    (("contact", "cooldown_days"), -1, r"\[contact\]\.cooldown_days must be a whole number >= 0; got -1"),
    (("contact", "cooldown_days"), 1.5, r"\[contact\]\.cooldown_days must be a whole number >= 0; got 1.5"),
    (("contact", "cap"), True, r"\[contact\]\.cap must be a whole number >= 0; got True"),
    (("contact",), {"cap": 2, "cap_window_days": 0}, r"\[contact\]\.cap_window_days must be at least 1 when a cap is set"),
    (("contact", "scope"), "area", r"\[contact\]\.scope must be \"person\" or \"unit\"; got 'area'"),
    (("exclusions", "deceased"), "yes", r"\[exclusions\]\.deceased must be true or false; got 'yes'"),
    (("exclusions", "pregnant"), True, r"\[exclusions\] has unknown key\(s\) \['pregnant'\]"),
    (("channels", "sms", "window"), ["25:00", "08:00"], r"\[channels\.sms\]\.window must be a local time \"HH:MM\""),
    (("channels", "sms", "window"), ["08:00"], r"\[channels\.sms\]\.window must be \[\"HH:MM\", \"HH:MM\"\]"),
    (("channels", "sms", "window"), ["08:00", "08:00"], r"\[channels\.sms\]\.window is empty \(08:00–08:00\)"),
    (("channels", "sms", "window"), ["24:00", "08:00"], r"\[channels\.sms\]\.window cannot start at 24:00"),
    (("channels", "sms", "requires"), "phone", r"\[channels\.sms\]\.requires must be one of \['has_mobile', 'has_email'\]"),
    (("channels", "sms", "contact_channels"), ["sms"], r"\[channels\.sms\]\.contact_channels names unknown value\(s\) \['sms'\]"),
    (("channels",), {}, r"\[channels\] must define at least one channel"),
    (("surveys", "visit", "channels"), ["fax"], r"\[surveys\.visit\]\.channels names unknown value\(s\) \['fax'\]"),
    (("surveys", "visit", "channels"), [], r"\[surveys\.visit\]\.channels must name at least one channel"),
    (("surveys", "visit", "channels"), "sms", r"\[surveys\.visit\]\.channels must be a list of names; got 'sms'"),
    (("channels", "sms"), "always", r"\[channels\.sms\] must be a table; got str"),
    (("surveys", "visit", "priority"), 0, r"\[surveys\.visit\]\.priority must be a whole number >= 1; got 0"),
    (("surveys", "visit", "delay_hours"), -2, r"\[surveys\.visit\]\.delay_hours must be a number in \[0, 1440\]"),
    (("touchpoints", "visit", "rate"), 1.5, r"\[touchpoints\.\"visit\"\]\.rate must be a number in \[0, 1\]; got 1.5"),
    (("touchpoints", "visit", "survey"), "exit", r"\[touchpoints\.\"visit\"\]\.survey names an unknown survey 'exit'"),
    (("touchpoints", "visit", "sample"), 0.2, r"\[touchpoints\.\"visit\"\] has unknown key\(s\) \['sample'\]"),
    (("touchpoints", "journey end"), {"survey": "visit", "rate": 1}, r"\[touchpoints\.\"journey end\"\] is reserved"),
    (("journey_end",), {"survey": "journey"}, r"\[journey_end\] is missing required key\(s\) \['rate'\]"),
    (("journey_end",), {"survey": "journey", "rate": 1, "min_steps": 0},
     r"\[journey_end\]\.min_steps must be a whole number >= 1; got 0"),
    (("reminders", "after_days"), [5, 3], r"\[reminders\]\.after_days must be increasing whole days >= 1"),
    (("reminders",), {"after_days": [3], "response_shares": [0.2, 0.1]},
     r"\[reminders\]\.response_shares must list one share per reminder \(1\)"),
    (("reminders",), {"after_days": [3, 5], "response_shares": [0.6, 0.5]},
     r"\[reminders\]\.response_shares must sum to less than 1"),
    (("reminders",), {"after_days": [3]},
     r"\[contact\]\.cooldown_days \(0\) must be longer than the last reminder \(\[reminders\]\.after_days = 3\)"),
    (("response_rates", "fax"), {"default": 0.1}, r"\[response_rates\] has unknown key\(s\) \['fax'\]"),
    (("response_rates", "sms"), {"75+": 0.1}, r"\[response_rates\.sms\] is missing required key\(s\) \['default'\]"),
    (("response_rates", "sms", "default"), 2, r"\[response_rates\.sms\]\.default must be a number in \[0, 1\]"),
    (("timezone",), "Mars/Olympus", r"timezone must be an IANA time zone such as 'Europe/Helsinki'; got 'Mars/Olympus'"),
]


@pytest.mark.parametrize("path, value, match", CASES, ids=[m[:40] for _, _, m in CASES])
def test_every_invalid_rule_is_named_with_its_key(path, value, match):
    with pytest.raises(RulesError, match=match):
        load_rules(_mutated(path, value))


def test_file_errors_name_the_file(tmp_path):
    with pytest.raises(RulesError, match=r"Rules file '.*nowhere\.toml' does not exist"):
        load_rules(tmp_path / "nowhere.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[contact\ncooldown_days = 3", encoding="utf-8")
    with pytest.raises(RulesError, match=r"broken\.toml: not valid TOML"):
        load_rules(broken)
    typo = tmp_path / "typo.toml"
    typo.write_text(SAMPLE_RULES.read_text(encoding="utf-8").replace("cooldown_days = 90", "cooldown_dayz = 90"),
                    encoding="utf-8")
    with pytest.raises(RulesError, match=r"typo\.toml: \[contact\] has unknown key\(s\) \['cooldown_dayz'\]"):
        load_rules(typo)


def test_replace_switches_one_rule_without_touching_the_others():
    rules = load_rules(SAMPLE_RULES)
    off = rules.replace(cooldown_days=0)
    assert off.cooldown_days == 0 and rules.cooldown_days == 90 and off.cap == rules.cap
