"""When to fetch a source again: what the source asks (RSS ``<ttl>``, ``sy:updatePeriod``,
``Cache-Control: max-age``), how often it publishes, and how long to back off after failures.

Pure functions of the response and the settings, apart from the collector that applies them
(scheduler.py), so that the policy can be read and tested on its own.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from .config import Config

_TTL = re.compile(rb"<(?:\w+:)?ttl>\s*(\d{1,7})\s*</(?:\w+:)?ttl>", re.IGNORECASE)
_SY_PERIOD = re.compile(rb"<sy:updatePeriod>\s*(\w+)\s*</sy:updatePeriod>", re.IGNORECASE)
_SY_FREQ = re.compile(rb"<sy:updateFrequency>\s*(\d{1,5})\s*</sy:updateFrequency>", re.IGNORECASE)
_PERIODS = {"hourly": 3600, "daily": 86_400, "weekly": 604_800, "monthly": 2_592_000, "yearly": 31_536_000}
_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-maxage|max-age)\s*=\s*\"?(\d+)", re.IGNORECASE)


def feed_ttl(body: bytes) -> int | None:
    """Seconds the feed asks to be left alone: RSS ``<ttl>`` (minutes) or ``sy:updatePeriod``."""
    head = body[:65_536]
    m = _TTL.search(head)
    if m:
        return int(m.group(1)) * 60
    period = _SY_PERIOD.search(head)
    if period:
        seconds = _PERIODS.get(period.group(1).decode("ascii", "replace").lower())
        freq = _SY_FREQ.search(head)
        if seconds:
            return seconds // max(int(freq.group(1)) if freq else 1, 1)
    return None


def cache_max_age(headers: Sequence[tuple[str, str]]) -> int | None:
    """``Cache-Control: max-age`` (or ``s-maxage``) in seconds; None for no-cache or none given."""
    for k, v in headers:
        if k.lower() == "cache-control":
            if "no-cache" in v.lower() or "no-store" in v.lower():
                return None
            m = _MAX_AGE.search(v)
            if m:
                return int(m.group(1))
    return None


def publishing_rate(dates: Iterable[datetime | None]) -> float | None:
    """Entries per day over the span of the given dates (None with fewer than two dated entries)."""
    known = sorted(d for d in dates if d is not None)
    if len(known) < 2:
        return None
    span = (known[-1] - known[0]).total_seconds() / 86_400
    return (len(known) - 1) / max(span, 1 / 24)


def next_interval(
    config: Config,
    *,
    ttl: int | None,
    max_age: int | None,
    rate_per_day: float | None,
    rng: random.Random,
) -> float:
    """Seconds until a healthy source is fetched again.

    About one new entry per fetch (from the publishing rate), never sooner than the source's own
    TTL or max-age asks, within ``min_update_interval``..``max_update_interval``, with ±10% jitter so
    sources added together drift apart.
    """
    base = float(config.default_update_interval)
    if rate_per_day and rate_per_day > 0:
        base = 86_400 / rate_per_day
    interval = max(base, float(ttl or 0), float(max_age or 0))
    interval *= 0.9 + 0.2 * rng.random()
    return min(max(interval, config.min_update_interval), config.max_update_interval)


def backoff_interval(config: Config, errors: int, retry_after: float | None, rng: random.Random) -> float:
    """Seconds until a failing source is tried again: doubling from ``min_update_interval``."""
    step = config.min_update_interval * 2.0 ** max(errors - 1, 0)
    delay = min(step, config.max_update_interval) * (0.75 + 0.5 * rng.random())
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(delay, config.max_update_interval)
