"""Exceptions and warnings of the workbench.

Every error a user can cause is a :class:`WorkbenchError` that is also a
built-in ``ValueError`` (or ``KeyError`` for missing columns is *not* used:
a missing column is still a value problem of the input), so callers can catch
either the specific class or the built-in one.
"""

__all__ = [
    "WorkbenchError",
    "DataError",
    "ScaleError",
    "MetricError",
    "MethodError",
    "ParameterError",
    "ConvergenceError",
    "FrameworkError",
    "StudyError",
    "EventsError",
    "RulesError",
    "TaxonomyError",
    "WorkbenchWarning",
]


class WorkbenchError(ValueError):
    """Base class of every error the workbench raises for bad input."""


class DataError(WorkbenchError):
    """The data: a missing column, empty data, missing group keys."""


class ScaleError(WorkbenchError):
    """Answers that are not points of the scale (out of range, non-numeric)."""


class MetricError(WorkbenchError):
    """An unknown metric name or an ill-formed metric definition."""


class MethodError(WorkbenchError):
    """An unknown method name, or a method that does not apply to a metric."""


class ParameterError(WorkbenchError):
    """A keyword argument outside its valid range or of the wrong type."""


class ConvergenceError(WorkbenchError):
    """An iterative algorithm (raking) did not converge."""


class FrameworkError(WorkbenchError):
    """A framework file that does not describe a valid measurement framework."""


class StudyError(WorkbenchError):
    """A study file that does not describe its inputs, columns and labels validly."""


class EventsError(WorkbenchError):
    """Contact events that cannot be read: a missing role column, an unusable type, bad events under ``strict``.

    Attributes
    ----------
    args : tuple
        The message: the source, the column, the offending values (never person ids) and row counts.
    """


class RulesError(WorkbenchError):
    """A sending-rules file (TOML) that does not describe valid rules.

    Attributes
    ----------
    args : tuple
        The message: the file, the key path (``[touchpoints."doctor visit"].rate``), the rule and the value.
    """


class TaxonomyError(WorkbenchError):
    """A theme taxonomy or tone lexicon file that is not valid (names the theme and key)."""


class WorkbenchWarning(UserWarning):
    """Something the user should know, where the result is still valid."""
