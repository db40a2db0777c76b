"""Reads of the timeline: a worker's events from every registered source, newest first."""

from __future__ import annotations

import datetime

from skillcity.timeline.sources import SOURCES, TimelineEvent


def timeline_for(worker_id: int, *, sources: set[str] | None = None) -> list[TimelineEvent]:
    """Every event the platform holds about the worker (or only those of `sources`), newest first. On
    one day, a later source of the table first (a certificate above the training it came from), and a
    source's own later event first (a source lists its events in the order they happened)."""
    keyed: list[tuple[tuple[datetime.date, int, int], TimelineEvent]] = []
    for rank, (key, source) in enumerate(SOURCES.items()):
        if sources is None or key in sources:
            keyed.extend(((e.date, rank, i), e) for i, e in enumerate(source.events(worker_id)))
    keyed.sort(key=lambda pair: pair[0], reverse=True)
    return [e for _key, e in keyed]
