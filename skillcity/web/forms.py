"""The audit log's filters."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillcity.core.bounds import IsoDateField
from skillcity.core.models import AuditEvent


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("操作人（用户名）"), max_length=150, required=False)
    date_from = IsoDateField(label=_("开始日期"), required=False)
    date_to = IsoDateField(label=_("结束日期"), required=False)
    action = forms.CharField(
        label=_("操作"), max_length=80, required=False, help_text=_("开头相同即可，如 worker.")
    )
    target_type = forms.CharField(
        label=_("对象类型"), max_length=80, required=False, help_text=_("如 registry.worker")
    )
    target_id = forms.CharField(label=_("对象编号"), max_length=64, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("结束日期不能早于开始日期"))
        return data

    def apply(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        """The events that match the (valid) filters."""
        data = self.cleaned_data
        if data.get("actor"):
            events = events.filter(actor_label=data["actor"].strip())
        if data.get("date_from"):
            events = events.filter(at__gte=_day_start(data["date_from"]))
        if data.get("date_to"):
            events = events.filter(at__lt=_day_start(data["date_to"] + datetime.timedelta(days=1)))
        if data.get("action"):
            events = events.filter(action__startswith=data["action"].strip())
        if data.get("target_type"):
            events = events.filter(target_type=data["target_type"].strip())
        if data.get("target_id"):
            events = events.filter(target_id=data["target_id"].strip())
        return events


def _day_start(day: datetime.date) -> datetime.datetime:
    # A day of the platform's time zone (Asia/Shanghai), as the page shows the times.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
