"""Data: reading responses and the one counting pass over them (DESIGN.md, principle 1).

Modules: :mod:`~workbench.data.readers` (CSV, Excel and Parquet exports to DataFrames),
:mod:`~workbench.data.study` (the study file: inputs, column roles, labels),
:mod:`~workbench.data.quality` (the data-quality summary), :mod:`~workbench.data.draft` (drafting a
study from a data file), :mod:`~workbench.data.counting` (responses to count tables, and the
respondent-level view for weighted estimators), :mod:`~workbench.data.tabulate` (the in-memory
counting pass), :mod:`~workbench.data.engines` (the same count in DuckDB or through Ibis) and
:mod:`~workbench.data.load` (what a file would take in memory).
"""

from .counting import CountQuality, Counts, Respondents, count, count_table, respondents, scale_of
from .draft import draft_study
from .load import LoadSize, load_size
from .periods import PERIOD_KINDS, period_of
from .quality import Quality, quality_summary
from .readers import FileRead, ReadOptions, read_responses, read_table
from .study import InputSpec, Study, read_study, study_from_data

__all__ = ["Counts", "CountQuality", "Respondents", "count", "count_table", "respondents", "scale_of",
           "read_responses", "read_table", "ReadOptions", "FileRead", "Study", "InputSpec", "read_study",
           "study_from_data", "Quality", "quality_summary", "draft_study", "period_of", "PERIOD_KINDS", "LoadSize",
           "load_size"]
