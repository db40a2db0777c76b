"""Master studios (技能大师工作室 / 技师工作站), issue 17 §1: a high-skilled person's application with their
enterprise, the bureau's review and city recognition, the yearly report (apprentices from the registry,
technical results, courses) and its evaluation, provincial/national upgrades, and the end of a studio
(failed evaluation or closure) with its reason. The money goes through grants (PLT-STUDIO)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from skillcity.registry.models import Organisation, Worker

__all__ = [
    "STUDIO_LEVEL_RANK",
    "Studio",
    "StudioApprentice",
    "StudioKind",
    "StudioLevel",
    "StudioReport",
    "StudioReportResult",
    "StudioState",
    "StudioUpgrade",
]


class StudioKind(models.TextChoices):
    MASTER = "master", _("技能大师工作室")
    TECHNICIAN = "technician", _("技师工作站")


class StudioLevel(models.TextChoices):
    """The same codes as TAL-CARD's studio_lead_level."""

    CITY = "city", _("市级")
    PROVINCIAL = "provincial", _("省级")
    NATIONAL = "national", _("国家级")


STUDIO_LEVEL_RANK = {StudioLevel.CITY: 1, StudioLevel.PROVINCIAL: 2, StudioLevel.NATIONAL: 3}


class StudioState(models.TextChoices):
    SUBMITTED = "submitted", _("待审查")
    REVIEWED = "reviewed", _("审查通过，待认定")
    REJECTED = "rejected", _("审查未通过")
    RECOGNISED = "recognised", _("已认定")
    FAILED = "failed", _("评估不合格，已撤销")
    CLOSED = "closed", _("已关闭")


class Studio(models.Model):
    name = models.CharField(_("工作室名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=StudioKind.choices, default=StudioKind.MASTER)
    lead = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="platform_studios", verbose_name=_("领办人")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="studios", verbose_name=_("依托单位")
    )
    occupation = models.CharField(_("技能领域（职业/工种）"), max_length=60)
    summary = models.TextField(_("建设方案摘要"), max_length=2000)
    state = models.CharField(
        _("状态"), max_length=16, choices=StudioState.choices, default=StudioState.SUBMITTED
    )
    level = models.CharField(_("级别"), max_length=16, choices=StudioLevel.choices, blank=True)
    applied_on = models.DateField(_("申报日期"))
    review_note = models.CharField(_("审查意见"), max_length=500, blank=True)
    recognised_on = models.DateField(_("市级认定日期"), null=True, blank=True)
    approved_amount = models.DecimalField(
        _("核定补贴金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    ended_on = models.DateField(_("撤销/关闭日期"), null=True, blank=True)
    end_reason = models.CharField(_("撤销/关闭原因"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    TOWN_FIELD = "organisation__town"
    ORGANISATION_FIELD = "organisation"
    WORKER_FIELD = "lead"

    class Meta:
        ordering = ["-applied_on", "-id"]
        verbose_name = _("技能大师工作室")
        verbose_name_plural = _("技能大师工作室")
        # One standing studio (applied, reviewed or recognised) per lead: the database holds the line a
        # double submission would cross.
        constraints = [
            models.UniqueConstraint(
                fields=["lead"],
                condition=models.Q(state__in=["submitted", "reviewed", "recognised"]),
                name="studio_one_standing_per_lead",
            )
        ]
        indexes = [models.Index(fields=["state", "recognised_on"], name="studio_state_recognised_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.state == StudioState.RECOGNISED


class StudioUpgrade(models.Model):
    """A later recognition at provincial or national level: once each per studio."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="upgrades")
    level = models.CharField(_("级别"), max_length=16, choices=StudioLevel.choices)
    recognised_on = models.DateField(_("认定日期"))
    document = models.CharField(_("认定文件"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "studio__organisation__town"
    ORGANISATION_FIELD = "studio__organisation"
    WORKER_FIELD = "studio__lead"

    class Meta:
        ordering = ["recognised_on", "id"]
        verbose_name = _("工作室升级认定")
        constraints = [
            models.UniqueConstraint(fields=["studio", "level"], name="studio_upgrade_once_per_level")
        ]

    def __str__(self) -> str:
        return f"{self.studio_id} {self.level}"


class StudioReportResult(models.TextChoices):
    PENDING = "pending", _("待评估")
    PASSED = "passed", _("评估合格")
    FAILED = "failed", _("评估不合格")


class StudioReport(models.Model):
    """A studio's yearly report of what it produced, and the bureau's evaluation of it."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("年度"))
    results = models.TextField(_("技术成果"), max_length=2000)
    results_count = models.PositiveIntegerField(_("技术成果数（项）"), default=0)
    courses = models.TextField(_("开发课程"), max_length=2000, blank=True)
    courses_count = models.PositiveIntegerField(_("开发课程数（门）"), default=0)
    result = models.CharField(
        _("评估结果"), max_length=16, choices=StudioReportResult.choices, default=StudioReportResult.PENDING
    )
    evaluation_reasons = models.CharField(_("评估意见"), max_length=500, blank=True)
    evaluated_on = models.DateField(_("评估日期"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "studio__organisation__town"
    ORGANISATION_FIELD = "studio__organisation"
    WORKER_FIELD = "studio__lead"

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("工作室年度报告")
        constraints = [models.UniqueConstraint(fields=["studio", "year"], name="studio_report_once_per_year")]

    def __str__(self) -> str:
        return f"{self.studio_id} {self.year}"


class StudioApprentice(models.Model):
    """An apprentice (师带徒) a report names: a worker of the registry, never typed."""

    report = models.ForeignKey(StudioReport, on_delete=models.CASCADE, related_name="apprentices")
    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="studio_apprenticeships", verbose_name=_("徒弟")
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "worker"], name="studio_apprentice_once_per_report")
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.worker_id}"
