"""The audit log (append-only, hash-chained), idempotency records for money-moving requests, and the
background exports every app's large lists share (skillcity.core.exports)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One change: who did what to which record, with the record before and after.

    Rows are never updated or deleted (the model refuses, and database triggers refuse UPDATE and
    DELETE on every backend); each row has the next sequence number and an HMAC, under a key the
    database does not hold, of its content and the previous row's hash, and the chain's head is
    signed into an anchor file from time to time, so `skillcity audit verify` names every row that
    was altered or removed, at the end too (skillcity.core.audit, docs/operator-guide.md).
    """

    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_label = models.CharField(_("操作人"), max_length=150)
    action = models.CharField(_("操作"), max_length=80, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=80, db_index=True)
    target_id = models.CharField(_("对象编号"), max_length=64, db_index=True)
    target_label = models.CharField(_("对象"), max_length=200, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the audit log is append-only")


class IdempotencyRecord(models.Model):
    """The first answer to a money-moving request, returned again for every retry with the same key."""

    key = models.CharField(max_length=128)
    scope = models.CharField(max_length=80)
    request_fingerprint = models.CharField(max_length=64)
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_unique_scope_key")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class Export(models.Model):
    """A large export built by the task worker: its owner, its kind (one of core.exports.EXPORT_KINDS,
    registered by the app it belongs to), its progress, and the file (in the data folder, `exports/`),
    which only its owner can download."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="background_exports",
        verbose_name=_("导出人"),
    )
    kind = models.CharField(_("导出内容"), max_length=40)
    # The list's filters as typed (re-applied, with the owner's own visibility, when the job runs).
    filters = models.JSONField(default=dict, blank=True)
    full = models.BooleanField(_("含完整个人信息"), default=False)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("导出")

    def __str__(self) -> str:
        return f"{self.kind_label} #{self.pk}"

    @property
    def kind_label(self) -> str:
        from skillcity.core.exports import EXPORT_KINDS

        found = EXPORT_KINDS.get(self.kind)
        return str(found.label) if found is not None else str(_("名单"))

    @property
    def percent(self) -> int:
        return 100 if not self.rows_total else min(100, self.rows_done * 100 // self.rows_total)
