"""workbench: a methodology workbench for customer-experience measurement in public services.

The public functions live in flat modules (one concern each) and are re-exported here.
"""

from . import benchmarking, framework, plots, reports, review, weighting
from .benchmarking import achievable_benchmark, funnel, propose_targets, shrink
from .compare import compare
from .counting import Counts, count, read_responses
from .coverage import coverage, coverage_grid, summarise_coverage
from .errors import (
    ConvergenceError,
    DataError,
    MethodError,
    MetricError,
    ParameterError,
    ScaleError,
    WorkbenchError,
    WorkbenchWarning,
)
from .estimation import estimate
from .intervals import LINEAR_METHODS, PROPORTION_METHODS, default_method, nps_interval
from .planning import (
    SampleSize,
    detectable_difference,
    diminishing_returns_n,
    margin_curve,
    margin_of_error,
    measurement_plan,
    reliability,
    sample_size,
    sample_size_difference,
)
from .privacy import format_table, publishable, redact, suppress
from .scales import METRICS, Metric, Scale, get_metric
from .weighting import RakeResult, contributions, overall, rake

__version__ = "0.1.0"

__all__ = [
    "plots",
    "benchmarking",
    "framework",
    "review",
    "achievable_benchmark",
    "funnel",
    "propose_targets",
    "shrink",
    "reports",
    "weighting",
    "overall",
    "rake",
    "RakeResult",
    "contributions",
    "compare",
    "coverage",
    "coverage_grid",
    "summarise_coverage",
    "SampleSize",
    "sample_size",
    "margin_of_error",
    "margin_curve",
    "diminishing_returns_n",
    "detectable_difference",
    "sample_size_difference",
    "reliability",
    "measurement_plan",
    "suppress",
    "publishable",
    "redact",
    "format_table",
    "Counts",
    "count",
    "read_responses",
    "estimate",
    "nps_interval",
    "default_method",
    "LINEAR_METHODS",
    "PROPORTION_METHODS",
    "Metric",
    "Scale",
    "METRICS",
    "get_metric",
    "WorkbenchError",
    "DataError",
    "ScaleError",
    "MetricError",
    "MethodError",
    "ParameterError",
    "ConvergenceError",
    "WorkbenchWarning",
]
