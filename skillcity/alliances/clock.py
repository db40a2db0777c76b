"""The time the alliance services stamp on what they record (filing, uploads, submissions, history).

Normally the wall clock. The demo builds six years of history and sets it to each event's day with
`clock_at`, so that an alliance's page tells its story in order; the audit log keeps its own, real,
timestamps. A module of its own because the models use it (a field default) and import nothing here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_clock: ContextVar[datetime.datetime | None] = ContextVar("alliances_clock", default=None)


def now() -> datetime.datetime:
    return _clock.get() or timezone.now()


def today() -> datetime.date:
    return timezone.localdate(now())


@contextmanager
def clock_at(at: datetime.datetime) -> Iterator[None]:
    """Record what the services do inside the block as done at `at` (an aware datetime)."""
    if timezone.is_naive(at):
        raise ValueError("clock_at needs an aware datetime")
    token = _clock.set(at)
    try:
        yield
    finally:
        _clock.reset(token)
