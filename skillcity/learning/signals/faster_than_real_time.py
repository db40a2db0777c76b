"""Beats faster than real time: the play position advancing more than 1.5× the real time between two
statements (plus a few seconds of slack for the network), or heartbeats arriving much faster than
every 30 s with no pause or seek between them."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from skillcity.learning.models import Verb
from skillcity.learning.signals import Beat, Before, Other

SPEED_MAX = Decimal("1.5")  # the fastest playback rate a learner may honestly use
SLACK_SECONDS = Decimal(5)
BEAT_GAP_MIN = 10  # seconds: a third of the heartbeat period


def detect(beat: Beat, before: Before, others: list[Other]) -> str | None:
    if before.last_stored is None or beat.verb == Verb.INITIALIZED or before.last_verb == Verb.TERMINATED:
        return None
    real = Decimal((beat.stored - before.last_stored).total_seconds())
    if beat.position is not None and beat.event != "seek" and before.last_event != "seek":
        advance = beat.position - before.last_position
        if advance > SPEED_MAX * max(real, Decimal(0)) + SLACK_SECONDS:
            return _("播放位置前进 %(a)s 秒，实际只过了 %(r)s 秒") % {"a": int(advance), "r": int(real)}
    if beat.event == "heartbeat" and before.last_event == "heartbeat" and real < BEAT_GAP_MIN:
        return _("两次心跳只相隔 %(r)s 秒（应约 30 秒）") % {"r": int(real)}
    return None
