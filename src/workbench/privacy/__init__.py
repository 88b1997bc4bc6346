"""Privacy: small-cell suppression (:mod:`~workbench.privacy.cells`) and de-identification of free
text (:mod:`~workbench.privacy.redact`), used by every output."""

from .cells import SUPPRESSED, VALUE_COLUMNS, publishable, suppress
from .redact import redact

__all__ = ["SUPPRESSED", "VALUE_COLUMNS", "publishable", "suppress", "redact"]
