"""Weighting: overall scores under weighting schemes, contributions, the recommendation, and raking.

Modules: :mod:`~workbench.weighting.schemes` (unit weight shares), :mod:`~workbench.weighting.overall`
(overall scores, contributions, sensitivity), :mod:`~workbench.weighting.advice` (the recommendation
rule), :mod:`~workbench.weighting.raking` (respondent weights to population margins).
"""

from .advice import Advice, weighting_advice
from .overall import contributions, overall, sensitivity
from .raking import RakeResult, rake
from .schemes import SCHEMES, cap_shares, unit_weight_shares, volume_table, volumes_by

__all__ = ["Advice", "weighting_advice", "contributions", "overall", "sensitivity", "RakeResult", "rake", "SCHEMES",
           "cap_shares", "unit_weight_shares", "volume_table", "volumes_by"]
