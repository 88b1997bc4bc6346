"""Privacy: small-cell suppression (:mod:`~workbench.privacy.cells`) and de-identification of free
text (:mod:`~workbench.privacy.redact`), used by every output."""

from .cells import PRIMARY, SECONDARY, SUPPRESSED, key_columns, publishable, suppress
from .redact import find_identifiers, redact, redact_series

__all__ = ["PRIMARY", "SECONDARY", "SUPPRESSED", "key_columns", "publishable", "suppress", "redact", "redact_series",
           "find_identifiers"]
