"""Send windows and local days, worked by hand around the DST changes of 2026 in Helsinki.

Helsinki is UTC+2 in winter (EET) and UTC+3 in summer (EEST). On Sunday 29 March 2026 the clocks jump
from 03:00 to 04:00 local (01:00 UTC); on Sunday 25 October 2026 they fall back from 04:00 to 03:00 local
(01:00 UTC), so 03:00–03:59 local happens twice.
"""

import numpy as np
import pandas as pd
import pytest

from workbench.journey import from_wall, local_day, local_wall, next_in_window

TZ = "Europe/Helsinki"


def utc(text: str) -> int:
    return pd.Timestamp(text, tz="UTC").value // 1000


def send(at_utc: str, window) -> str:
    start, end = (int(t[:2]) * 60 + int(t[3:]) for t in window)
    out = next_in_window(np.array([utc(at_utc)]), (start, end), TZ)[0]
    return pd.Timestamp(out * 1000, tz="UTC").strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize("at, window, expected", [
    # Winter (UTC+2): 10:00 local is inside 09:00–20:00, unchanged.
    ("2026-01-15 08:00", ("09:00", "20:00"), "2026-01-15 08:00"),
    # 07:00 local: before the window, the same day's 09:00 local = 07:00 UTC.
    ("2026-01-15 05:00", ("09:00", "20:00"), "2026-01-15 07:00"),
    # 20:00 local exactly: the window is [09:00, 20:00), so the next day's 09:00.
    ("2026-01-15 18:00", ("09:00", "20:00"), "2026-01-16 07:00"),
    # 19:59 local: still inside.
    ("2026-01-15 17:59", ("09:00", "20:00"), "2026-01-15 17:59"),
    # Across midnight, 20:00–02:00: 01:30 local is inside, 23:00 inside, 02:00 and 19:59 are not.
    ("2026-01-14 23:30", ("20:00", "02:00"), "2026-01-14 23:30"),
    ("2026-01-15 21:00", ("20:00", "02:00"), "2026-01-15 21:00"),
    ("2026-01-15 00:00", ("20:00", "02:00"), "2026-01-15 18:00"),
    ("2026-01-15 17:59", ("20:00", "02:00"), "2026-01-15 18:00"),
    # Spring forward: Saturday 21:30 local (19:30 UTC) misses 09:00–20:00; Sunday 09:00 is summer time, 06:00 UTC.
    ("2026-03-28 19:30", ("09:00", "20:00"), "2026-03-29 06:00"),
    # A window opening at 03:30 on the spring-forward night: 03:30 does not exist; the send goes at 04:00 EEST.
    ("2026-03-29 00:30", ("03:30", "05:00"), "2026-03-29 01:00"),
    # Fall back: 02:00 EEST (23:00 UTC Saturday) before 03:30–05:00: the first 03:30 (EEST) = 00:30 UTC.
    ("2026-10-24 23:00", ("03:30", "05:00"), "2026-10-25 00:30"),
    # Inside the window during the repeated hour (the second 03:15, EET = 01:15 UTC): unchanged.
    ("2026-10-25 01:15", ("03:00", "05:00"), "2026-10-25 01:15"),
    # Across midnight on the fall-back night: 02:30 EEST (23:30 UTC) is outside 22:00–02:00; the opening is
    # 22:00 on Sunday, now winter time, 20:00 UTC.
    ("2026-10-24 23:30", ("22:00", "02:00"), "2026-10-25 20:00"),
    # Across midnight on the spring-forward night: 01:00 EET is inside 22:00–02:00.
    ("2026-03-28 23:00", ("22:00", "02:00"), "2026-03-28 23:00"),
    # A window so short that the gap pushes the opening out of it moves to the next day's opening (EEST).
    ("2026-03-29 00:10", ("03:10", "03:40"), "2026-03-30 00:10"),
])
def test_next_in_window_hand_worked(at, window, expected):
    assert send(at, window) == expected


def test_any_time_window_and_empty_input_leave_times_alone():
    times = np.array([utc("2026-03-29 00:30"), utc("2026-10-25 00:30")])
    assert np.array_equal(next_in_window(times, (0, 1440), TZ), times)
    assert len(next_in_window(np.array([], dtype=np.int64), (540, 1200), TZ)) == 0


@pytest.mark.parametrize("at, day", [
    ("2026-03-28 22:30", "2026-03-29"),  # 00:30 EET on Sunday
    ("2026-03-28 21:59", "2026-03-28"),  # 23:59 EET on Saturday
    ("2026-10-24 21:30", "2026-10-25"),  # 00:30 EEST on Sunday
    ("2026-10-25 21:59", "2026-10-25"),  # 23:59 EET on Sunday
    ("2026-10-25 22:00", "2026-10-26"),  # midnight EET
])
def test_local_day_follows_the_helsinki_calendar(at, day):
    expected = (pd.Timestamp(day) - pd.Timestamp("1970-01-01")).days
    assert local_day(np.array([utc(at)]), TZ)[0] == expected


def test_wall_clock_round_trip_and_the_two_dst_rules():
    wall = pd.DatetimeIndex(["2026-03-29 03:30", "2026-10-25 03:30", "2026-06-01 12:00"]).as_unit("us").asi8
    back = from_wall(wall, TZ)
    assert [pd.Timestamp(v * 1000, tz="UTC").strftime("%H:%M") for v in back] == ["01:00", "00:30", "09:00"]
    # Outside the DST changes, wall -> UTC -> wall is the identity.
    assert local_wall(back[2:], TZ)[0] == wall[2]
