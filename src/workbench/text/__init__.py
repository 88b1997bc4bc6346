"""Open text: redacted quotes (the text-analytics module grows here)."""

from .quotes import comment_sample

__all__ = ["comment_sample"]
