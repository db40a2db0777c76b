"""Public training sub-bases (高技能公共实训分基地, D002 item 15, D003): recognition, the yearly report
(public-training person-times and new courses, evaluated by PLT-SUBBASE), the city's yearly course
purchase (a quota of places, allocations to sub-bases, each run as a training class whose enrolments
are the roster, acceptance, then TRN-SUBBASE-COURSE through grants) and the public training centre
whose own certificates count toward its 3,000 a year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skillcity.registry.models import Organisation

__all__ = [
    "AllocationState",
    "CourseAllocation",
    "CourseCategory",
    "CoursePurchaseQuota",
    "Subbase",
    "SubbaseCentre",
    "SubbaseReport",
    "SubbaseState",
]


class SubbaseState(models.TextChoices):
    APPLIED = "applied", _("待认定")
    RECOGNISED = "recognised", _("已认定")
    REJECTED = "rejected", _("未予认定")
    REVOKED = "revoked", _("已撤销认定")


class Subbase(models.Model):
    """One organisation's application to be, then its standing as, a public training sub-base."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="subbases", verbose_name=_("依托单位")
    )
    name = models.CharField(_("分基地名称"), max_length=200)
    direction = models.CharField(_("实训方向"), max_length=200)
    state = models.CharField(
        _("状态"), max_length=16, choices=SubbaseState.choices, default=SubbaseState.APPLIED
    )
    applied_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    recognised_on = models.DateField(_("认定日期"), null=True, blank=True)
    decision_note = models.CharField(_("认定意见"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    TOWN_FIELD = "organisation__town"
    ORGANISATION_FIELD = "organisation"
    ORGANISATION_WRITES = False  # the bureau recognises; the organisation files and reports through services
    WORKER_FIELD = None

    class Meta:
        ordering = ["-recognised_on", "id"]
        verbose_name = _("公共实训分基地")
        constraints = [
            # One standing application or recognition per organisation.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(state__in=["applied", "recognised"]),
                name="plt_subbase_one_standing",
            ),
            models.CheckConstraint(
                condition=~Q(state="recognised") | Q(recognised_on__isnull=False),
                name="plt_subbase_recognised_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SubbaseReport(models.Model):
    """A sub-base's yearly report: person-times of public training and the new courses it developed
    (one name per line; the count is the lines, not a typed number). PLT-SUBBASE evaluates it."""

    subbase = models.ForeignKey(
        Subbase, on_delete=models.PROTECT, related_name="reports", verbose_name=_("分基地")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    person_times = models.PositiveIntegerField(_("公共实训人次"))
    new_courses = models.TextField(_("新开发课程（每行一门）"))
    new_course_count = models.PositiveSmallIntegerField(_("新开发课程门数"))
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The evaluation: PLT-SUBBASE's outcome, stored as the engine gave it.
    passed = models.BooleanField(_("考核结果"), null=True, blank=True)
    outcome = models.JSONField(default=dict, blank=True)
    evaluated_at = models.DateTimeField(_("考核时间"), null=True, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    TOWN_FIELD = "subbase__organisation__town"
    ORGANISATION_FIELD = "subbase__organisation"
    ORGANISATION_WRITES = False
    WORKER_FIELD = None

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("分基地年度报告")
        constraints = [
            models.UniqueConstraint(fields=["subbase", "year"], name="plt_subbase_report_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.subbase} {self.year}"

    @property
    def course_names(self) -> list[str]:
        return [line for line in self.new_courses.splitlines() if line.strip()]


class CoursePurchaseQuota(models.Model):
    """The places the city buys in a year (D002 item 15: courses for 3,000 persons a year)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    places = models.PositiveIntegerField(_("购买名额"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("课程购买年度名额")
        constraints = [models.CheckConstraint(condition=Q(places__gte=1), name="plt_quota_places_positive")]

    def __str__(self) -> str:
        return f"{self.year}: {self.places}"


class CourseCategory(models.TextChoices):
    # TRN-SUBBASE-COURSE's two categories; the amounts per trainee are the engine's parameters.
    A = "A", _("A类课程")
    B = "B", _("B类课程")


class AllocationState(models.TextChoices):
    ALLOCATED = "allocated", _("已分配名额")
    RUNNING = "running", _("开班中")
    ACCEPTED = "accepted", _("已通过验收")
    FAILED = "failed", _("未通过验收")
    CANCELLED = "cancelled", _("已取消")


class CourseAllocation(models.Model):
    """Places of a year's purchase allocated to a sub-base for one course. The sub-base runs it as a
    training class (its enrolments are the roster); the bureau accepts it; the money goes through grants."""

    quota = models.ForeignKey(
        CoursePurchaseQuota, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("年度名额")
    )
    subbase = models.ForeignKey(
        Subbase, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("分基地")
    )
    course_name = models.CharField(_("课程名称"), max_length=200)
    category = models.CharField(_("课程类别"), max_length=1, choices=CourseCategory.choices)
    places = models.PositiveIntegerField(_("分配名额"))
    state = models.CharField(
        _("状态"), max_length=16, choices=AllocationState.choices, default=AllocationState.ALLOCATED
    )
    training_class = models.OneToOneField(
        "training.TrainingClass",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subbase_allocation",
        verbose_name=_("培训班"),
    )
    allocated_at = models.DateTimeField(auto_now_add=True)
    allocated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True)
    # The form's (or the API's Idempotency-Key) one-time key: a submit sent twice allocates once.
    request_key = models.CharField(max_length=64, blank=True, default="")
    acceptance_note = models.CharField(_("验收意见"), max_length=500, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    TOWN_FIELD = "subbase__organisation__town"
    ORGANISATION_FIELD = "subbase__organisation"
    ORGANISATION_WRITES = False
    WORKER_FIELD = None

    class Meta:
        ordering = ["-quota__year", "id"]
        verbose_name = _("课程购买名额分配")
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="plt_allocation_places_positive"),
            models.CheckConstraint(
                condition=~Q(state__in=["accepted", "failed"]) | Q(accepted_on__isnull=False),
                name="plt_allocation_decided_has_date",
            ),
            models.UniqueConstraint(
                fields=["request_key"], condition=~Q(request_key=""), name="plt_allocation_request_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subbase} · {self.course_name}"


class SubbaseCentre(models.Model):
    """The city's public training centre (市高技能公共实训中心): the organisation whose own evaluator's
    certificates count toward its 3,000 a year. One row at most."""

    key = models.CharField(max_length=8, default="centre", unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("实训中心")
    )
    yearly_certifications = models.PositiveIntegerField(_("年度认定目标（人）"), default=3000)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("公共实训中心")

    def __str__(self) -> str:
        return str(self.organisation)
