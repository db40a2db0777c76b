"""The talent card (东莞市优才卡), the services it opens, and the imports that feed TAL-CARD and
TAL-HONOUR-SHARE until their own apps exist: 莞邑工匠 / 首席技师 titles, studio leads, honours lists.

Catalog §6 (TAL-CARD, TAL-HONOUR-SHARE), D003 §一(六).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from skillcity.registry.models import SkillRecord, Worker

__all__ = [
    "MAX_ACTIVE_SERVICES",
    "STUDIO_RANK",
    "CardService",
    "HonourList",
    "HonourWinner",
    "StudioLead",
    "StudioLevel",
    "TalentCard",
    "TitleAward",
]

# D003 §一(六): the card opens up to 24 public services.
MAX_ACTIVE_SERVICES = 24


class TalentCard(models.Model):
    """One issued card. The basis (the TAL-CARD grounds at issue) is kept; eligibility is re-computed
    live whenever a basis is revoked (services.cards.cards_recheck)."""

    class Status(models.TextChoices):
        VALID = "valid", _("有效")
        REVOKED = "revoked", _("已撤销")

    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="talent_cards", verbose_name=_("持卡人")
    )
    number = models.CharField(_("卡号"), max_length=20, unique=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.VALID)
    issued_on = models.DateField(_("发卡日期"))
    # The TAL-CARD grounds (Chinese, as the rule wrote them) and as messages, for the reader's language.
    grounds = models.JSONField(_("发卡依据"), default=list)
    grounds_messages = models.JSONField(default=list)
    # The signed QR string (payload.signature), fixed at issue.
    qr_token = models.TextField(_("二维码内容"))
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    revoked_reason = models.CharField(_("撤销原因"), max_length=500, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    WORKER_FIELD = "worker"
    TOWN_FIELD = "worker__town"
    ORGANISATION_FIELD = "worker__employer"

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("优才卡")
        verbose_name_plural = _("优才卡")
        constraints = [
            # A worker holds at most one valid card.
            models.UniqueConstraint(
                fields=["worker"], condition=Q(status="valid"), name="talent_card_one_valid_per_worker"
            ),
            models.CheckConstraint(
                condition=Q(status="valid") | Q(revoked_on__isnull=False), name="talent_card_revoked_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def grounds_texts(self) -> list[str]:
        """The grounds in the reader's language (the stored Chinese when a message no longer renders)."""
        from skillcity.policy.display import _rendered

        messages = self.grounds_messages if isinstance(self.grounds_messages, list) else []
        if len(messages) != len(self.grounds):
            return [str(g) for g in self.grounds]
        return [_rendered(m, str(g)) for m, g in zip(messages, self.grounds, strict=True)]


class CardService(models.Model):
    """A public service the card opens, configured by the bureau (D003: up to 24, not listed)."""

    name = models.CharField(_("服务名称"), max_length=60)
    provider = models.CharField(_("提供单位"), max_length=60)
    description = models.CharField(_("服务内容"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)
    # The documents do not list the services: the demo ones are marked so on every page.
    demo = models.BooleanField(_("演示数据"), default=False)

    WORKER_FIELD = None
    TOWN_FIELD = None
    ORGANISATION_FIELD = None

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("优才卡服务")
        constraints = [
            models.CheckConstraint(condition=Q(order__lte=999), name="card_service_order_bounded"),
        ]

    def __str__(self) -> str:
        return self.name


class TitleAward(models.Model):
    """An imported 莞邑工匠 or 首席技师 title; its registry.SkillRecord(kind=honour) is what TAL-CARD reads."""

    class Honour(models.TextChoices):
        DONGGUAN_CRAFTSMAN = "dongguan_craftsman", _("莞邑工匠")
        CHIEF_TECHNICIAN = "chief_technician", _("首席技师")

    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="title_awards", verbose_name=_("劳动者")
    )
    honour = models.CharField(_("称号"), max_length=40, choices=Honour.choices)
    awarded_on = models.DateField(_("授予日期"))
    document = models.CharField(_("认定文号"), max_length=60, blank=True)
    skill_record = models.OneToOneField(SkillRecord, on_delete=models.PROTECT, related_name="title_award")
    source_file = models.CharField(_("导入文件"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    WORKER_FIELD = "worker"
    TOWN_FIELD = "worker__town"
    ORGANISATION_FIELD = "worker__employer"

    class Meta:
        ordering = ["-awarded_on", "id"]
        verbose_name = _("导入称号")
        constraints = [
            models.UniqueConstraint(fields=["worker", "honour"], name="title_award_once_per_worker"),
        ]

    def __str__(self) -> str:
        return f"{self.honour} {self.worker_id}"


class StudioLevel(models.TextChoices):
    CITY = "city", _("市级")
    PROVINCIAL = "provincial", _("省级")
    NATIONAL = "national", _("国家级")


# Higher first: the level TAL-CARD is given is the highest studio the person leads.
STUDIO_RANK = {StudioLevel.NATIONAL: 3, StudioLevel.PROVINCIAL: 2, StudioLevel.CITY: 1}


class StudioLead(models.Model):
    """The 技能大师工作室 / 技师工作站 a person leads, imported until the platforms issue builds studios."""

    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="studio_leads", verbose_name=_("领办人")
    )
    studio_name = models.CharField(_("工作室名称"), max_length=100)
    level = models.CharField(_("级别"), max_length=16, choices=StudioLevel.choices)
    recognised_on = models.DateField(_("认定日期"))
    source_file = models.CharField(_("导入文件"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    WORKER_FIELD = "worker"
    TOWN_FIELD = "worker__town"
    ORGANISATION_FIELD = "worker__employer"

    class Meta:
        ordering = ["-recognised_on", "id"]
        verbose_name = _("工作室领办人")
        constraints = [
            models.UniqueConstraint(fields=["worker", "studio_name"], name="studio_lead_once_per_studio"),
        ]

    def __str__(self) -> str:
        return self.studio_name


class HonourList(models.Model):
    """One imported list of city-level award winners (TAL-HONOUR-SHARE)."""

    award = models.CharField(_("荣誉名称"), max_length=60)
    year = models.PositiveSmallIntegerField(_("年度"))
    source_file = models.CharField(_("导入文件"), max_length=200, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    WORKER_FIELD = None
    TOWN_FIELD = None
    ORGANISATION_FIELD = None

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("荣誉获得者名单")
        constraints = [
            models.UniqueConstraint(fields=["award", "year"], name="honour_list_once_per_award_year"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="honour_list_year_bounded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.award}"


class HonourWinner(models.Model):
    """A winner as listed; matched to the registry by ID number when the share is computed."""

    honour_list = models.ForeignKey(HonourList, on_delete=models.CASCADE, related_name="winners")
    row = models.PositiveIntegerField(_("行号"))
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号码"), max_length=18)
    unit = models.CharField(_("工作单位"), max_length=100, blank=True)

    WORKER_FIELD = None
    TOWN_FIELD = None
    ORGANISATION_FIELD = None

    class Meta:
        ordering = ["row"]
        verbose_name = _("荣誉获得者")
        constraints = [
            models.UniqueConstraint(fields=["honour_list", "id_number"], name="honour_winner_once_per_list"),
        ]

    def __str__(self) -> str:
        return self.name
