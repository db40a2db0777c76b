"""Training alliances (职业培训联盟, D000): filing, members, documents and half-year reports.

Lifecycle (D000 二(五), policy-catalog §7): the initiator drafts the alliance, adds members, names the
lead enterprise, uploads the charter and cooperation agreement and files it (备案); the bureau accepts
it (active) or returns it with reasons (returned, editable, filed again); an active alliance may be
dissolved. Every change is made by `skillcity.alliances.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skillcity.alliances.clock import now as alliance_clock_now
from skillcity.core.periods import HalfYear
from skillcity.registry.models import Industry, Organisation


class AllianceStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    FILED = "filed", _("已备案待审核")
    RETURNED = "returned", _("已退回")
    ACTIVE = "active", _("运行中")
    DISSOLVED = "dissolved", _("已解散")


class Alliance(models.Model):
    name = models.CharField(_("联盟名称"), max_length=200)
    # D000 二(三)3 "同行业、同类型的各类企业": the alliance names its industry and every enterprise
    # member must be registered in it (checked at filing, see composition.py).
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, related_name="alliances", verbose_name=_("所属产业")
    )
    description = models.TextField(_("联盟简介"), blank=True)
    # Kept in step with the initiator membership by the services; scopes town officers.
    initiator = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="initiated_alliances", verbose_name=_("发起单位")
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=AllianceStatus.choices, default=AllianceStatus.DRAFT
    )
    filed_at = models.DateTimeField(_("备案时间"), null=True, blank=True)
    accepted_on = models.DateField(_("备案通过日期"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    dissolved_on = models.DateField(_("解散日期"), null=True, blank=True)
    dissolve_reason = models.TextField(_("解散原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    TOWN_FIELD = "initiator__town"
    # Organisation users see alliances through their membership (selectors.alliances_visible_to).
    ORGANISATION_FIELD = None
    WORKER_FIELD = None

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("职业培训联盟")
        verbose_name_plural = _("职业培训联盟")
        indexes = [models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="active") | Q(accepted_on__isnull=False),
                name="alliance_active_has_accepted_on",
            ),
            models.CheckConstraint(
                condition=~Q(status="dissolved") | Q(dissolved_on__isnull=False),
                name="alliance_dissolved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_editable(self) -> bool:
        """Members and documents are edited freely before acceptance; members still join an active alliance."""
        return self.status in (AllianceStatus.DRAFT, AllianceStatus.RETURNED)


class MemberRole(models.TextChoices):
    INITIATOR = "initiator", _("职业培训联盟发起单位")
    MEMBER = "member", _("职业培训联盟成员单位")


class Membership(models.Model):
    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("联盟")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="alliance_memberships",
        verbose_name=_("成员单位"),
    )
    role = models.CharField(
        _("本单位在联盟中的类别"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    is_lead = models.BooleanField(_("承担主体"), default=False)
    joined_on = models.DateField(_("加盟日期"))
    # A member leaving an active alliance keeps its row (history, Annex 3 of past periods).
    left_on = models.DateField(_("退出日期"), null=True, blank=True)
    annex1_filled_at = models.DateTimeField(_("登记表填报时间"), null=True, blank=True)
    annex1_filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("登记表填报人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["alliance", "id"]
        verbose_name = _("成员单位")
        verbose_name_plural = _("成员单位")
        constraints = [
            models.UniqueConstraint(fields=["alliance", "organisation"], name="membership_once_per_alliance"),
            # D000 二(一): "发起单位由1家单位单独发起".
            models.UniqueConstraint(
                fields=["alliance"], condition=Q(role="initiator"), name="membership_one_initiator"
            ),
            models.UniqueConstraint(
                fields=["alliance"], condition=Q(is_lead=True), name="membership_one_lead"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alliance} · {self.organisation}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class DocumentKind(models.TextChoices):
    CHARTER = "charter", _("联盟章程")
    COOPERATION_AGREEMENT = "cooperation_agreement", _("合作协议")
    BUSINESS_LICENCE = "business_licence", _("营业执照或法人登记证")
    OTHER = "other", _("其他材料")


def _document_path(instance: AllianceDocument, filename: str) -> str:
    # The stored name is the content hash: no user-chosen path segment ever reaches the disk.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"alliances/{instance.alliance_id}/{instance.sha256}.{suffix}"


class AllianceDocument(models.Model):
    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="documents", verbose_name=_("联盟")
    )
    kind = models.CharField(_("材料类别"), max_length=32, choices=DocumentKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所属单位"),
    )
    file = models.FileField(_("文件"), upload_to=_document_path, max_length=300)
    original_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("文件类型"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("上传人"),
    )
    # The services' clock (normally the wall clock): the demo dates its uploads along its timeline.
    uploaded_at = models.DateTimeField(_("上传时间"), default=alliance_clock_now, editable=False)

    class Meta:
        ordering = ["alliance", "kind", "-uploaded_at", "-id"]
        verbose_name = _("联盟材料")
        verbose_name_plural = _("联盟材料")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已审核")


class HalfYearReport(models.Model):
    """The initiator's half-year report (D000 二(七)): member list, Annex 2, Annex 3, and at year end a summary."""

    alliance = models.ForeignKey(
        Alliance, on_delete=models.PROTECT, related_name="reports", verbose_name=_("联盟")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    half = models.PositiveSmallIntegerField(_("半年度"), choices=[(1, _("上半年")), (2, _("下半年"))])
    status = models.CharField(
        _("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    contact_person = models.CharField(_("填报联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    year_end_summary = models.TextField(_("年终工作总结"), blank=True)
    # Frozen at submission so later edits of the members' data do not change a submitted report.
    annex2_snapshot = models.JSONField(_("附件2快照"), null=True, blank=True)
    member_list_snapshot = models.JSONField(_("成员单位名单快照"), null=True, blank=True)
    policy_version = models.CharField(_("适用政策版本"), max_length=40, blank=True)
    first_submitted_at = models.DateTimeField(_("首次报送时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审核人"),
    )
    return_reason = models.TextField(_("退回理由"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "alliance__initiator__town"
    ORGANISATION_FIELD = None
    WORKER_FIELD = None

    class Meta:
        ordering = ["alliance", "-year", "-half"]
        verbose_name = _("半年度报告")
        verbose_name_plural = _("半年度报告")
        constraints = [
            models.UniqueConstraint(fields=["alliance", "year", "half"], name="report_once_per_half_year"),
            models.CheckConstraint(condition=Q(half__in=[1, 2]), name="report_half_1_or_2"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(first_submitted_at__isnull=False),
                name="report_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alliance} {self.period}"

    @property
    def period(self) -> HalfYear:
        return HalfYear(self.year, self.half)

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


# Annex 3's per-member figures, in the form's column order (after 当期培训).
ANNEX3_LEVEL_FIELDS = [
    "trained_general",
    "trained_level1",
    "trained_level2",
    "trained_level3",
    "trained_level4",
    "trained_level5",
    "trained_special_ability",
]
ANNEX3_ENTERED_FIELDS = ["trained", *ANNEX3_LEVEL_FIELDS, "new_occupations", "new_special_abilities"]
ANNEX3_FIELDS = [*ANNEX3_ENTERED_FIELDS, "members_joined"]


class ReportLine(models.Model):
    """One member's row of Annex 3 (职业培训联盟工作进展情况表) for the report's half year."""

    report = models.ForeignKey(
        HalfYearReport, on_delete=models.CASCADE, related_name="lines", verbose_name=_("报告")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("成员单位")
    )
    trained = models.PositiveIntegerField(_("当期培训（人）"), default=0)
    trained_general = models.PositiveIntegerField(_("普工"), default=0)
    trained_level1 = models.PositiveIntegerField(_("高级技师"), default=0)
    trained_level2 = models.PositiveIntegerField(_("技师"), default=0)
    trained_level3 = models.PositiveIntegerField(_("高级工"), default=0)
    trained_level4 = models.PositiveIntegerField(_("中级工"), default=0)
    trained_level5 = models.PositiveIntegerField(_("初级工"), default=0)
    trained_special_ability = models.PositiveIntegerField(_("专项职业能力"), default=0)
    new_occupations = models.PositiveIntegerField(_("当期申报新职业（工种）（个）"), default=0)
    new_special_abilities = models.PositiveIntegerField(_("当期申报专项职业能力（个）"), default=0)
    # Computed from the membership's joined_on (1 when the member joined in this half year).
    members_joined = models.PositiveIntegerField(_("当期加盟成员单位（个）"), default=0)

    class Meta:
        ordering = ["report", "id"]
        verbose_name = _("工作进展情况")
        verbose_name_plural = _("工作进展情况")
        constraints = [
            models.UniqueConstraint(fields=["report", "organisation"], name="report_line_once_per_member"),
            # Annex 3 "其中": the level columns are part of the people trained this period.
            models.CheckConstraint(
                condition=Q(
                    trained__gte=models.F("trained_general")
                    + models.F("trained_level1")
                    + models.F("trained_level2")
                    + models.F("trained_level3")
                    + models.F("trained_level4")
                    + models.F("trained_level5")
                    + models.F("trained_special_ability")
                ),
                name="report_line_levels_within_trained",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.organisation}"


class AllianceEvent(models.Model):
    """The alliance's own history, written by the services beside the audit row, shown on its page."""

    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="events", verbose_name=_("联盟")
    )
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
    action = models.CharField(_("操作"), max_length=60)
    message = models.TextField(_("说明"))  # the Chinese sentence as written, for the API and old rows
    # The sentence as a catalog message id with %(name)s placeholders and its values, so the page shows
    # it in the reader's language; empty on rows written before (they show `message`). Values under
    # keys ending in "_label" are Chinese labels, translated too.
    message_id = models.CharField(_("说明模板"), max_length=200, blank=True, default="")
    params = models.JSONField(_("说明参数"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("联盟记录")
        verbose_name_plural = _("联盟记录")

    def __str__(self) -> str:
        return f"{self.alliance} {self.action}"

    def text(self) -> str:
        """The sentence in the active language; the stored Chinese when there is no message id."""
        if not self.message_id:
            return self.message
        # One renderer for every stored message (D-26, D-28): labels among the values translated too.
        from skillcity.policy.display import message_text

        try:
            return message_text(self.message_id, self.params or None)
        except (KeyError, ValueError, TypeError):
            return self.message


class NoticeKind(models.TextChoices):
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已逾期")


class Notice(models.Model):
    """A reminder to the initiator about a half-year report; one per report per day (reminders are idempotent)."""

    alliance = models.ForeignKey(
        Alliance, on_delete=models.CASCADE, related_name="notices", verbose_name=_("联盟")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    half = models.PositiveSmallIntegerField(_("半年度"))
    kind = models.CharField(_("类别"), max_length=16, choices=NoticeKind.choices)
    on_date = models.DateField(_("提醒日期"))
    due_on = models.DateField(_("报送期限"))
    message = models.TextField(_("内容"))
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-on_date", "-id"]
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "year", "half", "on_date"], name="notice_once_per_report_per_day"
            ),
        ]

    def __str__(self) -> str:
        return self.message

    @property
    def period(self) -> HalfYear:
        return HalfYear(self.year, self.half)
