"""Training and evaluation standards (职业技能培训评价标准, issue 17 §4; PLT-STANDARD, D002 item 20,
D003 §一(四)一).

A developer organisation files a development project (the occupation, the plan, the funding asked);
the bureau accepts the developed standard (验收), an expert panel scores it (members are registry
workers; a member from the developer's organisation is refused), and the bureau certifies it (认定)
from the panel's scores, which makes the PLT-STANDARD application through grants. A certified standard
is listed publicly and may be named by a training project or a certification session.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from skillcity.registry.models import Occupation, Organisation, Worker

__all__ = ["Standard", "StandardKind", "StandardPanelMember", "StandardState"]


class StandardState(models.TextChoices):
    DEVELOPING = "developing", _("开发中")
    SUBMITTED = "submitted", _("已提交验收")
    RETURNED = "returned", _("验收退回")
    ACCEPTED = "accepted", _("验收通过，待认定")
    CERTIFIED = "certified", _("已认定")
    NOT_CERTIFIED = "not_certified", _("认定未通过")


class StandardKind(models.TextChoices):
    TRAINING = "training", _("培训标准")
    EVALUATION = "evaluation", _("评价标准")


class Standard(models.Model):
    developer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="standards", verbose_name=_("开发单位")
    )
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("职业（工种）")
    )
    kind = models.CharField(_("标准类别"), max_length=16, choices=StandardKind.choices)
    title = models.CharField(_("标准名称"), max_length=200)
    plan = models.TextField(_("开发计划"), max_length=4000)
    planned_completion = models.DateField(_("计划完成日期"))
    requested = models.DecimalField(_("申请开发经费（元）"), max_digits=10, decimal_places=2)
    year = models.PositiveSmallIntegerField(_("立项年度"))
    state = models.CharField(
        _("状态"), max_length=16, choices=StandardState.choices, default=StandardState.DEVELOPING
    )
    note = models.CharField(_("验收或认定意见"), max_length=500, blank=True)
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True)
    certified_on = models.DateField(_("认定日期"), null=True, blank=True)
    number = models.CharField(_("标准编号"), max_length=32, blank=True)
    # Certified before this platform kept its records (the 117 of the baseline): no grant from here.
    baseline = models.BooleanField(_("平台启用前已认定"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "developer__town"
    ORGANISATION_FIELD = "developer"
    WORKER_FIELD = None

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("职业技能培训评价标准")
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~models.Q(number=""), name="platforms_standard_number_unique"
            ),
            models.CheckConstraint(condition=models.Q(requested__gte=0), name="platforms_standard_requested"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title


class StandardPanelMember(models.Model):
    """One member of a standard's certification panel and the score they gave (0–100)."""

    standard = models.ForeignKey(
        Standard, on_delete=models.CASCADE, related_name="panel", verbose_name=_("标准")
    )
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="+", verbose_name=_("评审专家"))
    score = models.DecimalField(_("评分"), max_digits=4, decimal_places=1, null=True, blank=True)
    comment = models.CharField(_("评审意见"), max_length=500, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("认定专家组成员")
        constraints = [
            models.UniqueConstraint(fields=["standard", "worker"], name="platforms_standard_member_once"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=100),
                name="platforms_standard_score_range",
            ),
        ]

    def __str__(self) -> str:
        return self.worker.name
