"""Statistics on counts: scales and metrics, intervals, coverage, the survey design, estimation,
comparisons, and statement batteries.

:mod:`~workbench.stats.scales` is imported first: it sits below :mod:`workbench.data` (reading maps
answers to scale points), while the rest of this package sits above it.
"""

from .scales import AGREEMENT_SCALE, METRICS, NPS_SCALE, YES_NO_SCALE, Metric, Scale, get_metric  # noqa: I001
from .battery import battery_reliability, statement_summary
from .compare import BINARY_COMPARE_METHODS, LINEAR_COMPARE_METHODS, compare
from .coverage import coverage, coverage_grid, summarise_coverage
from .distribution import answer_distribution
from .design import Calibration, Design, ResolvedDesign, as_design, linearised_variance
from .estimation import RESULT_COLUMNS, estimate, total
from .survey import DESIGN_METHODS
from .intervals import LINEAR_METHODS, PROPORTION_METHODS, Interval, default_method, level_interval, nps_interval

__all__ = ["AGREEMENT_SCALE", "METRICS", "NPS_SCALE", "YES_NO_SCALE", "Metric", "Scale", "get_metric",
           "battery_reliability", "statement_summary", "BINARY_COMPARE_METHODS", "LINEAR_COMPARE_METHODS", "compare",
           "coverage", "coverage_grid", "answer_distribution", "summarise_coverage", "Calibration", "Design", "ResolvedDesign", "as_design",
           "linearised_variance", "RESULT_COLUMNS", "estimate", "total", "DESIGN_METHODS", "LINEAR_METHODS", "PROPORTION_METHODS", "Interval",
           "default_method", "level_interval", "nps_interval"]
