"""What apprenticeship registers with other apps (issue 19): its source of a worker's timeline.

Events: enrolled (the contract's start), assessed (the session's date, once a result is recorded),
certified (the certificate's issue date, from the assessment's session), left."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from skillcity.timeline.sources import TimelineEvent, register_source

SOURCE = "apprenticeship"


def apprenticeship_events(worker_id: int) -> list[TimelineEvent]:
    from skillcity.apprenticeship.models import Apprenticeship

    events: list[TimelineEvent] = []
    rows = Apprenticeship.objects.filter(worker_id=worker_id).select_related(
        "enterprise", "school", "occupation", "candidate__session", "candidate__certificate"
    )
    for a in rows:
        url = reverse("apprenticeship:detail", args=[a.pk])
        plan = f"{a.occupation.name} · {a.get_level_display()}"
        events.append(
            TimelineEvent(
                date=a.contract_start,
                source=SOURCE,
                title=gettext("新型学徒入学入职：%(e)s") % {"e": a.enterprise.name},
                detail=plan,
                facts=(
                    (gettext("院校或培训机构"), a.school.name),
                    (gettext("学徒合同"), f"{a.contract_start:%Y-%m-%d} — {a.contract_end:%Y-%m-%d}"),
                ),
                url=url,
            )
        )
        candidate = a.candidate
        if candidate is not None and candidate.result != "pending":
            events.append(
                TimelineEvent(
                    date=candidate.session.date,
                    source=SOURCE,
                    title=gettext("新型学徒考核：%(r)s") % {"r": candidate.get_result_display()},
                    detail=plan,
                    url=url,
                )
            )
            certificate = getattr(candidate, "certificate", None)
            if certificate is not None and certificate.status == "valid":
                events.append(
                    TimelineEvent(
                        date=certificate.issued_on,
                        source=SOURCE,
                        title=gettext("新型学徒取证：%(p)s") % {"p": plan},
                        facts=((gettext("证书编号"), certificate.number),),
                        url=url,
                    )
                )
        if a.left_on is not None:
            events.append(
                TimelineEvent(
                    date=a.left_on,
                    source=SOURCE,
                    title=gettext("新型学徒退出：%(e)s") % {"e": a.enterprise.name},
                    detail=a.leave_reason,
                    url=url,
                )
            )
    return events


register_source(SOURCE, _("新型学徒制"), apprenticeship_events)
