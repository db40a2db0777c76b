"""One learner with two lessons playing at once: a progress beat of one lesson while another lesson's
last statement, less than a beat ago, was a beat too (not a pause, a close or an end)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from skillcity.learning.models import Verb
from skillcity.learning.signals import HEARTBEAT_SECONDS, PLAIN_EVENTS, Beat, Before, Other


def detect(beat: Beat, before: Before, others: list[Other]) -> str | None:
    if beat.verb != Verb.PROGRESSED or beat.event not in PLAIN_EVENTS:
        return None
    for other in others:
        if other.last_verb != Verb.PROGRESSED or other.last_event not in PLAIN_EVENTS:
            continue
        gap = (beat.stored - other.last_stored).total_seconds()
        if 0 <= gap <= HEARTBEAT_SECONDS:
            return _("课时 %(a)s 播放时，课时 %(b)s 在 %(s)s 秒前仍在播放") % {
                "a": beat.lesson_id,
                "b": other.lesson_id,
                "s": int(gap),
            }
    return None
