"""Training projects, classes, enrolments, vouchers (a ledger), the shortage catalog and settlements."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillcity.registry.models import Occupation, Organisation, OrganisationCategory, Town, Worker

# D004 二(八): an enterprise training its own staff is paid directly; everyone else is an institution.
ENTERPRISE_CATEGORIES = {OrganisationCategory.ENTERPRISE}


class TrainingProject(models.Model):
    """A project-based training project (项目制培训, D002 item 8) run by a training provider."""

    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="training_projects", verbose_name=_("培训单位")
    )
    name = models.CharField(_("项目名称"), max_length=200)
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("职业（工种）")
    )
    level = models.PositiveSmallIntegerField(_("培训等级"), null=True, blank=True)
    per_person_standard = models.DecimalField(_("每人补贴标准"), max_digits=10, decimal_places=2)
    capacity = models.PositiveIntegerField(_("计划人数"))
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在镇街"))
    # The certified training standard the project follows (issue 17 §4), if it names one.
    standard = models.ForeignKey(
        "platforms.Standard",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_projects",
        verbose_name=_("培训评价标准"),
    )
    # An online course a trainee must have completed to enrol (issue 18 §2 "a condition of a
    # training project where the project says so").
    required_course = models.ForeignKey(
        "learning.Course",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requiring_projects",
        verbose_name=_("须先完成的在线课程"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "town"
    ORGANISATION_FIELD = "provider"
    ORGANISATION_WRITES = True  # the provider runs its own projects
    WORKER_FIELD = None

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("培训项目")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="trn_project_dates"
            ),
            models.CheckConstraint(
                condition=Q(per_person_standard__gte=0), name="trn_project_standard_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TrainingClass(models.Model):
    project = models.ForeignKey(
        TrainingProject, on_delete=models.CASCADE, related_name="classes", verbose_name=_("培训项目")
    )
    name = models.CharField(_("班级名称"), max_length=100)
    start_date = models.DateField(_("开班日期"))
    end_date = models.DateField(_("结业日期"))
    # Who teaches and where, and the daily session (issue 20 §1 impossible schedules): a teacher in two
    # places at once, or a trainee in two classes at once, is read from these.
    teacher = models.ForeignKey(
        Worker,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="classes_taught",
        verbose_name=_("授课教师"),
    )
    site = models.CharField(_("上课地点"), max_length=200, blank=True)
    session_start = models.TimeField(_("每日上课开始时间"), null=True, blank=True)
    session_end = models.TimeField(_("每日上课结束时间"), null=True, blank=True)

    TOWN_FIELD = "project__town"
    ORGANISATION_FIELD = "project__provider"
    ORGANISATION_WRITES = True
    WORKER_FIELD = None

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = _("培训班")
        constraints = [
            models.CheckConstraint(
                condition=Q(session_start__isnull=True, session_end__isnull=True)
                | Q(session_start__isnull=False, session_end__gt=models.F("session_start")),
                name="trn_class_session_times",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("在训")
        COMPLETED = "completed", _("已结业")
        FAILED = "failed", _("未通过")
        WITHDRAWN = "withdrawn", _("已退出")

    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("培训班")
    )
    # Denormalised from the class so settlement scans one table (1M rows) without joins.
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("培训单位")
    )
    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("学员")
    )
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在镇街"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ENROLLED)
    enrolled_on = models.DateField(_("报名日期"))
    completed_on = models.DateField(_("结业日期"), null=True, blank=True)
    assessment_score = models.DecimalField(
        _("考核成绩"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    trainee_is_provider_employee = models.BooleanField(_("本单位职工"), default=False)
    # The skill level certificate obtained on assessment (TRN-UPSKILL), when there is one.
    certified_level = models.PositiveSmallIntegerField(_("取得证书等级"), null=True, blank=True)

    TOWN_FIELD = "town"
    ORGANISATION_FIELD = "provider"
    ORGANISATION_WRITES = True  # the provider keeps its roster: sign-ins, completion
    WORKER_FIELD = "worker"

    class Meta:
        ordering = ["-enrolled_on", "id"]
        verbose_name = _("报名")
        constraints = [
            models.UniqueConstraint(fields=["training_class", "worker"], name="trn_enrolment_once_per_class"),
            models.CheckConstraint(
                condition=Q(status="completed", completed_on__isnull=False) | ~Q(status="completed"),
                name="trn_completed_has_date",
            ),
        ]
        indexes = [models.Index(fields=["provider", "status", "completed_on"], name="trn_enrol_settle_idx")]

    def __str__(self) -> str:
        return f"{self.worker_id}@{self.training_class_id}"


class Attendance(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    day = models.DateField(_("签到日期"))
    signed_at = models.DateTimeField(auto_now_add=True)
    # Where the sign-in came from (issue 20 §1 sign-in bursts): the device the sign-in page marked with
    # its cookie (or the X-SkillCity-Device header an app sends) and the client's address.
    device_id = models.CharField(_("签到设备"), max_length=64, blank=True)
    client_address = models.CharField(_("签到地址"), max_length=64, blank=True)

    TOWN_FIELD = "enrolment__town"
    ORGANISATION_FIELD = "enrolment__provider"
    WORKER_FIELD = "enrolment__worker"

    class Meta:
        verbose_name = _("考勤签到")
        constraints = [models.UniqueConstraint(fields=["enrolment", "day"], name="trn_attendance_once_a_day")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.day}"


class ShortageCatalogEntry(models.Model):
    """TRN-SHORTAGE: one row of the year's 紧缺急需职业（工种）目录."""

    year = models.PositiveSmallIntegerField(_("年度"))
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("职业（工种）")
    )
    category = models.CharField(_("类别"), max_length=20, blank=True)
    # The documents name the catalogs but not their rows (D003: "2023年东莞市急需紧缺工种目录（3-6类）");
    # the demo's rows are marked so the page says they are not the published list.
    is_demo_value = models.BooleanField(_("演示值"), default=False)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "occupation__code"]
        verbose_name = _("紧缺急需工种目录条目")
        constraints = [
            models.UniqueConstraint(fields=["year", "occupation"], name="trn_shortage_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.occupation_id}"


class VoucherBatch(models.Model):
    name = models.CharField(_("批次名称"), max_length=100)
    # TRN-VOUCHER: face value and validity are not set by the documents — demo values, configurable per batch.
    face_value = models.DecimalField(_("面值"), max_digits=10, decimal_places=2)
    valid_from = models.DateField(_("有效期起"))
    valid_to = models.DateField(_("有效期止"))
    occupations = models.ManyToManyField(Occupation, blank=True, related_name="+", verbose_name=_("适用职业"))
    is_demo_value = models.BooleanField(_("演示值"), default=True)
    issued_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("培训券批次")

    def __str__(self) -> str:
        return self.name


class VoucherState(models.TextChoices):
    ISSUED = "issued", _("已发放")
    REDEEMED = "redeemed", _("已核销")
    SETTLED = "settled", _("已结算")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已撤销")


class VoucherEventKind(models.TextChoices):
    """What a ledger entry records: a state the voucher entered, or a redemption taken back."""

    ISSUED = "issued", _("已发放")
    REDEEMED = "redeemed", _("已核销")
    SETTLED = "settled", _("已结算")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已撤销")
    # The redemption of its round is reversed and the voucher is usable again (training.services).
    REVERSED = "reversed", _("核销已撤回")


class Voucher(models.Model):
    """A training voucher on the e-SSC. `state` changes only by a conditional UPDATE in the same
    transaction that appends its VoucherEvent; the events are the history and never change.

    `state` is what the ledger last recorded. An issued voucher past its validity is shown as
    expired (`state_now`) even before the daily expiry job has written it down."""

    code = models.CharField(_("券码"), max_length=20, unique=True)
    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="vouchers", verbose_name=_("劳动者")
    )
    batch = models.ForeignKey(
        VoucherBatch, on_delete=models.PROTECT, related_name="vouchers", verbose_name=_("批次")
    )
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在镇街"))
    face_value = models.DecimalField(_("面值"), max_digits=10, decimal_places=2)
    valid_from = models.DateField(_("有效期起"))
    valid_to = models.DateField(_("有效期止"))
    state = models.CharField(
        _("状态"), max_length=16, choices=VoucherState.choices, default=VoucherState.ISSUED
    )
    # How many redemptions of this voucher were reversed: the round the next redemption belongs to.
    reversal_count = models.PositiveSmallIntegerField(_("撤回核销次数"), default=0)

    TOWN_FIELD = "town"
    ORGANISATION_FIELD = "redemptions__provider"
    WORKER_FIELD = "worker"

    class Meta:
        ordering = ["-valid_to", "id"]
        verbose_name = _("培训券")
        indexes = [models.Index(fields=["state", "valid_to"], name="trn_voucher_expiry_idx")]
        constraints = [models.CheckConstraint(condition=Q(face_value__gt=0), name="trn_voucher_positive")]

    def __str__(self) -> str:
        return self.code

    def state_now(self, today: datetime.date | None = None) -> str:
        """The state as a person should see it today: issued but past its validity is expired."""
        day = today or timezone.localdate()
        if self.state == VoucherState.ISSUED and self.valid_to < day:
            return VoucherState.EXPIRED.value
        return str(self.state)

    @property
    def state_label(self) -> str:
        return str(VoucherState(self.state_now()).label)

    @property
    def is_usable(self) -> bool:
        return self.state_now() == VoucherState.ISSUED and self.valid_from <= timezone.localdate()


class VoucherEvent(models.Model):
    # No index of its own: the unique (voucher, state, round) constraint serves lookups by voucher.
    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="events", db_index=False)
    state = models.CharField(max_length=16, choices=VoucherEventKind.choices)
    # The voucher's reversal_count when the entry was written: a reversed redemption opens a new round.
    round = models.PositiveSmallIntegerField(default=0)
    at = models.DateTimeField(auto_now_add=True)
    actor_label = models.CharField(max_length=100, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]
        # Each state is entered at most once a round: the ledger itself refuses a second redemption;
        # only a reversal (which opens the next round) makes the voucher redeemable again.
        constraints = [
            models.UniqueConstraint(fields=["voucher", "state", "round"], name="trn_voucher_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.voucher_id} {self.state}"


class Redemption(models.Model):
    # One redemption a round (unique below): a reversed one stays, and the voucher may be redeemed again.
    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="redemptions", db_index=False)
    round = models.PositiveSmallIntegerField(default=0)
    # No index of its own: the unique (provider, idempotency_key) constraint serves lookups by provider.
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", db_index=False)
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    idempotency_key = models.CharField(max_length=64)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    redeemed_at = models.DateTimeField(auto_now_add=True)

    ORGANISATION_FIELD = "provider"
    TOWN_FIELD = "voucher__town"
    WORKER_FIELD = "voucher__worker"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "idempotency_key"], name="trn_redeem_key_once"),
            models.UniqueConstraint(fields=["voucher", "round"], name="trn_redeem_once_a_round"),
        ]

    def __str__(self) -> str:
        return f"{self.voucher_id} {self.idempotency_key}"


