"""Planning: sample sizes, detectable differences, unit reliability, measurement plans, and metric
frameworks (which metric at which touchpoint)."""

from .framework import BINARY_CEILING_LIMIT, SCALE_CODES, binary_ceiling_limit, load_framework, metric_profile, recommend_metrics
from .plan import PERIODS, STATUSES, measurement_plan, summarise_plan
from .power import detectable_difference, sample_size_difference
from .reliability import RELIABILITY_THRESHOLDS, reliability, reliability_from_counts
from .margins import diminishing_returns_n, margin_curve, margin_of_error, per_response_variance
from .sample_size import SampleSize, sample_size

__all__ = ["BINARY_CEILING_LIMIT", "SCALE_CODES", "binary_ceiling_limit", "load_framework", "metric_profile", "recommend_metrics", "PERIODS", "STATUSES", "measurement_plan",
           "summarise_plan",
           "detectable_difference", "sample_size_difference", "RELIABILITY_THRESHOLDS", "reliability",
           "reliability_from_counts", "SampleSize", "diminishing_returns_n", "margin_curve", "margin_of_error",
           "per_response_variance", "sample_size"]
