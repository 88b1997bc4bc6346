"""Seeded generators of the bundled synthetic sample data (``data/samples/``).

Run ``python -m workbench.sample_data`` to rewrite ``data/samples/``.
"""

from .events import PLANTED_UNIT, SAMPLE_AREAS, generate_events, write_events
from .responses import AREAS, SERVICES, STATEMENTS, generate, write_samples

__all__ = ["AREAS", "SERVICES", "STATEMENTS", "generate", "write_samples", "PLANTED_UNIT", "SAMPLE_AREAS",
           "generate_events", "write_events"]
