"""workbench: a methodology workbench for customer-experience measurement in public services.

The package is laid out by domain (DESIGN.md, "Layout"); the public functions are re-exported
here, so users write ``wb.estimate``, ``wb.overall``, ``wb.funnel``. Imports run one way:
errors/_validate → stats.scales → data → stats → planning → weighting → benchmarks → text → journey
→ privacy → reports → cli (``tests/test_layers.py``).
"""

import importlib as _importlib
import warnings as _warnings

from .errors import (
    ConvergenceError,
    DataError,
    EventsError,
    FrameworkError,
    MethodError,
    StudyError,
    MetricError,
    ParameterError,
    RulesError,
    ScaleError,
    WorkbenchError,
    WorkbenchWarning,
)
from . import stats  # noqa: I001  (stats.scales must load before data: see stats/__init__.py)
from . import data, planning, weighting, benchmarks, text, journey, privacy, reports, sample_data
from .benchmarks import (
    achievable_benchmark,
    case_mix_adjust,
    control_chart,
    funnel,
    peer_benchmarks,
    propose_targets,
    shrink,
)
from .data import (
    CountQuality,
    Counts,
    ReadOptions,
    Study,
    count,
    count_table,
    load_size,
    quality_summary,
    read_responses,
    read_study,
    read_table,
)
from .journey import expected_responses, load_rules, optimise_rates, plan_rates, r_indicators, read_events, simulate
from .planning import (
    SampleSize,
    detectable_difference,
    diminishing_returns_n,
    load_framework,
    margin_curve,
    margin_of_error,
    measurement_plan,
    metric_profile,
    recommend_metrics,
    reliability,
    sample_size,
    sample_size_difference,
)
from .privacy import publishable, redact, suppress
from .reports import format_table
from .stats import (
    LINEAR_METHODS,
    METRICS,
    PROPORTION_METHODS,
    Design,
    Interval,
    Metric,
    Scale,
    battery_reliability,
    compare,
    coverage,
    coverage_grid,
    default_method,
    estimate,
    get_metric,
    total,
    nps_interval,
    statement_summary,
    summarise_coverage,
)
from .text import (agreement, classify, code_comments, comment_sample, discover_themes, nps_impact, suggestions,
                   theme_prevalence, tone)
from .weighting import RakeResult, contributions, overall, rake, sensitivity, weighting_advice

__version__ = "0.1.0"

# Module names of the flat layout, kept for one release (notebooks used them).
_MOVED = {"plots": "reports.plots", "benchmarking": "benchmarks", "framework": "planning", "review": "stats"}


def __getattr__(name: str):
    if name in _MOVED:
        _warnings.warn(f"`workbench.{name}` moved to `workbench.{_MOVED[name]}`.", DeprecationWarning, stacklevel=2)
        return _importlib.import_module(f"{__name__}.{_MOVED[name]}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "stats", "data", "planning", "weighting", "benchmarks", "text", "journey", "privacy", "reports", "sample_data",
    "achievable_benchmark", "case_mix_adjust", "control_chart", "funnel", "peer_benchmarks", "propose_targets",
    "shrink",
    "Counts", "CountQuality", "count", "count_table", "load_size", "read_responses", "ReadOptions", "Study",
    "quality_summary", "read_study", "read_table",
    "expected_responses", "load_rules", "optimise_rates", "plan_rates", "r_indicators", "read_events", "simulate",
    "SampleSize", "detectable_difference", "diminishing_returns_n", "load_framework", "margin_curve",
    "margin_of_error", "measurement_plan", "metric_profile", "recommend_metrics", "reliability", "sample_size",
    "sample_size_difference",
    "publishable", "redact", "suppress", "format_table",
    "LINEAR_METHODS", "METRICS", "PROPORTION_METHODS", "Design", "Interval", "Metric", "Scale",
    "battery_reliability", "compare", "coverage", "coverage_grid", "default_method", "estimate", "get_metric", "total",
    "nps_interval", "statement_summary", "summarise_coverage",
    "comment_sample", "agreement", "classify", "code_comments", "discover_themes", "nps_impact", "suggestions",
    "theme_prevalence", "tone",
    "RakeResult", "contributions", "overall", "rake", "sensitivity", "weighting_advice",
    "ConvergenceError", "DataError", "EventsError", "FrameworkError", "MethodError", "MetricError", "ParameterError", "RulesError", "ScaleError", "StudyError",
    "WorkbenchError", "WorkbenchWarning",
]
