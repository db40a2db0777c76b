"""Records of supervision (issue 20): the alerts the checks raise, each step of their handling, and
each run of the checks.

An alert is identified by its check and a fingerprint of the records behind it (which records, not
their values), so a run that finds the same case again updates it instead of raising a second one;
`digest` is a hash of the values the check read, so a dismissed alert fires again only when those
records change (issue 20 §2).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class AlertState(models.TextChoices):
    OPEN = "open", _("待处理")
    ASSIGNED = "assigned", _("已分派")
    INVESTIGATING = "investigating", _("核查中")
    CONFIRMED = "confirmed", _("已确认违规")
    DISMISSED = "dismissed", _("已排除")


class Alert(models.Model):
    check_id = models.CharField(_("核查规则"), max_length=40, db_index=True)
    fingerprint = models.CharField(_("记录指纹"), max_length=64)
    digest = models.CharField(_("记录内容摘要"), max_length=64)
    severity = models.CharField(_("严重程度"), max_length=8, choices=Severity.choices)
    message = models.TextField(_("预警说明"))
    # The records behind the alert: [{"kind": "training.enrolment", "id": 12, "label": "…"}, …]
    records = models.JSONField(_("相关记录"), default=list)
    money = models.DecimalField(_("涉及金额（元）"), max_digits=14, decimal_places=2, default=Decimal("0"))
    organisation = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("涉及单位"),
    )
    worker = models.ForeignKey(
        "registry.Worker",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("涉及劳动者"),
    )
    # The town whose officers handle it: the organisation's, else the worker's.
    town = models.ForeignKey(
        "registry.Town",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("镇街"),
    )
    state = models.CharField(_("状态"), max_length=16, choices=AlertState.choices, default=AlertState.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("经办人"),
    )
    decision_reason = models.TextField(_("处理理由"), blank=True)
    first_run = models.ForeignKey("Run", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    created_at = models.DateTimeField(_("预警时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    TOWN_FIELD = "town"
    ORGANISATION_FIELD = "organisation"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("监管预警")
        verbose_name_plural = _("监管预警")
        constraints = [
            models.UniqueConstraint(fields=["check_id", "fingerprint"], name="supervision_alert_once"),
            models.CheckConstraint(condition=Q(money__gte=0), name="supervision_alert_money_not_negative"),
            models.CheckConstraint(
                condition=~Q(state__in=["confirmed", "dismissed"]) | ~Q(decision_reason=""),
                name="supervision_alert_decided_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["state", "town"]), models.Index(fields=["organisation", "state"])]

    def __str__(self) -> str:
        return f"{self.check_id} #{self.pk}"


class AlertEvent(models.Model):
    """One step of an alert's handling (or a run finding it again), in order."""

    class Action(models.TextChoices):
        RAISED = "raised", _("生成预警")
        REFIRED = "refired", _("相关记录变化，重新预警")
        ASSIGNED = "assigned", _("分派")
        INVESTIGATING = "investigating", _("开始核查")
        CONFIRMED = "confirmed", _("确认违规")
        DISMISSED = "dismissed", _("排除")
        HOLD = "hold", _("暂停拨付")
        RECOVERY = "recovery", _("追回资金")
        REFERRAL = "referral", _("移送处理")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.alert_id} {self.action}"


class Run(models.Model):
    """One run of the checks: nightly (incremental, since the last run) or full, from the page or CLI."""

    class Status(models.TextChoices):
        RUNNING = "running", _("运行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    full = models.BooleanField(_("全量核查"), default=False)
    checks = models.JSONField(_("核查规则"), default=list)
    since = models.DateTimeField(_("增量起点"), null=True, blank=True)
    # {check_id: {"findings": n, "raised": n, "refired": n, "seconds": s}}
    counts = models.JSONField(_("结果统计"), default=dict)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.RUNNING)
    error = models.TextField(_("错误"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("核查运行")
        verbose_name_plural = _("核查运行")

    def __str__(self) -> str:
        return f"run {self.pk}"


class PaymentHold(models.Model):
    """暂停拨付: while active (not released), grants refuses to pay any application of the organisation
    (grants/services/payments.py `_payment_make`, and the batch plan). Placed from a confirmed alert; at
    most one active hold per alert, so placing it again returns the same hold."""

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位")
    )
    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="holds", verbose_name=_("预警"))
    reason = models.TextField(_("暂停理由"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("暂停时间"), auto_now_add=True)
    released_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    release_reason = models.TextField(_("解除理由"), blank=True)

    TOWN_FIELD = "alert__town"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("暂停拨付")
        verbose_name_plural = _("暂停拨付")
        constraints = [
            models.UniqueConstraint(
                fields=["alert"], condition=Q(released_at__isnull=True), name="supervision_hold_active_once"
            ),
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | ~Q(release_reason=""),
                name="supervision_hold_released_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "released_at"])]

    def __str__(self) -> str:
        return f"hold {self.organisation_id} ({self.alert_id})"

    @property
    def active(self) -> bool:
        return self.released_at is None


class Referral(models.Model):
    """移送: the case handed to another authority (劳动保障监察, 公安机关, …), with a note."""

    class To(models.TextChoices):
        LABOUR_INSPECTION = "labour_inspection", _("劳动保障监察")
        POLICE = "police", _("公安机关")
        DISCIPLINE = "discipline", _("纪检监察机关")
        MARKET_REGULATION = "market_regulation", _("市场监督管理部门")
        OTHER = "other", _("其他部门")

    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="referrals")
    to = models.CharField(_("移送对象"), max_length=24, choices=To.choices)
    note = models.TextField(_("移送说明"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("移送时间"), auto_now_add=True)

    TOWN_FIELD = "alert__town"

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("移送记录")
        verbose_name_plural = _("移送记录")
        # Referring the same case to the same authority twice is one referral (idempotent).
        constraints = [models.UniqueConstraint(fields=["alert", "to"], name="supervision_referral_once")]

    def __str__(self) -> str:
        return f"referral {self.alert_id} → {self.to}"
