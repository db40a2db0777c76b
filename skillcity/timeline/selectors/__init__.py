"""Reads of the timeline: a worker's events from every registered source, newest first."""

from __future__ import annotations

from skillcity.timeline.sources import SOURCES, TimelineEvent


def timeline_for(worker_id: int, *, sources: set[str] | None = None) -> list[TimelineEvent]:
    """Every event the platform holds about the worker (or only those of `sources`), newest first; on
    one day, in the order of the source table (training before its certificate)."""
    order = {key: i for i, key in enumerate(SOURCES)}
    events: list[TimelineEvent] = []
    for key, source in SOURCES.items():
        if sources is None or key in sources:
            events.extend(source.events(worker_id))
    events.sort(key=lambda e: (e.date, -order.get(e.source, 0)), reverse=True)
    return events
