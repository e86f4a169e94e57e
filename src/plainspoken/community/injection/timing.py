"""When campaign posts appear: bursts, organic-looking latencies, office hours, vote times.

Times are epoch microseconds (UTC). ``spread`` draws each reply's delay from the community's
own answer latencies; ``office-hours`` does the same and then moves each post into working
hours (Monday to Friday, 09:00 to 17:30) of the campaign's time zone.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

US = 1_000_000
MINUTE = 60 * US
HOUR = 60 * MINUTE
DAY = 24 * HOUR
ZONES = (-8.0, -7.0, -5.0, -3.0, 0.0, 1.0, 2.0, 3.0, 5.5, 8.0, 9.0)


def reply_times(
    start: int,
    count: int,
    timing: str,
    latencies: Sequence[int],
    rng: random.Random,
    *,
    zone: float,
    last: int,
) -> list[int]:
    """``count`` reply times after ``start`` (a question's time), in order, none after
    ``last``."""
    if count <= 0:
        return []
    times: list[int] = []
    if timing == "burst":
        moment = start + int(rng.uniform(2, 25) * MINUTE)
        for _ in range(count):
            times.append(moment)
            moment += int(rng.uniform(0.5, 10) * MINUTE)
    else:
        for _ in range(count):
            delay = max(60, rng.choice(latencies)) * US
            for _ in range(20):  # a delay that lands inside the data, when one exists
                if start + delay <= last:
                    break
                delay = max(60, rng.choice(latencies)) * US
            moment = start + delay
            times.append(office_hours(moment, zone, rng) if timing == "office-hours" else moment)
    times.sort()
    room = max(last - start, MINUTE)
    return [t if t <= last else start + int(room * rng.uniform(0.3, 1.0)) for t in sorted(times)]


def office_hours(moment: int, zone: float, rng: random.Random) -> int:
    """``moment``, or the next working-hours moment after it in time zone ``zone`` (hours)."""
    shift = timedelta(hours=zone)
    local = datetime.fromtimestamp(moment / US, UTC) + shift
    for _ in range(10):
        if local.weekday() >= 5:
            local = (local + timedelta(days=7 - local.weekday())).replace(hour=9, minute=0)
            local += timedelta(minutes=rng.uniform(0, 150))
        elif local.hour < 9:
            local = local.replace(hour=9, minute=0) + timedelta(minutes=rng.uniform(0, 150))
        elif local.hour * 60 + local.minute >= 17 * 60 + 30:
            local = (local + timedelta(days=1)).replace(hour=9, minute=0)
            local += timedelta(minutes=rng.uniform(0, 150))
        else:
            break
    return int((local - shift).timestamp() * US)


def clamp(moment: int, first: int, last: int) -> int:
    """``moment`` moved inside ``first``..``last``."""
    return min(max(moment, first), last)


def vote_time(after: int, last: int, by_day: bool, rng: random.Random) -> int:
    """When a vote for a post made at ``after`` is cast (a date only when the source keeps
    dates only, as Stack Exchange does)."""
    moment = min(after + int(rng.uniform(1, 36 * 60) * MINUTE), max(last, after))
    return moment - moment % DAY if by_day else moment
