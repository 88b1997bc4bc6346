"""Data: reading responses and the one counting pass over them (DESIGN.md, principle 1).

Modules: :mod:`~workbench.data.readers` (CSV, Excel and Parquet exports to DataFrames),
:mod:`~workbench.data.study` (the study file: inputs, column roles, labels),
:mod:`~workbench.data.quality` (the data-quality summary), :mod:`~workbench.data.draft` (drafting a
study from a data file), :mod:`~workbench.data.counting` (responses to count tables, and the
respondent-level view for weighted estimators).
"""

from .counting import Counts, Respondents, count, respondents, scale_of
from .draft import draft_study
from .periods import PERIOD_KINDS, period_of
from .quality import Quality, quality_summary
from .readers import FileRead, ReadOptions, read_responses, read_table
from .study import InputSpec, Study, read_study, study_from_data

__all__ = ["Counts", "Respondents", "count", "respondents", "scale_of", "read_responses", "read_table", "ReadOptions",
           "FileRead", "Study", "InputSpec", "read_study", "study_from_data", "Quality", "quality_summary",
           "draft_study", "period_of", "PERIOD_KINDS"]
