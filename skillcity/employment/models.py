"""Employment records (issue 19 §2): social-insurance contributions per worker, employer and month.

The ledger is never edited. A correction is a new row that supersedes the row it corrects (the
same worker, employer and month); a withdrawal is a new row, marked void, that supersedes it and
counts for nothing. What counts is the current row of each (worker, employer, month): the one no
other row supersedes, unless it is void. Employment spells, the employment start and whether the
employer is in Dongguan are derived from the current rows (selectors), never typed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skillcity.registry.models import Organisation, Worker

# The administrative division code of Dongguan (东莞市, 441900): an insured place whose code starts
# with 4419 is in Dongguan.
DONGGUAN_PREFIX = "4419"


class Source(models.TextChoices):
    IMPORT = "import", _("表格导入")
    ADAPTER = "adapter", _("社保系统接口")


class Kind(models.TextChoices):
    NEW = "new", _("新增")
    CORRECTION = "correction", _("更正")
    VOID = "void", _("作废")


class ContributionBatch(models.Model):
    """One import file or one pull from the social-insurance system: where a set of rows came from."""

    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("写入行数"), default=0)
    unchanged = models.PositiveIntegerField(_("已有相同记录行数"), default=0)
    # A pull from the social-insurance system that failed its check: nothing written, the bad rows kept
    # here (row, column, reason) for the bureau to see, and the cursor left where it was.
    errors = models.JSONField(_("错误行"), default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("缴费记录批次")
        verbose_name_plural = _("缴费记录批次")

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.created_at:%Y-%m-%d %H:%M}"


class Contribution(models.Model):
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="contributions")
    employer_uscc = models.CharField(_("用人单位统一社会信用代码"), max_length=18)
    employer_name = models.CharField(_("用人单位名称"), max_length=100)
    employer = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="contributions"
    )
    month = models.DateField(_("缴费月份"), help_text=_("该月第一天"))
    region = models.CharField(_("参保地行政区划代码"), max_length=6)
    base = models.DecimalField(_("缴费基数（元）"), max_digits=10, decimal_places=2)
    kind = models.CharField(_("记录类型"), max_length=10, choices=Kind.choices, default=Kind.NEW)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    batch = models.ForeignKey(ContributionBatch, on_delete=models.PROTECT, related_name="contributions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["worker", "month", "id"]
        verbose_name = _("社保缴费记录")
        verbose_name_plural = _("社保缴费记录")
        indexes = [
            models.Index(fields=["worker", "employer_uscc", "month"]),
            models.Index(fields=["employer_uscc", "month"]),
            models.Index(fields=["month"], name="employment_contrib_month"),  # the latest month
        ]
        constraints = [
            # One first row a worker, employer and month; corrections chain from it (each row is
            # superseded at most once: `supersedes` is one-to-one).
            models.UniqueConstraint(
                fields=["worker", "employer_uscc", "month"],
                condition=Q(kind="new"),
                name="employment_contribution_once",
            ),
            models.CheckConstraint(condition=Q(base__gte=0), name="employment_contribution_base"),
            models.CheckConstraint(
                condition=Q(kind="new", supersedes__isnull=True)
                | (~Q(kind="new") & Q(supersedes__isnull=False)),
                name="employment_contribution_supersedes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.employer_uscc} {self.month:%Y-%m}"


class PullCursor(models.Model):
    """How far the social-insurance adapter has read (its own opaque cursor), by feed name."""

    name = models.CharField(max_length=40, unique=True)
    value = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"


class SimulatedInsuranceRecord(models.Model):
    """The simulated social-insurance system's own records (services/adapter.py): the demo and the
    tests publish contributions here, and the adapter pulls them as it would from the real system."""

    id_number = models.CharField(max_length=18)
    name = models.CharField(max_length=50)
    uscc = models.CharField(max_length=18)
    employer_name = models.CharField(max_length=100)
    month = models.CharField(max_length=7)
    region = models.CharField(max_length=6)
    base = models.CharField(max_length=20)
    kind = models.CharField(max_length=4, blank=True)

    def __str__(self) -> str:
        return f"{self.id_number[:6]} {self.uscc} {self.month}"
