"""Benchmarks and targets: what is a good score for this kind of service, and who really differs.

Modules: :mod:`~workbench.benchmarks.peers` (percentiles, ABC, rules),
:mod:`~workbench.benchmarks.shrinkage` (empirical Bayes), :mod:`~workbench.benchmarks.funnel`,
:mod:`~workbench.benchmarks.spc` (control charts), :mod:`~workbench.benchmarks.targets`,
:mod:`~workbench.benchmarks.casemix`; :mod:`~workbench.benchmarks.results` holds the shared checks.
"""

from .casemix import case_mix_adjust
from .flags import FLAGS, count_flags
from .funnel import OVERDISPERSION, funnel, funnel_limits
from .peers import BENCHMARK_RULES, achievable_benchmark, benchmark_value, peer_benchmarks
from .results import MIN_UNITS, check_results, groups_of, with_enough_units
from .shrinkage import shrink
from .spc import CHARTS, control_chart
from .targets import propose_targets

__all__ = ["case_mix_adjust", "FLAGS", "count_flags", "OVERDISPERSION", "funnel", "funnel_limits", "BENCHMARK_RULES", "achievable_benchmark",
           "benchmark_value", "peer_benchmarks", "MIN_UNITS", "check_results", "groups_of", "with_enough_units", "shrink", "CHARTS",
           "control_chart", "propose_targets"]
