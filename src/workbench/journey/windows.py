"""Local time for sending: send windows (also across midnight) and local days, with DST handled.

Times travel as int64 microseconds since the epoch in UTC. Local wall-clock time comes from
:mod:`zoneinfo` through pandas (vectorised): a window such as 09:00–20:00 means 09:00–20:00 on the
clock in Helsinki on that date, in winter (UTC+2) and in summer (UTC+3) alike.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

__all__ = ["US_PER_DAY", "local_wall", "from_wall", "local_day", "next_in_window"]

US_PER_MINUTE = 60_000_000
US_PER_DAY = 1440 * US_PER_MINUTE


def local_wall(utc_us: np.ndarray, timezone: str) -> np.ndarray:
    """Local wall-clock time (microseconds since 1970-01-01 00:00 on the local clock) of UTC instants.

    Parameters
    ----------
    utc_us : array of int64
        Instants, microseconds since the epoch (UTC).
    timezone : str
        IANA zone, e.g. ``"Europe/Helsinki"``.

    Returns
    -------
    array of int64

    Raises
    ------
    ZoneInfoNotFoundError
        An unknown zone (rules are validated before they get here).

    Notes
    -----
    pandas ``tz_convert`` with a :class:`zoneinfo.ZoneInfo`, then the zone dropped.

    References
    ----------
    IANA time zone database; Python :mod:`zoneinfo` (PEP 615).
    """
    index = pd.DatetimeIndex(np.asarray(utc_us, dtype="int64").view("datetime64[us]")).tz_localize("UTC")
    return index.tz_convert(ZoneInfo(timezone)).tz_localize(None).asi8


def from_wall(wall_us: np.ndarray, timezone: str) -> np.ndarray:
    """UTC instants of local wall-clock times; wall times that do not exist or occur twice are resolved.

    Parameters
    ----------
    wall_us : array of int64
        Local wall-clock times (as from :func:`local_wall`).
    timezone : str
        IANA zone.

    Returns
    -------
    array of int64
        Microseconds since the epoch (UTC).

    Raises
    ------
    ZoneInfoNotFoundError
        An unknown zone.

    Notes
    -----
    A wall time in the spring-forward gap (03:00–03:59 on the last Sunday of March in Helsinki) does not
    exist: it moves to the first instant after the gap (04:00 summer time). A wall time in the fall-back hour
    (03:00–03:59 on the last Sunday of October) occurs twice: the first occurrence (summer time) is taken,
    so that a send window opening at 03:30 opens at its first 03:30.

    References
    ----------
    pandas ``DatetimeIndex.tz_localize`` (``ambiguous``, ``nonexistent="shift_forward"``).
    """
    wall = pd.DatetimeIndex(np.asarray(wall_us, dtype="int64").view("datetime64[us]"))
    first = np.ones(len(wall), dtype=bool)  # True = summer time = the first of two occurrences
    return wall.tz_localize(ZoneInfo(timezone), ambiguous=first, nonexistent="shift_forward").tz_convert("UTC").asi8


def local_day(utc_us: np.ndarray, timezone: str) -> np.ndarray:
    """Local calendar day of UTC instants, as whole days since 1970-01-01 (int32).

    Parameters
    ----------
    utc_us : array of int64
    timezone : str

    Returns
    -------
    array of int32

    Raises
    ------
    ZoneInfoNotFoundError
        An unknown zone.

    Notes
    -----
    Cooldowns and caps count local calendar days: "90 days after an invitation on 1 March" is 30 May in
    Helsinki whatever the clocks did in between.

    References
    ----------
    Python :mod:`zoneinfo` (PEP 615).
    """
    return np.floor_divide(local_wall(utc_us, timezone), US_PER_DAY).astype(np.int32)


def next_in_window(utc_us: np.ndarray, window: tuple[int, int], timezone: str) -> np.ndarray:
    """The earliest instant at or after each given one whose local time lies in the send window.

    Parameters
    ----------
    utc_us : array of int64
        Earliest send instants (contact + delay), microseconds since the epoch (UTC).
    window : (int, int)
        Allowed local time ``[start, end)`` in minutes after midnight; ``start > end`` wraps midnight
        (``(1200, 120)`` is 20:00–02:00); ``(0, 1440)`` is any time.
    timezone : str

    Returns
    -------
    array of int64
        Send instants (UTC); instants already in the window are unchanged.

    Raises
    ------
    ZoneInfoNotFoundError
        An unknown zone.

    Notes
    -----
    Outside the window the send moves to the next opening on the local clock: the same day's opening if it
    is still ahead, else the next day's (for a window across midnight, the gap lies inside one day, so the
    opening is always the same day's). Openings that fall in a DST gap or the repeated hour are resolved as
    in :func:`from_wall`; an opening moved by the gap out of a very short window moves on to the next day.
    Written by hand because no library schedules into recurring local-time windows; checked against
    hand-worked sends around both DST changes of 2026 in ``tests/journey/test_windows.py``.

    References
    ----------
    Python :mod:`zoneinfo` (PEP 615); pandas time zone handling.
    """
    utc = np.asarray(utc_us, dtype="int64").copy()
    start, end = window[0] * US_PER_MINUTE, window[1] * US_PER_MINUTE
    if window == (0, 1440) or len(utc) == 0:
        return utc
    todo = np.arange(len(utc))
    for _ in range(3):  # a second pass only for openings pushed out of the window by a DST gap
        wall = local_wall(utc[todo], timezone)
        sod = np.mod(wall, US_PER_DAY)
        day = wall - sod
        if start < end:
            outside = (sod < start) | (sod >= end)
            target = np.where(sod < start, day + start, day + US_PER_DAY + start)
        else:
            outside = (sod >= end) & (sod < start)
            target = day + start
        if not outside.any():
            break
        moved = todo[outside]
        utc[moved] = from_wall(target[outside], timezone)
        todo = moved
    return utc
