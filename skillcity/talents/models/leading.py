"""Leading talents (技能领军人才, D002 item 25, D003 §一(六)) and exceptional promotion (破格晋升, D002 item 26).

A yearly call (dates, quota, the criteria it publishes); applications by a worker or their unit, with the
worker's records attached by the platform; formal check → expert panel (members are registry workers the
bureau chooses; each scores each assigned application against the call's criteria) → shortlist → the grants
public notice → recognition (an honour SkillRecord and an honorary certificate). The subsidies are grants
applications (source keys "talents.leading:…", "talents.employer:…", "talents.rent:…"); the monthly rent
runs on a schedule whose instalments are a ledger, one per month.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skillcity.certification.models import ExceptionalGrounds
from skillcity.registry.models import SkillLevel


class LeadingCall(models.Model):
    """技能领军人才年度申报通知: one a year."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    title = models.CharField(_("名称"), max_length=200)
    opens_on = models.DateField(_("申报开始"))
    closes_on = models.DateField(_("申报截止"))
    quota = models.PositiveSmallIntegerField(_("计划认定名额"))
    # The published criteria, copied from data/leading_criteria.yaml when the call is made.
    criteria = models.JSONField(_("评审标准"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("技能领军人才申报通知")
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="tal_call_dates"),
            models.CheckConstraint(condition=Q(quota__gte=1), name="tal_call_quota_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def max_total(self) -> Decimal:
        return sum((Decimal(str(c["max"])) for c in self.criteria), Decimal("0"))


class LeadingState(models.TextChoices):
    SUBMITTED = "submitted", _("待形式审查")
    FORMAL_FAILED = "formal_failed", _("形式审查未通过")
    IN_PANEL = "in_panel", _("专家评审中")
    NOT_SHORTLISTED = "not_shortlisted", _("未入围")
    SHORTLISTED = "shortlisted", _("入围公示中")
    RECOGNISED = "recognised", _("已认定")
    REJECTED = "rejected", _("公示后不予认定")


class TitleRoute(models.TextChoices):
    """D002 item 13: national and provincial titles open the route to leading-talent class 1 / class 2."""

    CLASS1 = "class1", _("一类人才")
    CLASS2 = "class2", _("二类人才")


class LeadingApplication(models.Model):
    call = models.ForeignKey(LeadingCall, on_delete=models.PROTECT, related_name="applications")
    worker = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="+")
    # The worker's unit when applying; a unit applying for its worker is `by_unit`.
    unit = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by_unit = models.BooleanField(_("由单位申报"), default=False)
    # 引进日期: the unit brought the talent in (TAL-LEADING-EMPLOYER rewards it after recognition).
    introduced_on = models.DateField(_("引进日期"), null=True, blank=True)
    grounds = models.TextField(_("申报理由"), max_length=2000)
    # The records the platform attached: [{"kind", "label", "date", "source"}], fixed when applying.
    records = models.JSONField(_("附带记录"), default=list)
    route = models.CharField(_("称号直通路径"), max_length=8, choices=TitleRoute.choices, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=LeadingState.choices, default=LeadingState.SUBMITTED
    )
    formal_note = models.CharField(_("形式审查意见"), max_length=500, blank=True)
    living_amount = models.DecimalField(
        _("评审确定的生活补贴"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "worker__town"
    ORGANISATION_FIELD = "unit"
    WORKER_FIELD = "worker"

    class Meta:
        ordering = ["-id"]
        verbose_name = _("技能领军人才申报")
        constraints = [
            models.UniqueConstraint(fields=["call", "worker"], name="tal_leading_once_per_call"),
            models.CheckConstraint(
                condition=Q(living_amount__isnull=True) | Q(living_amount__gt=0), name="tal_living_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call.year} {self.worker.name}"


class Evidence(models.Model):
    """An uploaded proof of a leading-talent or an exceptional-promotion application (SHA-256 kept)."""

    leading = models.ForeignKey(
        LeadingApplication, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    exceptional = models.ForeignKey(
        "ExceptionalApplication", null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(upload_to="talents/evidence/%Y/%m/")
    name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(leading__isnull=False, exceptional__isnull=True)
                | Q(leading__isnull=True, exceptional__isnull=False),
                name="tal_evidence_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name


class PanelMember(models.Model):
    """An expert of a call's panel: a registry worker the bureau chose (no expert pool exists yet)."""

    call = models.ForeignKey(LeadingCall, on_delete=models.PROTECT, related_name="panel")
    worker = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="+")
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    chosen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["call", "worker"], name="tal_panel_once_per_call")]

    def __str__(self) -> str:
        return self.worker.name


class Assignment(models.Model):
    """An application given to a panel member to score; `submitted_at` once their sheet is in."""

    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="assignments")
    application = models.ForeignKey(LeadingApplication, on_delete=models.PROTECT, related_name="assignments")
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "application"], name="tal_assignment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.application_id}"


class Score(models.Model):
    """One member's points for one criterion of one application; written once with the sheet."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="scores")
    criterion = models.CharField(max_length=32)
    points = models.DecimalField(max_digits=5, decimal_places=1)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="tal_score_once"),
            models.CheckConstraint(condition=Q(points__gte=0), name="tal_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion} {self.points}"


class Recognition(models.Model):
    """认定: the honour and the honorary certificate of one recognised application."""

    application = models.OneToOneField(
        LeadingApplication, on_delete=models.PROTECT, related_name="recognition"
    )
    worker = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("认定年度"), db_index=True)
    recognised_on = models.DateField(_("认定日期"))
    number = models.CharField(_("荣誉证书编号"), max_length=20, unique=True)
    honour = models.OneToOneField(
        "registry.SkillRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recognised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    TOWN_FIELD = "worker__town"
    ORGANISATION_FIELD = "application__unit"
    WORKER_FIELD = "worker"

    class Meta:
        ordering = ["-year", "number"]
        verbose_name = _("技能领军人才认定")

    def __str__(self) -> str:
        return self.number


class RentState(models.TextChoices):
    ACTIVE = "active", _("按月发放中")
    PAUSED = "paused", _("已暂停")
    ENDED = "ended", _("已终止")


class RentEndReason(models.TextChoices):
    LEFT_CITY = "left_city", _("离开本市")
    BOUGHT_HOME = "bought_home", _("已购房")
    TERM_ENDED = "term_ended", _("期限届满")


class RentSchedule(models.Model):
    """租房补贴按月发放计划: a monthly amount within TAL-LEADING's range, for a term of months."""

    recognition = models.ForeignKey(Recognition, on_delete=models.PROTECT, related_name="rent_schedules")
    worker = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="+")
    monthly_amount = models.DecimalField(_("每月金额"), max_digits=10, decimal_places=2)
    first_month = models.DateField(_("起始月份"))  # the first day of the month
    last_month = models.DateField(_("截止月份"))
    state = models.CharField(_("状态"), max_length=8, choices=RentState.choices, default=RentState.ACTIVE)
    end_reason = models.CharField(_("终止原因"), max_length=16, choices=RentEndReason.choices, blank=True)
    end_note = models.CharField(_("终止说明"), max_length=500, blank=True)
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    # The month payments resumed from after a pause: the months before it that were never paid while
    # paused are not caught up (a pause stops payment, it does not defer it).
    resumed_from = models.DateField(_("恢复发放月份"), null=True, blank=True)
    # The finance officer whose standing instruction the monthly job pays under.
    authorised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "worker__town"
    ORGANISATION_FIELD = "recognition__application__unit"
    WORKER_FIELD = "worker"

    class Meta:
        ordering = ["-id"]
        verbose_name = _("租房补贴发放计划")
        constraints = [
            models.CheckConstraint(condition=Q(monthly_amount__gt=0), name="tal_rent_positive"),
            models.CheckConstraint(
                condition=Q(last_month__gte=models.F("first_month")), name="tal_rent_term_in_order"
            ),
            models.CheckConstraint(
                condition=~Q(state="ended") | (~Q(end_reason="") & Q(ended_on__isnull=False)),
                name="tal_rent_ended_has_reason",
            ),
            # One running (not ended) schedule per talent, also when two are set up at once.
            models.UniqueConstraint(
                fields=["worker"], condition=~Q(state="ended"), name="tal_rent_one_running"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker.name} {self.monthly_amount}/月"


class RentInstalment(models.Model):
    """One month's rent subsidy: its grants application (paid once, key "rent:<schedule>:<YYYY-MM>")."""

    schedule = models.ForeignKey(RentSchedule, on_delete=models.PROTECT, related_name="instalments")
    month = models.DateField(_("月份"))
    application = models.OneToOneField("grants.Application", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["schedule", "month"], name="tal_rent_once_a_month")]

    def __str__(self) -> str:
        return f"{self.schedule_id} {self.month:%Y-%m}"


class RentRefusal(models.Model):
    """A month the job could not pay (no fund, the budget spent, the officer's authority gone): kept so
    the refusal is seen on the schedules page, since grants made no application for it to show."""

    schedule = models.ForeignKey(RentSchedule, on_delete=models.PROTECT, related_name="refusals")
    month = models.DateField(_("月份"))
    code = models.CharField(max_length=40)
    message = models.CharField(_("原因"), max_length=500)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("租房补贴拒付记录")

    def __str__(self) -> str:
        return f"{self.schedule_id} {self.month:%Y-%m} {self.code}"


class ExceptionalState(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    ADMITTED = "admitted", _("审核通过待安排考评")
    REFUSED = "refused", _("不予通过")
    PLACED = "placed", _("已安排考评")


class ExceptionalApplication(models.Model):
    """破格/越级晋升申请 (D002 item 26): grounds, evidence, review, then a place in a promotion session."""

    worker = models.ForeignKey("registry.Worker", on_delete=models.PROTECT, related_name="+")
    occupation = models.ForeignKey("registry.Occupation", on_delete=models.PROTECT, related_name="+")
    current_level = models.PositiveSmallIntegerField(
        _("现持有等级"), null=True, blank=True, choices=SkillLevel.choices
    )
    target_level = models.PositiveSmallIntegerField(_("申请晋升等级"), choices=SkillLevel.choices)
    grounds = models.CharField(_("破格依据"), max_length=32, choices=ExceptionalGrounds.choices)
    statement = models.TextField(_("事实陈述"), max_length=1000)
    state = models.CharField(
        _("状态"), max_length=12, choices=ExceptionalState.choices, default=ExceptionalState.SUBMITTED
    )
    review_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    candidate = models.OneToOneField(
        "certification.Candidate", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "worker__town"
    ORGANISATION_FIELD = "worker__employer"
    WORKER_FIELD = "worker"

    class Meta:
        ordering = ["-id"]
        verbose_name = _("破格晋升申请")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_level__gte=1, target_level__lte=4), name="tal_exc_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker.name} {self.get_grounds_display()}"
