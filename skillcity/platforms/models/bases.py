"""School–enterprise bases (市级高水平校企合作基地, issue 17 §3; D002 item 4, D003 §二(一)).

A school (a registry Organisation of kind 技工院校 or 职业院校) applies with its enterprise partners; the
bureau reviews the application (passing it makes the base a 立项建设单位), then recognises the base
(认定), which makes the EDU-BASE application (1,000,000) through grants against the 25,000,000 special
fund.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from skillcity.registry.models import Organisation

__all__ = ["BASE_SCHOOL_CATEGORIES", "BasePartner", "BaseState", "SchoolEnterpriseBase"]

# The registry categories that may apply for a base.
BASE_SCHOOL_CATEGORIES = ("technical_school", "vocational_college")


class BaseState(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已立项建设")
    REJECTED = "rejected", _("审核未通过")
    RECOGNISED = "recognised", _("已认定")


class SchoolEnterpriseBase(models.Model):
    school = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="enterprise_bases", verbose_name=_("申报院校")
    )
    name = models.CharField(_("基地名称"), max_length=200)
    field = models.CharField(_("合作专业（领域）"), max_length=200)
    plan = models.TextField(_("建设方案"), max_length=4000)
    year = models.PositiveSmallIntegerField(_("申报年度"))
    state = models.CharField(_("状态"), max_length=16, choices=BaseState.choices, default=BaseState.SUBMITTED)
    review_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    reviewed_on = models.DateField(_("审核日期"), null=True, blank=True)
    recognised_on = models.DateField(_("认定日期"), null=True, blank=True)
    number = models.CharField(_("认定编号"), max_length=32, blank=True)
    # A base recognised before this platform kept its records (demo baseline): no grant made from here.
    baseline = models.BooleanField(_("平台启用前已立项"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    TOWN_FIELD = "school__town"
    ORGANISATION_FIELD = "school"
    WORKER_FIELD = None

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("校企合作基地")
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~models.Q(number=""), name="platforms_base_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BasePartner(models.Model):
    """An enterprise partner of a base, with what it contributes."""

    base = models.ForeignKey(
        SchoolEnterpriseBase, on_delete=models.CASCADE, related_name="partners", verbose_name=_("基地")
    )
    enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="base_partnerships", verbose_name=_("合作企业")
    )
    contribution = models.CharField(_("合作内容"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("合作企业")
        constraints = [
            models.UniqueConstraint(fields=["base", "enterprise"], name="platforms_base_partner_once"),
        ]

    def __str__(self) -> str:
        return self.enterprise.name
