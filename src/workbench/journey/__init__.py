"""Survey sending along the customer journey: contact events + sending rules → invitations with reasons,
expected responses with intervals, burden per person, representativeness (R-indicators) and optimised
sampling rates.

Modules: :mod:`~workbench.journey.events` (read and validate events with DuckDB), :mod:`~workbench.journey.rules`
(the TOML rules), :mod:`~workbench.journey.windows` (send windows, local days, DST),
:mod:`~workbench.journey.frequency` (cooldowns and caps), :mod:`~workbench.journey.simulate`,
:mod:`~workbench.journey.outcomes`, :mod:`~workbench.journey.people` (persons behind the counts, burden over
draws), :mod:`~workbench.journey.response_rates`,
:mod:`~workbench.journey.representativeness`,
:mod:`~workbench.journey.optimise` and :mod:`~workbench.journey.planner`.
"""

from .events import FLAG_ROLES, LANGUAGES, REQUIRED_ROLES, ROLES, Events, read_events
from .frequency import OUTCOMES, apply_contact_rules
from .optimise import OptimisedRates, optimise_rates
from .people import burden_draws, population
from .outcomes import (
    PERIOD_MONTHS,
    burden,
    expected_responses,
    period_labels,
    reasons,
    rule_effects,
    shortfall,
)
from .planner import SendingPlan, person_burden, plan_rates, sampling_yields
from .representativeness import RIndicators, contact_outcomes, r_indicators, r_indicators_from_propensities
from .rules import (
    CONTACT_CHANNELS,
    EXCLUSIONS,
    JOURNEY_END,
    Channel,
    Rules,
    Survey,
    Touchpoint,
    load_rules,
)
from .response_rates import estimate_response_rates, response_rate_table
from .simulate import REASONS, Simulation, simulate
from .windows import from_wall, local_day, local_wall, next_in_window

__all__ = [
    "FLAG_ROLES", "LANGUAGES", "REQUIRED_ROLES", "ROLES", "Events", "read_events",
    "OUTCOMES", "apply_contact_rules", "OptimisedRates", "optimise_rates",
    "PERIOD_MONTHS", "burden", "estimate_response_rates", "expected_responses", "period_labels", "reasons",
    "rule_effects", "shortfall", "burden_draws", "population", "SendingPlan", "person_burden", "plan_rates", "sampling_yields",
    "RIndicators", "contact_outcomes", "r_indicators", "r_indicators_from_propensities",
    "CONTACT_CHANNELS", "EXCLUSIONS", "JOURNEY_END", "Channel", "Rules", "Survey", "Touchpoint",
    "load_rules",
    "REASONS", "Simulation", "response_rate_table", "simulate",
    "from_wall", "local_day", "local_wall", "next_in_window",
]
