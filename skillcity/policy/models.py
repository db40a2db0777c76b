"""Policy lifecycle records: source documents, drafts of successor versions, and the revision counter.

The shipped pack's documents and parameters stay YAML (reviewed like code); these tables hold what
the bureau adds without code: documents it registers, and the parameter versions it drafts, has
checked by a second officer, and publishes. `skillcity.policy.published` lays the published ones
over the YAML inside `params.parameters()` / `params.documents()`.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DocumentOrigin(models.TextChoices):
    SHIPPED = "shipped", _("随政策包发布")
    BUREAU = "bureau", _("市人社局登记")


class DocumentStatus(models.TextChoices):
    """A document's status on a date; computed (`PolicyDocument.status_on`), never stored."""

    DRAFT = "draft", _("草稿")
    PENDING = "pending", _("尚未施行")
    IN_FORCE = "in_force", _("有效")
    EXPIRED = "expired", _("已到期")
    SUPERSEDED = "superseded", _("已被替代")


class PolicyDocument(models.Model):
    """A source document: a policy, a notice, a continuation notice (延续执行)."""

    key = models.CharField(_("文件编号（内部）"), max_length=40, unique=True)
    title = models.CharField(_("文件标题"), max_length=300)
    number = models.CharField(_("文号"), max_length=100, blank=True)
    issuer = models.CharField(_("发文机关"), max_length=200, blank=True)
    issued = models.DateField(_("发文日期"), null=True, blank=True)
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("有效期至"), null=True, blank=True)
    # Set when a published continuation notice extends the validity; the YAML's own end stays as shipped.
    extended_to = models.DateField(_("延续执行至"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="supersedes",
        verbose_name=_("被以下文件替代"),
    )  # fmt: skip
    origin = models.CharField(_("来源"), max_length=16, choices=DocumentOrigin.choices)
    assumption = models.CharField(_("假设说明"), max_length=300, blank=True)
    # A document the bureau registers within a draft stays a draft until that draft is approved.
    draft = models.ForeignKey(
        "PolicyDraft", on_delete=models.PROTECT, null=True, blank=True, related_name="new_documents"
    )
    published = models.BooleanField(_("已发布"), default=True)
    # The policy pack a document the bureau registers belongs to (loader.active_name() when registered):
    # only the active pack's are cited, listed, laid over and exported. A shipped row names the pack it
    # was last synced from; which shipped rows count is decided by the active pack's documents.yaml.
    pack = models.CharField(_("政策包"), max_length=80, default="dongguan")

    class Meta:
        ordering = ["key"]
        verbose_name = _("政策文件")
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="policy_document_validity_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    @property
    def valid_to(self) -> datetime.date | None:
        """The last day in force, a continuation included."""
        return self.extended_to or self.effective_to

    def status_on(self, day: datetime.date) -> str:
        if not self.published:
            return DocumentStatus.DRAFT
        successor = self.superseded_by
        if successor is not None and successor.published and successor.effective_from <= day:
            return DocumentStatus.SUPERSEDED
        if day < self.effective_from:
            return DocumentStatus.PENDING
        if self.valid_to is not None and self.valid_to < day:
            return DocumentStatus.EXPIRED
        return DocumentStatus.IN_FORCE

    def status_label_on(self, day: datetime.date) -> str:
        return str(DocumentStatus(self.status_on(day)).label)


class DraftKind(models.TextChoices):
    VERSIONS = "versions", _("新版本参数")
    CONTINUATION = "continuation", _("延续执行")


class DraftState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待复核")
    APPROVED = "approved", _("已发布")
    RETURNED = "returned", _("退回修改")
    WITHDRAWN = "withdrawn", _("已撤回")


class PolicyDraft(models.Model):
    """A set of successor parameter versions (or a continuation), drafted, checked and published
    as one. Maker–checker: whoever approves is not whoever drafted."""

    kind = models.CharField(_("类型"), max_length=16, choices=DraftKind.choices, default=DraftKind.VERSIONS)
    title = models.CharField(_("草稿名称"), max_length=200)
    note = models.TextField(_("说明"), blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=DraftState.choices, default=DraftState.DRAFT)
    # A continuation: the document whose versions go on, and until when.
    continued_document = models.ForeignKey(
        PolicyDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="continuations",
        verbose_name=_("延续执行的文件"),
    )  # fmt: skip
    continued_to = models.DateField(_("延续执行至"), null=True, blank=True)
    # The demo's draft: an assumption of the demo (演示假设), never real policy.
    demo_assumption = models.BooleanField(_("演示假设"), default=False)
    # The policy pack the draft's versions belong to (loader.active_name() when drafted): they are laid
    # over that pack only, never over another one selected later.
    pack = models.CharField(_("政策包"), max_length=80, default="dongguan")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    decision_note = models.CharField(_("复核意见"), max_length=500, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("政策版本草稿")

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def editable(self) -> bool:
        return self.state in (DraftState.DRAFT, DraftState.RETURNED)


class DraftVersion(models.Model):
    """One dated, cited value of one parameter, proposed by a draft; in force once the draft is approved."""

    draft = models.ForeignKey(PolicyDraft, on_delete=models.CASCADE, related_name="versions")
    parameter = models.CharField(_("参数"), max_length=80)
    value = models.JSONField(_("数值"))
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("截止日期"), null=True, blank=True)
    document = models.ForeignKey(
        PolicyDocument, on_delete=models.PROTECT, related_name="+", verbose_name=_("依据文件")
    )
    clause = models.CharField(_("条款"), max_length=100)
    text = models.TextField(_("条款原文"))

    class Meta:
        ordering = ["parameter", "effective_from"]
        verbose_name = _("参数版本")
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="draft_version_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.parameter} {self.effective_from}"


class PolicyRevision(models.Model):
    """One row (id 1): a counter raised in the transaction that publishes or withdraws a version.
    Every process compares it with the revision its parameter cache was built at (one indexed read,
    at most once per request or job) and rebuilds the cache when it moved."""

    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("政策参数修订号")

    def __str__(self) -> str:
        return str(self.number)


class ExpiryWarningKind(models.TextChoices):
    DOCUMENT = "document", _("政策文件")
    RULE = "rule", _("政策规则")


class ExpiryWarning(models.Model):
    """A document or a rule's last version that ends within the warning period (the daily job's finding)."""

    kind = models.CharField(_("类型"), max_length=16, choices=ExpiryWarningKind.choices)
    key = models.CharField(_("编号"), max_length=80)
    title = models.CharField(_("名称"), max_length=300)
    ends_on = models.DateField(_("到期日期"))
    found_on = models.DateField(_("发现日期"))

    class Meta:
        ordering = ["ends_on", "kind", "key"]
        verbose_name = _("到期预警")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "ends_on"], name="expiry_warning_once_per_end")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.ends_on}"
