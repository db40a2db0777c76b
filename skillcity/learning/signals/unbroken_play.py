"""Long unbroken play with no interaction: two hours or more of heartbeats, each within a few beats of
the last, with no pause, seek, hidden page or close between them. Recorded once per run, at the
beat that crosses two hours."""

from __future__ import annotations

from django.utils.translation import gettext as _

from skillcity.learning.models import Verb
from skillcity.learning.signals import HEARTBEAT_SECONDS, PLAIN_EVENTS, Beat, Before, Other

RUN_SECONDS_MIN = 2 * 3600
# A beat later than this after the last one ends the run (the page was closed, the network lost).
RUN_GAP_MAX = 3 * HEARTBEAT_SECONDS


def run_continues(beat: Beat, before: Before) -> bool:
    """Whether `beat` continues the unbroken run the lesson's previous statement belongs to."""
    return (
        before.run_started_at is not None
        and before.last_stored is not None
        and beat.verb == Verb.PROGRESSED
        and beat.event in PLAIN_EVENTS
        and 0 <= (beat.stored - before.last_stored).total_seconds() <= RUN_GAP_MAX
    )


def run_starts(beat: Beat) -> bool:
    """Whether `beat` may begin a run (a plain beat or the start of a play)."""
    return beat.verb in (Verb.PROGRESSED, Verb.INITIALIZED) and beat.event in PLAIN_EVENTS


def detect(beat: Beat, before: Before, others: list[Other]) -> str | None:
    if not run_continues(beat, before):
        return None
    assert before.run_started_at is not None and before.last_stored is not None
    now_long = (beat.stored - before.run_started_at).total_seconds()
    was_long = (before.last_stored - before.run_started_at).total_seconds()
    if now_long >= RUN_SECONDS_MIN > was_long:
        return _("连续播放 %(m)s 分钟，期间没有暂停、拖动或切换页面") % {"m": int(now_long // 60)}
    return None
