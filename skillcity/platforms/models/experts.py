"""The expert pool (职业能力建设专家库, PLT-EXPERTS; D003: 1,141 experts in ten sectors) and the draws
that fill panels from it: grant reviews, leading-talent panels, competition judges, standard
acceptance, studio reviews. A draw is seeded and records its candidates, so it can be replayed
exactly (services.experts.draws)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skillcity.core.masking import mask_email, mask_phone

__all__ = ["DrawPurpose", "Expert", "ExpertDraw", "ExpertDrawMember", "ExpertSector"]


class ExpertSector(models.TextChoices):
    """The ten sectors (十大行业领域) of D003. The documents give the number, not the names: this list is
    Dongguan's five pillar and four characteristic industries (五支四特) plus modern services, a working
    list until the bureau publishes its own (docs/platforms.md)."""

    ELECTRONICS = "electronics", _("电子信息")
    ELECTRICAL = "electrical", _("电气机械及设备")
    TEXTILES = "textiles", _("纺织服装鞋帽")
    FOOD = "food", _("食品饮料")
    PAPER = "paper", _("造纸及纸制品")
    TOYS = "toys", _("玩具及文体用品")
    FURNITURE = "furniture", _("家具制造")
    CHEMICALS = "chemicals", _("化工制品")
    PRINTING = "printing", _("包装印刷")
    SERVICES = "services", _("现代服务业")


class Expert(models.Model):
    """An expert of the pool: a registry worker (once), filed under one sector (the pool's coverage
    counts each expert once), with their title, organisation, occupations, contacts and the
    organisations they declared a conflict of interest with."""

    worker = models.OneToOneField(
        "registry.Worker", on_delete=models.PROTECT, related_name="expert", verbose_name=_("劳动者")
    )
    sector = models.CharField(_("行业领域"), max_length=16, choices=ExpertSector.choices)
    title = models.CharField(_("职称"), max_length=50)
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("所在单位")
    )
    occupations = models.ManyToManyField(
        "registry.Occupation", blank=True, related_name="+", verbose_name=_("职业（工种）")
    )
    phone = models.CharField(_("联系电话"), max_length=20)
    email = models.EmailField(_("电子邮箱"), blank=True)
    conflicts = models.ManyToManyField(
        "registry.Organisation", blank=True, related_name="+", verbose_name=_("申报回避单位")
    )
    active = models.BooleanField(_("在库"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    WORKER_FIELD = "worker"

    class Meta:
        ordering = ["sector", "id"]
        verbose_name = _("专家")
        verbose_name_plural = _("专家")
        indexes = [models.Index(fields=["sector", "active"])]

    def __str__(self) -> str:
        return self.worker.name

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def email_masked(self) -> str:
        return mask_email(self.email)


class DrawPurpose(models.TextChoices):
    GRANT_REVIEW = "grant_review", _("补贴评审")
    LEADING_PANEL = "leading_panel", _("技能领军人才评审")
    COMPETITION_JUDGES = "competition_judges", _("竞赛裁判")
    STANDARD_ACCEPTANCE = "standard_acceptance", _("标准验收认定")
    STUDIO_REVIEW = "studio_review", _("工作室评审")


class ExpertDraw(models.Model):
    """One draw: what it was for, how many from which sectors, what was excluded, the seed, and the
    candidates as they were (per sector, ascending ids) — with the seed, enough to replay it exactly."""

    purpose = models.CharField(_("用途"), max_length=24, choices=DrawPurpose.choices)
    subject_key = models.CharField(_("评审对象标识"), max_length=100)
    subject_label = models.CharField(_("评审对象"), max_length=200)
    size = models.PositiveSmallIntegerField(_("抽取人数"))
    sectors = models.JSONField(_("行业领域"), default=list)
    excluded_organisations = models.JSONField(_("回避单位"), default=list)
    excluded_workers = models.JSONField(_("回避人员"), default=list)
    seed = models.BigIntegerField(_("随机种子"))
    # {sector: [expert id, ...]} in ascending id order, after the conflicts were removed.
    candidates = models.JSONField(_("候选名单"), default=dict)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(_("抽取时间"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("专家抽取")
        verbose_name_plural = _("专家抽取")
        constraints = [
            models.CheckConstraint(condition=Q(size__gte=1, size__lte=100), name="plt_draw_size_bounds"),
            models.CheckConstraint(condition=Q(seed__gte=0), name="plt_draw_seed_positive"),
        ]
        indexes = [models.Index(fields=["purpose", "subject_key"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.subject_label}"


class ExpertDrawMember(models.Model):
    """An expert a draw picked: in the first draw (`position` in the draw's order) or as the replacement
    of a member who declined (`replaces`, with its own seed and candidates)."""

    class State(models.TextChoices):
        DRAWN = "drawn", _("已抽中")
        DECLINED = "declined", _("已谢绝")

    draw = models.ForeignKey(ExpertDraw, on_delete=models.PROTECT, related_name="members")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="draw_members")
    sector = models.CharField(_("行业领域"), max_length=16, choices=ExpertSector.choices)
    position = models.PositiveSmallIntegerField(_("序号"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.DRAWN)
    decline_reason = models.CharField(_("谢绝理由"), max_length=300, blank=True)
    declined_at = models.DateTimeField(_("谢绝时间"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replacement"
    )
    replacement_seed = models.BigIntegerField(_("递补种子"), null=True, blank=True)
    replacement_candidates = models.JSONField(_("递补候选名单"), default=list, blank=True)

    class Meta:
        ordering = ["draw", "position"]
        verbose_name = _("抽中专家")
        verbose_name_plural = _("抽中专家")
        constraints = [
            models.UniqueConstraint(fields=["draw", "expert"], name="plt_draw_expert_once"),
            models.UniqueConstraint(fields=["draw", "position"], name="plt_draw_position_once"),
            models.CheckConstraint(
                condition=Q(state="drawn", decline_reason="") | Q(state="declined") & ~Q(decline_reason=""),
                name="plt_draw_decline_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(replaces__isnull=True, replacement_seed__isnull=True)
                | Q(replaces__isnull=False, replacement_seed__isnull=False),
                name="plt_draw_replacement_seeded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.draw_id}/{self.position} {self.expert}"
