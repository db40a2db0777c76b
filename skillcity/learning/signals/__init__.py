"""Signals for supervision (issue 20): recorded while progress is aggregated, never acted on here.

One detector per module, registered in `DETECTORS` (the project's rule for pluggable parts): each
looks at one statement (`Beat`), the state of its lesson's play just before it (`Before`) and the
learner's other lessons (`Other`), and returns a sentence saying what it saw, or None. The
aggregator stores a `Signal` row per (kind, statement), so a replay records nothing twice.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from skillcity.learning.models import SignalKind

# What the player sends while a lesson plays without anyone touching it (docs/learning.md).
PLAIN_EVENTS = ("", "heartbeat")
HEARTBEAT_SECONDS = 30


@dataclass(frozen=True)
class Beat:
    statement_id: int
    worker_id: int
    lesson_id: int
    verb: str
    event: str
    position: Decimal | None
    duration: Decimal | None
    stored: datetime.datetime


@dataclass(frozen=True)
class Before:
    """The lesson's play as the previous statement of this learner and lesson left it."""

    last_stored: datetime.datetime | None
    last_position: Decimal
    last_verb: str
    last_event: str
    run_started_at: datetime.datetime | None


@dataclass(frozen=True)
class Other:
    """The learner's last statement in another lesson."""

    lesson_id: int
    last_stored: datetime.datetime
    last_verb: str
    last_event: str


Detector = Callable[[Beat, Before, list[Other]], str | None]


def _registry() -> dict[str, Detector]:
    from skillcity.learning.signals import concurrent_play, faster_than_real_time, unbroken_play

    return {
        SignalKind.CONCURRENT_PLAY: concurrent_play.detect,
        SignalKind.FASTER_THAN_REAL_TIME: faster_than_real_time.detect,
        SignalKind.UNBROKEN_PLAY: unbroken_play.detect,
    }


DETECTORS: dict[str, Detector] = _registry()
