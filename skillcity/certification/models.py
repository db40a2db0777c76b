"""Certification (职业技能等级认定): evaluators and their scope, sessions, candidates, certificates.

Catalog §5, D003 §一(四), D004 二(二). Enterprises certify their own staff ("谁用人、谁评价、谁发证、
谁负责"); grading (定级) of in-post staff and promotion (晋级) run side by side.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skillcity.core.masking import mask_id_number
from skillcity.registry.models import Occupation, Organisation, SkillLevel, SkillRecord, Worker

# National level names as printed on a certificate ("三级/高级工").
LEVEL_NAMES = dict(SkillLevel.choices)


class EvaluatorKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业自主评价")
    SOCIAL_ORGANISATION = "social_organisation", _("社会培训评价组织")
    TECHNICAL_SCHOOL = "technical_school", _("技工院校")


class Evaluator(models.Model):
    """An organisation filed (备案) to certify skill levels within its scope."""

    class State(models.TextChoices):
        FILED = "filed", _("已备案待审核")
        RETURNED = "returned", _("已退回修改")
        REJECTED = "rejected", _("不予备案")
        ACTIVE = "active", _("已备案")
        SUSPENDED = "suspended", _("已暂停")

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="evaluator", verbose_name=_("单位")
    )
    kind = models.CharField(_("评价机构类别"), max_length=32, choices=EvaluatorKind.choices)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.FILED)
    # Filed by the provincial department (a province-registered organisation prints 0000 as its code).
    provincial = models.BooleanField(_("省级备案"), default=False)
    qbank_filed = models.BooleanField(_("题库已备案"), default=False)
    # The two parts of the certificate number the bureau assigns on approval (catalog §5).
    organisation_code = models.CharField(_("机构代码"), max_length=4, blank=True)
    site_serial = models.CharField(_("考核站点序号"), max_length=6, blank=True)
    filed_at = models.DateTimeField(_("备案时间"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=500, blank=True)

    TOWN_FIELD = "organisation__town"
    ORGANISATION_FIELD = "organisation"
    WORKER_FIELD = None

    class Meta:
        ordering = ["id"]
        verbose_name = _("评价机构")
        verbose_name_plural = _("评价机构")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="active") | (~Q(organisation_code="") & ~Q(site_serial="")),
                name="cert_active_evaluator_has_codes",
            ),
        ]

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def number_letter(self) -> str:
        """Y for an employer certifying its staff, S for a social evaluation organisation (and a school)."""
        return "Y" if self.kind == EvaluatorKind.ENTERPRISE else "S"


class EvaluatorScope(models.Model):
    """One occupation and the band of levels the evaluator may certify in it."""

    evaluator = models.ForeignKey(
        Evaluator, on_delete=models.CASCADE, related_name="scopes", verbose_name=_("评价机构")
    )
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("职业（工种）")
    )
    # Level 1 is the highest: a band "levels 2 to 5" is highest_level=2, lowest_level=5.
    highest_level = models.PositiveSmallIntegerField(_("最高等级"), choices=SkillLevel.choices)
    lowest_level = models.PositiveSmallIntegerField(_("最低等级"), choices=SkillLevel.choices)

    class Meta:
        ordering = ["evaluator", "occupation__code"]
        verbose_name = _("评价范围")
        verbose_name_plural = _("评价范围")
        constraints = [
            models.UniqueConstraint(fields=["evaluator", "occupation"], name="cert_scope_unique"),
            models.CheckConstraint(
                condition=Q(
                    highest_level__gte=1, lowest_level__lte=5, highest_level__lte=models.F("lowest_level")
                ),
                name="cert_scope_level_band",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occupation.name} {self.highest_level}-{self.lowest_level}"

    def covers(self, level: int) -> bool:
        return self.highest_level <= level <= self.lowest_level


class Session(models.Model):
    """One evaluation (考核) of one occupation at one level on one date."""

    class Kind(models.TextChoices):
        GRADING = "grading", _("定级")
        PROMOTION = "promotion", _("晋级")

    class State(models.TextChoices):
        OPEN = "open", _("进行中")
        CERTIFIED = "certified", _("已发证")

    evaluator = models.ForeignKey(
        Evaluator, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("评价机构")
    )
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("职业（工种）")
    )
    direction = models.CharField(_("工种/方向"), max_length=100, blank=True)
    level = models.PositiveSmallIntegerField(_("等级"), choices=SkillLevel.choices)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    date = models.DateField(_("考核日期"))
    site = models.CharField(_("考核地点"), max_length=200)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.OPEN)
    # The certified evaluation standard the session follows (issue 17 §4), if it names one.
    standard = models.ForeignKey(
        "platforms.Standard",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("培训评价标准"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "evaluator__organisation__town"
    ORGANISATION_FIELD = "evaluator__organisation"
    WORKER_FIELD = None

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("考核批次")
        verbose_name_plural = _("考核批次")
        indexes = [models.Index(fields=["evaluator", "date"])]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="cert_session_level_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.occupation.name} {self.get_level_display()} {self.date:%Y-%m-%d}"


class ExceptionalGrounds(models.TextChoices):
    """D002 item 26: who may be promoted past the normal steps."""

    MAJOR_TECHNICAL_PROBLEM = "major_technical_problem", _("解决重大工艺技术难题")
    PROVINCIAL_AWARD = "provincial_award", _("获得省级及以上奖项")
    OUTSTANDING_MENTORING = "outstanding_mentoring", _("传技带徒成绩突出")
    OUTSTANDING_SKILL = "outstanding_skill", _("生产一线技能特别突出")
    # D002 item 11: a competition's winners and those who pass are granted or promoted to the level the
    # competition's rule names (skillcity.competitions.services.promotions), past the normal steps.
    COMPETITION_RESULT = "competition_result", _("职业技能竞赛获奖或成绩合格（D002第11条）")


PASS_MARK = Decimal("60")


class Candidate(models.Model):
    """A worker in a session, with their scores. Pass rule: theory ≥ 60 and practical ≥ 60 (PASS_MARK)."""

    class Result(models.TextChoices):
        PENDING = "pending", _("待录入")
        PASSED = "passed", _("合格")
        FAILED = "failed", _("不合格")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("考核批次")
    )
    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="certification_candidacies", verbose_name=_("劳动者")
    )
    theory_score = models.DecimalField(
        _("理论知识成绩"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    practical_score = models.DecimalField(
        _("操作技能成绩"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    overall_score = models.DecimalField(_("综合成绩"), max_digits=4, decimal_places=1, null=True, blank=True)
    result = models.CharField(_("结果"), max_length=16, choices=Result.choices, default=Result.PENDING)
    exceptional_grounds = models.CharField(
        _("破格依据"), max_length=32, blank=True, choices=ExceptionalGrounds.choices
    )
    exceptional_note = models.CharField(_("破格说明"), max_length=500, blank=True)

    TOWN_FIELD = "session__evaluator__organisation__town"
    ORGANISATION_FIELD = "session__evaluator__organisation"
    WORKER_FIELD = "worker"

    class Meta:
        ordering = ["session", "id"]
        verbose_name = _("考生")
        verbose_name_plural = _("考生")
        constraints = [
            models.UniqueConstraint(fields=["session", "worker"], name="cert_candidate_once_per_session"),
            models.CheckConstraint(
                condition=Q(exceptional_grounds="") | ~Q(exceptional_note=""),
                name="cert_exceptional_has_note",
            ),
            models.CheckConstraint(
                condition=Q(result="pending")
                | (Q(theory_score__isnull=False) & Q(practical_score__isnull=False)),
                name="cert_result_has_scores",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker.name} @ {self.session}"

    @property
    def is_exceptional(self) -> bool:
        return bool(self.exceptional_grounds)


class Certificate(models.Model):
    """职业技能等级证书. The number is the national 22-character format (catalog §5)."""

    class Status(models.TextChoices):
        VALID = "valid", _("有效")
        REVOKED = "revoked", _("已撤销")

    number = models.CharField(_("证书编号"), max_length=22, unique=True)
    candidate = models.OneToOneField(
        Candidate, on_delete=models.PROTECT, related_name="certificate", verbose_name=_("考生")
    )
    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("持证人")
    )
    evaluator = models.ForeignKey(
        Evaluator, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("评价机构")
    )
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("职业（工种）")
    )
    level = models.PositiveSmallIntegerField(_("等级"), choices=SkillLevel.choices)
    issued_on = models.DateField(_("发证日期"), db_index=True)
    # The holder as printed: the certificate keeps the name it was issued under.
    holder_name = models.CharField(_("姓名"), max_length=50)
    skill_record = models.OneToOneField(
        SkillRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="certificate"
    )
    # The signed QR string (payload.signature), fixed at issue so a reprint shows the same code.
    qr_token = models.TextField(_("二维码内容"))
    key_id = models.CharField(_("签名密钥标识"), max_length=16)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.VALID)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    revoked_reason = models.CharField(_("撤销原因"), max_length=500, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    TOWN_FIELD = "worker__town"
    ORGANISATION_FIELD = "evaluator__organisation"
    WORKER_FIELD = "worker"

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("职业技能等级证书")
        verbose_name_plural = _("职业技能等级证书")
        indexes = [
            models.Index(fields=["evaluator", "issued_on"]),
            models.Index(fields=["occupation", "level"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="cert_level_1_to_5"),
            models.CheckConstraint(
                condition=Q(status="valid") | (Q(revoked_on__isnull=False) & ~Q(revoked_reason="")),
                name="cert_revoked_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def level_name(self) -> str:
        return str(LEVEL_NAMES.get(self.level, ""))

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.worker.id_number)


class SerialCounter(models.Model):
    """The last serial used under one 16-character number prefix; locked with select_for_update."""

    prefix = models.CharField(max_length=16, unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("证书序号计数器")
        verbose_name_plural = _("证书序号计数器")
        constraints = [models.CheckConstraint(condition=Q(last__lte=999999), name="cert_serial_6_digits")]

    def __str__(self) -> str:
        return f"{self.prefix}:{self.last}"
