"""Grants: one path for every subsidy and award — apply, review, public notice, approve, pay once.

Money-moving records are ledgers: a fund's remaining budget is computed from its FundEntry rows,
a payment is a row unique per application and per idempotency key; nothing is edited in place.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from skillcity.grants.outcomes import default_amount


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    RETURNED = "returned", _("退回修改")
    REVIEWED = "reviewed", _("审核通过待公示")
    IN_NOTICE = "in_notice", _("公示中")
    APPROVED = "approved", _("已核准")
    PAID = "paid", _("已拨付")
    REJECTED = "rejected", _("不予通过")
    WITHDRAWN = "withdrawn", _("已撤回")


class Application(models.Model):
    """One claim under one policy-catalog rule, by an organisation or a worker."""

    rule_id = models.CharField(_("政策条目"), max_length=40, db_index=True)
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    worker = models.ForeignKey(
        "registry.Worker", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The applicant's town: a town officer reviews only their own town's applications.
    town = models.ForeignKey("registry.Town", on_delete=models.PROTECT, related_name="+")
    event_date = models.DateField(_("事项发生日期"))
    facts = models.JSONField(_("申报事实"), default=dict)
    # Which facts came from the platform's own records (fact name -> provenance); not editable.
    fact_sources = models.JSONField(default=dict, blank=True)
    outcome = models.JSONField(_("测算结果"), default=dict)
    state = models.CharField(
        _("状态"), max_length=16, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    stage_index = models.PositiveSmallIntegerField(default=0)
    stage_due = models.DateField(_("本环节办理期限"), null=True, blank=True)
    requested_amount = models.DecimalField(
        _("申请金额"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    decided_amount = models.DecimalField(
        _("核定金额"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    decision_reason = models.TextField(_("核定理由"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The record a programme made this application from ("competitions.result:12:CMP-PRIZE-CITY"): at most
    # one standing application per source, so a prize, a hosting grant or a title is claimed once.
    source_key = models.CharField(_("来源记录"), max_length=120, blank=True, default="")

    TOWN_FIELD = "town"
    ORGANISATION_FIELD = "organisation"
    WORKER_FIELD = "worker"

    class Meta:
        verbose_name = _("补贴申请")
        ordering = ["-id"]
        indexes = [models.Index(fields=["state", "town"]), models.Index(fields=["rule_id", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(worker__isnull=False),
                name="grants_application_has_applicant",
            ),
            models.CheckConstraint(
                condition=Q(decided_amount__isnull=True) | Q(decided_amount__gt=0),
                name="grants_application_decided_positive",
            ),
            # A withdrawn or rejected application frees its source for a new one.
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~Q(source_key="") & ~Q(state__in=["withdrawn", "rejected"]),
                name="grants_application_one_per_source",
            ),
        ]

    def __str__(self) -> str:
        # Read on the audit page: the rule's title, not its ID.
        from skillcity.policy.display import rule_title

        return f"{rule_title(self.rule_id)} #{self.pk}"

    @property
    def applicant(self) -> models.Model:
        return self.organisation or self.worker  # type: ignore[return-value]

    @property
    def applicant_name(self) -> str:
        return str(self.organisation.name if self.organisation else self.worker.name if self.worker else "")


class Evidence(models.Model):
    """An uploaded proof; its SHA-256 is kept so a file swapped on disk shows."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="grants/evidence/%Y/%m/")
    name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "application__town"
    ORGANISATION_FIELD = "application__organisation"
    WORKER_FIELD = "application__worker"

    def __str__(self) -> str:
        return self.name


class ApplicationEvent(models.Model):
    """The timeline: who did what when, from which state to which, and why. Append-only."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    stage = models.CharField(max_length=40, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.action} {self.at}"


class Fund(models.Model):
    """A programme's budget: for one year, or for several (`last_year`), like D003's 25,000,000 special
    fund for every EDU-BASE base, which covers all the years of the rule."""

    programme = models.CharField(_("项目（政策条目）"), max_length=40)
    year = models.PositiveSmallIntegerField(_("年度"))
    last_year = models.PositiveSmallIntegerField(_("截止年度"), null=True, blank=True)
    name = models.CharField(_("名称"), max_length=200)
    total = models.DecimalField(_("预算总额"), max_digits=16, decimal_places=2)
    # The clause that sets the budget, e.g. "D003 §二(一)"; empty for a budget the bureau set itself.
    source = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        ordering = ["programme", "year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="grants_fund_unique_programme_year"),
            models.CheckConstraint(condition=Q(total__gte=0), name="grants_fund_total_non_negative"),
            models.CheckConstraint(
                condition=Q(last_year__isnull=True) | Q(last_year__gte=models.F("year")),
                name="grants_fund_years_in_order",
            ),
        ]

    def __str__(self) -> str:
        years = (
            f"{self.year}–{self.last_year}" if self.last_year and self.last_year != self.year else self.year
        )
        return f"{self.name}（{years}）"

    def balances(self) -> dict[str, Decimal]:
        sums = {
            row["kind"]: row["s"] or Decimal("0")
            for row in self.entries.values("kind").annotate(s=Sum("amount"))  # type: ignore[attr-defined]
        }
        committed = sums.get("commitment", Decimal("0")) - sums.get("release", Decimal("0"))
        spent = sums.get("spend", Decimal("0"))
        # Money recovered (追回, issue 20) from payments booked against this fund comes back to it: the
        # spend line stays as it was paid, the recovery is its own ledger line (`Recovery`).
        recovered = self.recoveries.aggregate(s=Sum("amount"))["s"] or Decimal("0")  # type: ignore[attr-defined]
        return {
            "total": self.total,
            "committed": committed,
            "spent": spent,
            "recovered": recovered,
            "remaining": self.total - committed - spent + recovered,
        }


class FundEntry(models.Model):
    """One ledger line. Commitment on approval; on payment the commitment is released and spend
    written; remaining = total − (commitments − releases) − spend."""

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("承诺")
        RELEASE = "release", _("释放")
        SPEND = "spend", _("支出")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="fund_entries")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grants_fundentry_amount_positive"),
            models.UniqueConstraint(fields=["application", "kind"], name="grants_fundentry_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


class PublicNotice(models.Model):
    """公示: the application's decision is published for a number of working days."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="notice")
    # GS-2026-000123: what a citizen quotes when they call about a notice; given once, never changed.
    number = models.CharField(_("公示编号"), max_length=20, unique=True, null=True, blank=True)
    start = models.DateField(_("公示开始"))
    end = models.DateField(_("公示截止"))
    working_days = models.PositiveSmallIntegerField(default=5)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    TOWN_FIELD = "application__town"
    ORGANISATION_FIELD = "application__organisation"
    WORKER_FIELD = "application__worker"

    def __str__(self) -> str:
        return self.number or f"{self.start}~{self.end}"

    @staticmethod
    def number_for(start: datetime.date, pk: int) -> str:
        """The notice number: its year and its row number, so two notices never draw the same one."""
        return f"GS-{start.year}-{pk:06d}"

    @property
    def amount(self) -> Decimal | None:
        """The amount the notice publishes: the reviewer's decided amount, else what the engine computed
        (the amount approval starts from)."""
        app = self.application
        return app.decided_amount if app.decided_amount is not None else default_amount(app.outcome)


