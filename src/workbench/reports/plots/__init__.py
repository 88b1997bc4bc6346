"""Figures: one function per figure, each returning a matplotlib Figure with uncertainty drawn.

Suppressed rows (from :func:`workbench.suppress`) are never drawn.
"""

from .benchmarks import plot_control_chart, plot_funnel, plot_funnels, plot_shrinkage
from .distribution import plot_distribution, plot_statement_heatmap
from .estimates import plot_coverage, plot_estimates, plot_margin_curve
from .journey import plot_burden, plot_expected_vs_required, plot_r_indicators, plot_rates, plot_rule_effects
from .planning import plot_measurement_plan, plot_reliability
from .text import (plot_emerging, plot_importance, plot_nps_impact, plot_theme_shares, plot_theme_tone,
                   plot_theme_trends)
from .weighting import plot_contributions, plot_sensitivity

__all__ = ["plot_control_chart", "plot_funnel", "plot_funnels", "plot_shrinkage", "plot_distribution",
           "plot_statement_heatmap", "plot_coverage",
           "plot_estimates", "plot_margin_curve", "plot_measurement_plan", "plot_reliability", "plot_contributions",
           "plot_sensitivity", "plot_burden", "plot_expected_vs_required", "plot_r_indicators", "plot_rates",
           "plot_rule_effects", "plot_emerging", "plot_importance", "plot_nps_impact", "plot_theme_shares",
           "plot_theme_tone", "plot_theme_trends"]
