"""Each firing of a periodic job, once per job and period (the unique constraint is the guarantee)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    job = models.CharField(_("作业"), max_length=80)
    period = models.CharField(_("周期"), max_length=40, help_text=_("例如 2026-12-02（每日）"))
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True)
    enqueued_at = models.DateTimeField(_("排队时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("定时作业记录")
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="jobs_scheduledrun_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.period}"
