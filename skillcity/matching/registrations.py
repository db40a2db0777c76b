"""What matching registers with other apps: the daily hire confirmation (and one after each import or
pull of contribution records), the timeline's events, and the labels of its audit actions."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skillcity.core.audit_labels import AUDIT_ACTION_LABELS
from skillcity.employment.models import ContributionBatch
from skillcity.jobs.schedule import PeriodicJob, register_periodic_job
from skillcity.timeline.sources import TimelineEvent, register_source

register_periodic_job(
    PeriodicJob(
        name="matching.hires_confirm",
        period="daily",
        task="skillcity.matching.tasks.hires_confirm_task",
        reason="每日按社保缴费记录核对录用：入职月份或其后3个月内由该单位参保缴费即确认，确认期过后仍无记录为未确认（docs/matching.md）",
    )
)


def _after_contributions(sender: Any, instance: ContributionBatch, created: bool, **kwargs: Any) -> None:
    """A new import or pull of contribution records: check the hires once it has committed."""
    if not created:
        return

    def enqueue() -> None:
        from skillcity.matching.tasks import hires_confirm_task

        hires_confirm_task.enqueue()

    transaction.on_commit(enqueue)


post_save.connect(_after_contributions, sender=ContributionBatch, dispatch_uid="matching_hires_after_batch")


AUDIT_ACTION_LABELS.update(
    {
        "matching.need.create": gettext_lazy("发布用工需求"),
        "matching.need.state": gettext_lazy("更改用工需求状态"),
        "matching.seeker_need.record": gettext_lazy("记录求职意向"),
        "matching.seeker_need.withdraw": gettext_lazy("撤回求职意向"),
        "matching.match.accept": gettext_lazy("接受岗位匹配"),
        "matching.match.decline": gettext_lazy("谢绝岗位匹配"),
        "matching.match.hire": gettext_lazy("岗位匹配转为录用"),
        "matching.hire.record": gettext_lazy("登记录用"),
        "matching.hire.check": gettext_lazy("按社保缴费记录核对录用"),
        "matching.assignment.create": gettext_lazy("分配就业服务对象"),
        "matching.assignment.end": gettext_lazy("结束就业服务"),
        "matching.follow_up.record": gettext_lazy("记录就业服务跟进"),
        "matching.fair.create": gettext_lazy("举办招聘会"),
        "matching.fair.enterprise_add": gettext_lazy("添加招聘会参会企业"),
        "matching.demo": gettext_lazy("生成岗位匹配演示数据"),
    }
)


def _date(value: datetime.datetime) -> datetime.date:
    from django.utils import timezone

    return timezone.localtime(value).date()


def _events(worker_id: int) -> list[TimelineEvent]:
    """A worker's job needs recorded, matches accepted, hires and hires confirmed (four queries)."""
    from skillcity.matching.models import Hire, Match, SeekerNeed

    events: list[TimelineEvent] = []
    url = reverse("matching:home")
    for s in SeekerNeed.objects.filter(worker_id=worker_id).select_related("occupation"):
        events.append(
            TimelineEvent(
                date=_date(s.created_at),
                source="matching",
                title=_("记录求职意向"),
                detail=s.occupation.name,
                url=url,
            )
        )
    for m in Match.objects.filter(worker_id=worker_id).select_related("need__enterprise", "need__occupation"):
        events.append(
            TimelineEvent(
                date=_date(m.created_at),
                source="matching",
                title=_("岗位匹配"),
                detail=f"{m.need.enterprise.name} · {m.need.occupation.name}",
                url=url,
            )
        )
        if m.responded_at and m.state != Match.State.DECLINED:
            events.append(
                TimelineEvent(
                    date=_date(m.responded_at),
                    source="matching",
                    title=_("接受岗位匹配"),
                    detail=f"{m.need.enterprise.name} · {m.need.occupation.name}",
                    url=url,
                )
            )
    for h in Hire.objects.filter(worker_id=worker_id).select_related("enterprise"):
        if h.source == Hire.Source.FAIR and h.state != Hire.State.CONFIRMED:
            # A fair hire is typed by an ID number: it joins the worker's life only once the ledger
            # confirms it, not on one enterprise's word.
            continue
        events.append(
            TimelineEvent(
                date=h.start_month,
                source="matching",
                title=_("录用"),
                detail=h.enterprise.name,
                facts=((_("来源"), str(h.get_source_display())), (_("确认状态"), str(h.get_state_display()))),
                url=url,
            )
        )
        if h.state == Hire.State.CONFIRMED and h.confirmed_month:
            events.append(
                TimelineEvent(
                    date=h.confirmed_month,
                    source="matching",
                    title=_("录用已由社保缴费记录确认"),
                    detail=h.enterprise.name,
                    url=url,
                )
            )
    return events


register_source("matching", gettext_lazy("岗位匹配"), _events)
