"""Online learning (在线学习): courses chosen and completed."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.timeline.sources import TimelineEvent


def events(worker_id: int) -> list[TimelineEvent]:
    from skillcity.learning.models import Completion, Enrolment

    out = [
        TimelineEvent(timezone.localtime(e.enrolled_at).date(), "learning", _("选学在线课程"), e.course.title)
        for e in Enrolment.objects.filter(worker_id=worker_id)
        .select_related("course")
        .only("enrolled_at", "course__title")
    ]
    out += [
        TimelineEvent(
            c.completed_on,
            "learning",
            _("完成在线课程"),
            c.course.title,
            ((_("学时"), f"{c.hours}"), (_("结业证明编号"), c.number)),
        )
        for c in Completion.objects.filter(worker_id=worker_id).select_related("course")
    ]
    return out
