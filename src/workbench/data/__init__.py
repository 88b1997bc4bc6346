"""Data: reading responses and the one counting pass over them (DESIGN.md, principle 1).

Modules: :mod:`~workbench.data.readers` (files to DataFrames), :mod:`~workbench.data.counting`
(responses to count tables, and the respondent-level view for weighted estimators).
"""

from .counting import Counts, Respondents, count, respondents, scale_of
from .readers import read_responses

__all__ = ["Counts", "Respondents", "count", "respondents", "scale_of", "read_responses"]
