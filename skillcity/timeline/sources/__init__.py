"""Where a worker's timeline comes from (issue 19 §5): one source per app, registered in a table.

A source is a function from a worker's id to the events the app holds about that worker. Each app
registers its own in its `registrations.py`:

    from skillcity.timeline.sources import TimelineEvent, register_source

    def _events(worker_id: int) -> list[TimelineEvent]: ...

    register_source("apprenticeship", _("新型学徒制"), _events)

The timeline reads every registered source and sorts the events by date, newest first. A source reads
only its own records and must be cheap for one worker (a handful of queries, never one per event).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TimelineEvent:
    """One thing that happened in a worker's working life.

    `title` and `detail` are display text, already in the reader's language (gettext at call time);
    `facts` are (label, value) pairs shown under the title; `url` is a page about the record for those
    who may open it (None when there is none). `personal` marks details (an employer's name is not; an
    amount paid to the worker is) that an officer sees masked."""

    date: datetime.date
    source: str
    title: str
    detail: str = ""
    facts: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    url: str | None = None
    personal: bool = False


@dataclass(frozen=True)
class Source:
    key: str
    label: Any
    events: Callable[[int], list[TimelineEvent]]


SOURCES: dict[str, Source] = {}


def register_source(key: str, label: Any, events: Callable[[int], list[TimelineEvent]]) -> None:
    """Add (or replace, on a reload) the source `key`; its label names it on the page's filter."""
    SOURCES[key] = Source(key=key, label=label, events=events)
