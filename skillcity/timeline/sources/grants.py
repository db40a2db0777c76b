"""Subsidies (补贴): the worker's own applications once submitted, and each payment. The amounts are
personal: an officer sees them masked on the timeline (the grants pages show them to those who decide)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.timeline.sources import TimelineEvent


def events(worker_id: int) -> list[TimelineEvent]:
    from skillcity.grants.models import Application, ApplicationState
    from skillcity.policy.display import rule_title
    from skillcity.web.templatetags.labels import yuan

    out: list[TimelineEvent] = []
    applications = (
        Application.objects.filter(worker_id=worker_id, submitted_at__isnull=False)
        .exclude(state=ApplicationState.DRAFT)
        .select_related("payment")
    )
    for a in applications:
        title = rule_title(a.rule_id)
        facts = ((_("状态"), str(a.get_state_display())),)
        assert a.submitted_at is not None
        out.append(
            TimelineEvent(
                timezone.localtime(a.submitted_at).date(), "grants", _("提交补贴申请"), title, facts
            )
        )
        payment = getattr(a, "payment", None)
        if payment is not None:
            out.append(
                TimelineEvent(
                    timezone.localtime(payment.paid_at).date(),
                    "grants",
                    _("补贴已拨付"),
                    title,
                    ((_("金额"), str(yuan(payment.amount))),),
                    personal=True,
                )
            )
    return out