class RedemptionReversal(models.Model):
    """A redemption taken back at the counter within SKILLCITY_REDEMPTION_UNDO_MINUTES: a row of its
    own beside the 'reversed' ledger entry; the redemption row itself is never changed."""

    redemption = models.OneToOneField(Redemption, on_delete=models.PROTECT, related_name="reversal")
    reason = models.CharField(_("撤回原因"), max_length=200)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=100, blank=True)
    reversed_at = models.DateTimeField(auto_now_add=True)

    ORGANISATION_FIELD = "redemption__provider"
    TOWN_FIELD = "redemption__voucher__town"
    WORKER_FIELD = "redemption__voucher__worker"

    class Meta:
        verbose_name = _("撤回核销")

    def __str__(self) -> str:
        return f"{self.redemption_id}"


class CardEntry(models.Model):
    """The simulated e-SSC card service's store (SimulatedCardService)."""

    voucher_code = models.CharField(max_length=20, unique=True)
    id_number = models.CharField(max_length=18)
    status = models.CharField(max_length=16)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.voucher_code


class Settlement(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("计算中")
        CALCULATED = "calculated", _("待审批")
        APPROVED = "approved", _("已审批")
        PAID = "paid", _("已拨付")

    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="training_settlements",
        verbose_name=_("培训单位"),
    )
    period = models.CharField(_("结算期"), max_length=7)  # HalfYear, e.g. 2025H1
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    # Resumability: the highest enrolment id already settled; a rerun continues after it.
    checkpoint = models.BigIntegerField(default=0)
    # Progress for the page's bar: enrolments to settle (counted at the start) and settled so far.
    enrolments_total = models.PositiveIntegerField(default=0)
    enrolments_done = models.PositiveIntegerField(default=0)
    line_count = models.PositiveIntegerField(default=0)
    total_amount = models.DecimalField(_("合计金额"), max_digits=16, decimal_places=2, default=Decimal("0"))
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    payment_key = models.CharField(max_length=64, blank=True)

    TOWN_FIELD = "provider__town"
    ORGANISATION_FIELD = "provider"
    WORKER_FIELD = None

    class Meta:
        ordering = ["-period", "id"]
        verbose_name = _("培训补贴结算")
        constraints = [models.UniqueConstraint(fields=["provider", "period"], name="trn_settlement_once")]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.period}"


class SettlementLine(models.Model):
    class Payee(models.TextChoices):
        PROVIDER = "provider", _("培训单位")
        ENTERPRISE = "enterprise", _("企业")
        INDIVIDUAL = "individual", _("个人")

    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="lines")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="settlement_lines")
    worker_id_ref = (
        models.BigIntegerField()
    )  # the trainee, for "my subsidies" without a join through enrolment
    rule = models.CharField(max_length=20)
    payee = models.CharField(max_length=16, choices=Payee.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    ORGANISATION_FIELD = "settlement__provider"
    TOWN_FIELD = "enrolment__town"
    WORKER_FIELD = "worker_id_ref"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "rule"], name="trn_line_once_per_rule")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.rule}"
