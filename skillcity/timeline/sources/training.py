"""Training (培训): each enrolment in a project-based training class, and what it led to.

The completion event answers "what did this training lead to" for the worker: a certificate in the
project's occupation and the first insured month after it, within the outcome window
(`timeline.selectors.outcomes.WINDOW_MONTHS`), read from the records.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from skillcity.timeline.sources import TimelineEvent


def events(worker_id: int) -> list[TimelineEvent]:
    from skillcity.timeline.selectors.outcomes import after_training
    from skillcity.training.models import Enrolment

    enrolments = list(
        Enrolment.objects.filter(worker_id=worker_id)
        .select_related("training_class__project__occupation", "provider")
        .order_by("enrolled_on", "id")
    )
    led_to = after_training(worker_id, enrolments)
    out: list[TimelineEvent] = []
    for e in enrolments:
        project = e.training_class.project
        detail = f"{project.name}（{e.provider.name}）"
        basics = ((_("职业（工种）"), project.occupation.name),)
        out.append(TimelineEvent(e.enrolled_on, "training", _("报名参加职业培训"), detail, basics))
        if e.completed_on is None:
            continue
        if e.status == Enrolment.Status.FAILED:
            out.append(TimelineEvent(e.completed_on, "training", _("培训考核未通过"), detail, basics))
            continue
        certified, employed = led_to.get(e.pk, (None, None))
        facts = (
            *basics,
            (_("此后取得证书"), certified or _("暂无")),
            (_("此后参保就业"), employed or _("暂无")),
        )
        out.append(TimelineEvent(e.completed_on, "training", _("培训结业"), detail, facts))
    return out
