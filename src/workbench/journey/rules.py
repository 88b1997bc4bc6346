"""Sending rules: which survey each touchpoint triggers, when, through which channel, and how often.

Rules are configuration (a TOML file, see ``data/samples/sending_rules.toml`` and the README section
"Survey sending"). :func:`load_rules` validates every key and value and returns a frozen :class:`Rules`;
a typo in a key is an error, not a silently ignored setting.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .._validate import show_values
from ..errors import RulesError

__all__ = ["Rules", "Channel", "Survey", "Touchpoint", "load_rules", "CONTACT_CHANNELS", "EXCLUSIONS", "JOURNEY_END"]

CONTACT_CHANNELS = ("visit", "phone", "video", "chat")
# Exclusions in the order they are checked (the first that applies is the reason a contact is not invited).
EXCLUSIONS = ("deceased", "non_disclosure", "minor_without_guardian", "sensitive")
JOURNEY_END = "journey end"  # the touchpoint name of journey-end candidates
_REQUIRES = ("has_mobile", "has_email")
_TOP = {"timezone", "contact", "exclusions", "channels", "surveys", "touchpoints", "journey_end", "reminders",
        "response_rates"}


@dataclass(frozen=True)
class Channel:
    """An invitation channel (SMS, e-mail, an in-session link) and when it may be used.

    Attributes
    ----------
    name : str
    requires : str or None
        The event role that must be true (``has_mobile``, ``has_email``), or None.
    contact_channels : tuple of str
        Only after contacts through these channels (empty: any).
    window : tuple of int
        Allowed local send time as minutes after midnight, ``[start, end)``; ``start > end`` wraps midnight.
    """

    name: str
    requires: str | None
    contact_channels: tuple[str, ...]
    window: tuple[int, int]


@dataclass(frozen=True)
class Survey:
    """A survey: its channels in order of preference, the delay after the contact and its priority.

    Attributes
    ----------
    name : str
    channels : tuple of str
    delay_hours : float
        Hours from the contact to the earliest send time (elapsed time, not wall-clock time).
    priority : int
        1 is the highest; of one person's candidates due on the same local day only the highest is sent.
    """

    name: str
    channels: tuple[str, ...]
    delay_hours: float
    priority: int


@dataclass(frozen=True)
class Touchpoint:
    """A touchpoint that triggers a survey, and the share of its contacts sampled for it.

    Attributes
    ----------
    name : str
    survey : str
    rate : float
        Sampling rate in [0, 1].
    """

    name: str
    survey: str
    rate: float


@dataclass(frozen=True)
class Rules:
    """Validated sending rules (see :func:`load_rules` for the file format).

    Attributes
    ----------
    source : str
        The file the rules came from (or ``"<dict>"``).
    timezone : str
        IANA zone of send windows and local days (``Europe/Helsinki``).
    cooldown_days, response_cooldown_days : int
        No new invitation within this many local days of the last invitation / of the last response (0: off).
    cap, cap_window_days : int
        At most ``cap`` invitations per person in any ``cap_window_days`` consecutive local days (0: off).
    exclusions : frozenset of str
        The exclusions in force (of :data:`EXCLUSIONS`).
    excluded_services : tuple of str
        Services never surveyed.
    channels, surveys, touchpoints : mappings
        By name.
    journey_end : Touchpoint or None
        The survey sent at the last contact of each journey (name :data:`JOURNEY_END`).
    journey_min_steps : int
        Journeys with fewer contacts are not journeys.
    reminder_days : tuple of int
        Days after the invitation on which a reminder goes to those who have not responded.
    reminder_shares : tuple of float
        Share of all responses that come after each reminder.
    response_rates : tuple of (channel, age_group, rate)
        Assumed response rates; ``age_group`` ``"*"`` is the channel's default.
    priority : bool
        Whether one person's same-day candidates are resolved by priority (off: the earliest wins).
    scope : {"person", "unit"}
        Whom cooldown, cap and priority count over: the person across every unit, or the person within each
        unit separately (a unit's invitations then never block another unit's).
    """

    source: str
    timezone: str
    cooldown_days: int
    response_cooldown_days: int
    cap: int
    cap_window_days: int
    exclusions: frozenset
    excluded_services: tuple
    channels: Mapping[str, Channel]
    surveys: Mapping[str, Survey]
    touchpoints: Mapping[str, Touchpoint]
    journey_end: Touchpoint | None
    journey_min_steps: int = 2
    reminder_days: tuple = ()
    reminder_shares: tuple = ()
    response_rates: tuple = ()
    priority: bool = True
    scope: str = "person"

    def replace(self, **changes: Any) -> "Rules":
        """A copy with some fields changed (e.g. ``cooldown_days=0`` to switch the cooldown off)."""
        return dataclasses.replace(self, **changes)


def _fail(source: str, where: str, message: str) -> RulesError:
    return RulesError(f"{source}: {where} {message}")


def _keys(table: Any, allowed: set[str], source: str, where: str, *, required: tuple = ()) -> dict:
    if not isinstance(table, Mapping):
        raise _fail(source, where, f"must be a table; got {type(table).__name__}.")
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise _fail(source, where, f"has unknown key(s) {show_values(unknown)}; allowed: {sorted(allowed)}.")
    missing = [k for k in required if k not in table]
    if missing:
        raise _fail(source, where, f"is missing required key(s) {missing}.")
    return dict(table)


def _int(value: Any, source: str, where: str, *, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise _fail(source, where, f"must be a whole number >= {low}; got {value!r}.")
    return value


def _number(value: Any, source: str, where: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise _fail(source, where, f"must be a number in [{low:g}, {high:g}]; got {value!r}.")
    return float(value)


def _clock(value: Any, source: str, where: str) -> int:
    match = re.fullmatch(r"(\d\d):(\d\d)", value) if isinstance(value, str) else None
    minutes = int(match.group(1)) * 60 + int(match.group(2)) if match else -1
    if not match or int(match.group(2)) >= 60 or not 0 <= minutes <= 24 * 60:
        raise _fail(source, where, f"must be a local time \"HH:MM\" from 00:00 to 24:00; got {value!r}.")
    return minutes


def _window(value: Any, source: str, where: str) -> tuple[int, int]:
    if not isinstance(value, list) or len(value) != 2:
        raise _fail(source, where, f"must be [\"HH:MM\", \"HH:MM\"] (start, end); got {value!r}.")
    start, end = _clock(value[0], source, where), _clock(value[1], source, where)
    if start % 1440 == end % 1440 and not (start == 0 and end == 1440):
        raise _fail(source, where, f"is empty ({value[0]}–{value[1]}); use [\"00:00\", \"24:00\"] for any time.")
    if start == 1440:
        raise _fail(source, where, "cannot start at 24:00; use 00:00.")
    return start, end


def _names(value: Any, source: str, where: str, valid: tuple | None = None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(source, where, f"must be a list of names; got {value!r}.")
    if valid is not None:
        bad = [v for v in value if v not in valid]
        if bad:
            raise _fail(source, where, f"names unknown value(s) {show_values(bad)}; valid: {list(valid)}.")
    return tuple(value)


def _channels(table: Any, source: str) -> dict[str, Channel]:
    table = _keys(table, set(table) if isinstance(table, Mapping) else set(), source, "[channels]")
    if not table:
        raise _fail(source, "[channels]", "must define at least one channel.")
    out = {}
    for name, spec in table.items():
        where = f"[channels.{name}]"
        spec = _keys(spec, {"requires", "contact_channels", "window"}, source, where)
        requires = spec.get("requires")
        if requires is not None and requires not in _REQUIRES:
            raise _fail(source, f"{where}.requires", f"must be one of {list(_REQUIRES)}; got {requires!r}.")
        contact = _names(spec.get("contact_channels", []), source, f"{where}.contact_channels", CONTACT_CHANNELS)
        window = _window(spec.get("window", ["00:00", "24:00"]), source, f"{where}.window")
        out[name] = Channel(name, requires, contact, window)
    return out


def _surveys(table: Any, channels: Mapping[str, Channel], source: str) -> dict[str, Survey]:
    table = _keys(table, set(table) if isinstance(table, Mapping) else set(), source, "[surveys]")
    out = {}
    for name, spec in table.items():
        where = f"[surveys.{name}]"
        spec = _keys(spec, {"channels", "delay_hours", "priority"}, source, where, required=("channels",))
        names = _names(spec["channels"], source, f"{where}.channels", tuple(channels))
        if not names:
            raise _fail(source, f"{where}.channels", "must name at least one channel.")
        delay = _number(spec.get("delay_hours", 0), source, f"{where}.delay_hours", 0, 24 * 60)
        out[name] = Survey(name, names, delay, _int(spec.get("priority", 1), source, f"{where}.priority", low=1))
    return out


def _touchpoint(name: str, spec: Any, surveys: Mapping[str, Survey], source: str, where: str) -> Touchpoint:
    spec = _keys(spec, {"survey", "rate"}, source, where, required=("survey", "rate"))
    if spec["survey"] not in surveys:
        raise _fail(source, f"{where}.survey", f"names an unknown survey {spec['survey']!r}; surveys: {list(surveys)}.")
    return Touchpoint(name, spec["survey"], _number(spec["rate"], source, f"{where}.rate", 0, 1))


def _response_rates(table: Any, channels: Mapping[str, Channel], source: str) -> tuple:
    table = _keys(table, set(channels), source, "[response_rates]")
    rows = []
    for channel, spec in table.items():
        where = f"[response_rates.{channel}]"
        spec = _keys(spec, set(spec) if isinstance(spec, Mapping) else set(), source, where, required=("default",))
        for group, rate in spec.items():
            rate = _number(rate, source, f"{where}.{group}", 0, 1)
            rows.append((channel, "*" if group == "default" else group, rate))
    return tuple(rows)


def load_rules(rules: str | Path | Mapping[str, Any]) -> Rules:
    """Read and validate sending rules from a TOML file (or an already parsed mapping).

    Parameters
    ----------
    rules : str, Path or mapping
        Path of a TOML file, or its content as a mapping.

    Returns
    -------
    Rules
        Frozen, validated rules.

    Raises
    ------
    RulesError
        The file does not exist or is not TOML; an unknown key; a value of the wrong type or out of range;
        a reference to an undefined survey or channel; a cooldown shorter than the reminder period. The
        message names the file and the key path.

    Notes
    -----
    Sections (all times local in ``timezone``, default ``Europe/Helsinki``):

    - ``[contact]``: ``cooldown_days``, ``response_cooldown_days``, ``cap``, ``cap_window_days``, ``scope``
      (``"person"``: across all units, the default; ``"unit"``: within each unit).
      Days are local calendar days, so a cooldown means the same thing across the DST changes.
    - ``[exclusions]``: ``deceased``, ``non_disclosure``, ``minor_without_guardian``, ``sensitive`` (booleans)
      and ``services`` (a list of services never surveyed).
    - ``[channels.<name>]``: ``requires`` (``has_mobile`` / ``has_email``), ``contact_channels``
      (visit, phone, video, chat) and ``window`` ``["HH:MM", "HH:MM"]``; a window whose start is after its end
      runs across midnight.
    - ``[surveys.<name>]``: ``channels`` (preference order), ``delay_hours``, ``priority`` (1 highest).
    - ``[touchpoints."<touchpoint>"]``: ``survey`` and sampling ``rate``.
    - ``[journey_end]``: ``survey``, ``rate``, ``min_steps``: a survey at the last contact of each journey.
    - ``[reminders]``: ``after_days`` and ``response_shares`` (share of all responses after each reminder).
    - ``[response_rates.<channel>]``: ``default`` and per age group, e.g. ``"75+" = 0.18``.

    A reminder must be sent before the cooldown ends (``cooldown_days`` > last ``after_days``), so that
    a person never has an invitation and an earlier one's reminder pending at once.

    References
    ----------
    Tom's Obvious Minimal Language, https://toml.io/en/v1.0.0 (read with :mod:`tomllib`).
    """
    if isinstance(rules, Mapping):
        source, data = "<dict>", dict(rules)
    else:
        path = Path(rules)
        source = path.name
        if not path.is_file():
            raise RulesError(f"Rules file {str(path)!r} does not exist.")
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise RulesError(f"{source}: not valid TOML ({exc}).") from None
    data = _keys(data, _TOP, source, "the top level", required=("channels", "surveys", "touchpoints"))
    timezone = data.get("timezone", "Europe/Helsinki")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise _fail(source, "timezone", f"must be an IANA time zone such as 'Europe/Helsinki'; got {timezone!r}.") \
            from None
    contact = _keys(data.get("contact", {}), {"cooldown_days", "response_cooldown_days", "cap", "cap_window_days",
                                              "scope"}, source, "[contact]")
    scope = contact.get("scope", "person")
    if scope not in ("person", "unit"):
        raise _fail(source, "[contact].scope", f"must be \"person\" or \"unit\"; got {scope!r}.")
    cooldown = _int(contact.get("cooldown_days", 0), source, "[contact].cooldown_days")
    response_cooldown = _int(contact.get("response_cooldown_days", 0), source, "[contact].response_cooldown_days")
    cap = _int(contact.get("cap", 0), source, "[contact].cap")
    cap_window = _int(contact.get("cap_window_days", 365 if cap else 0), source, "[contact].cap_window_days")
    if cap and cap_window < 1:
        raise _fail(source, "[contact].cap_window_days", f"must be at least 1 when a cap is set; got {cap_window}.")

    excl = _keys(data.get("exclusions", {}), set(EXCLUSIONS) | {"services"}, source, "[exclusions]")
    for name in EXCLUSIONS:
        if not isinstance(excl.get(name, True), bool):
            raise _fail(source, f"[exclusions].{name}", f"must be true or false; got {excl[name]!r}.")
    exclusions = frozenset(name for name in EXCLUSIONS if excl.get(name, True))
    services = _names(excl.get("services", []), source, "[exclusions].services")

    channels = _channels(data["channels"], source)
    surveys = _surveys(data["surveys"], channels, source)
    tps = _keys(data["touchpoints"], set(data["touchpoints"]) if isinstance(data["touchpoints"], Mapping) else set(),
                source, "[touchpoints]")
    if JOURNEY_END in tps:
        raise _fail(source, f"[touchpoints.\"{JOURNEY_END}\"]", "is reserved; configure it under [journey_end].")
    touchpoints = {name: _touchpoint(name, spec, surveys, source, f"[touchpoints.\"{name}\"]")
                   for name, spec in tps.items()}
    journey_end, min_steps = None, 2
    if "journey_end" in data:
        spec = _keys(data["journey_end"], {"survey", "rate", "min_steps"}, source, "[journey_end]",
                     required=("survey", "rate"))
        min_steps = _int(spec.pop("min_steps", 2), source, "[journey_end].min_steps", low=1)
        journey_end = _touchpoint(JOURNEY_END, spec, surveys, source, "[journey_end]")

    reminders = _keys(data.get("reminders", {}), {"after_days", "response_shares"}, source, "[reminders]")
    days = reminders.get("after_days", [])
    if not isinstance(days, list) or any(isinstance(d, bool) or not isinstance(d, int) or d < 1 for d in days) \
            or days != sorted(set(days)):
        raise _fail(source, "[reminders].after_days", f"must be increasing whole days >= 1; got {days!r}.")
    shares = reminders.get("response_shares", [0.0] * len(days))
    if not isinstance(shares, list) or len(shares) != len(days):
        raise _fail(source, "[reminders].response_shares", f"must list one share per reminder ({len(days)}); "
                    f"got {shares!r}.")
    shares = [_number(s, source, "[reminders].response_shares", 0, 1) for s in shares]
    if sum(shares) >= 1:
        raise _fail(source, "[reminders].response_shares", f"must sum to less than 1 (the invitation itself gets "
                    f"the rest); got {sum(shares):g}.")
    if days and cooldown <= days[-1]:
        raise _fail(source, "[contact].cooldown_days", f"({cooldown}) must be longer than the last reminder "
                    f"([reminders].after_days = {days[-1]}), so that no reminder overlaps a new invitation.")
    rates = _response_rates(data.get("response_rates", {}), channels, source)
    return Rules(source=source, timezone=timezone, cooldown_days=cooldown, response_cooldown_days=response_cooldown,
                 cap=cap, cap_window_days=cap_window, exclusions=exclusions, excluded_services=services,
                 channels=MappingProxyType(channels), surveys=MappingProxyType(surveys),
                 touchpoints=MappingProxyType(touchpoints), journey_end=journey_end, journey_min_steps=min_steps,
                 reminder_days=tuple(days), reminder_shares=tuple(shares), response_rates=rates, scope=scope)