OBJECTION_TEXT_MAX = 2000
OBJECTION_CONTACT_MAX = 100


class ObjectionState(models.TextChoices):
    OPEN = "open", _("待处理")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")
    SPAM = "spam", _("作为垃圾异议驳回")


class Objection(models.Model):
    """An objection lodged during the notice; approval waits until every one is resolved.

    The objector gets a receipt number to quote when they ask what became of it; `address` is where
    an anonymous objection came from (the rate limit counts it, a reviewer weighs spam with it).
    """

    State = ObjectionState

    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="objections")
    receipt = models.CharField(_("回执编号"), max_length=20, unique=True)
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    address = models.CharField(_("来源地址"), max_length=64, blank=True, db_index=True)
    contact = models.CharField(_("联系方式"), max_length=OBJECTION_CONTACT_MAX, blank=True)
    text = models.TextField(_("异议内容"), max_length=OBJECTION_TEXT_MAX)
    lodged_at = models.DateTimeField(auto_now_add=True, db_index=True)
    state = models.CharField(
        _("状态"), max_length=12, choices=ObjectionState.choices, default=ObjectionState.OPEN
    )
    resolution = models.TextField(_("处理意见"), blank=True)
    upheld = models.BooleanField(null=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), OBJECTION_TEXT_MAX),
                name="grants_objection_text_bounded",
            ),
            # Open exactly when unresolved: approval checks resolved_at, the pages show the state.
            models.CheckConstraint(
                condition=Q(state="open", resolved_at__isnull=True)
                | (~Q(state="open") & Q(resolved_at__isnull=False)),
                name="grants_objection_state_matches_resolution",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt} {self.text[:40]}"


TREASURY_REFERENCE_MAX = 64


class Payment(models.Model):
    """The one payment of an approved application; unique per application and per key."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="payment")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    idempotency_key = models.CharField(max_length=128, unique=True)
    # 国库支付凭证号: the treasury's reference for the transfer, typed by finance when paying from the page
    # or the API (blank only on payments made before it was recorded).
    treasury_reference = models.CharField(_("国库支付凭证号"), max_length=TREASURY_REFERENCE_MAX, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    paid_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "application__town"
    ORGANISATION_FIELD = "application__organisation"
    WORKER_FIELD = "application__worker"

    class Meta:
        ordering = ["-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="grants_payment_positive")]

    def __str__(self) -> str:
        return f"{self.application} {self.amount}"


class Recovery(models.Model):
    """追回: money taken back from a paid application (issue 20: a confirmed supervision alert), a ledger
    line of its own — the payment is never edited. The recoveries of an application never exceed what
    was paid; the fund the payment was spent from counts them back (`Fund.balances`). Written only by
    `grants.services.recoveries.recovery_record`, once per idempotency key."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="recoveries")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="recoveries")
    amount = models.DecimalField(_("追回金额（元）"), max_digits=14, decimal_places=2)
    reason = models.TextField(_("追回理由"))
    # Where it came from, as text (e.g. "supervision.alert:12"), so grants does not depend on supervision.
    reference = models.CharField(_("来源"), max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=128, unique=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("追回时间"), auto_now_add=True)

    TOWN_FIELD = "application__town"
    ORGANISATION_FIELD = "application__organisation"
    WORKER_FIELD = "application__worker"

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("追回记录")
        verbose_name_plural = _("追回记录")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="grants_recovery_positive")]

    def __str__(self) -> str:
        return f"recovery {self.application_id} {self.amount}"

    @property
    def reference_label(self) -> str:
        """ "监管预警 #12" for a recovery from a supervision alert; the text as written otherwise."""
        kind, _sep, pk = self.reference.partition(":")
        if kind == "supervision.alert" and pk.isdigit():
            return str(_("监管预警 #%(n)s") % {"n": pk})
        return self.reference
