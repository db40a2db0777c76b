"""Forms of the master-studio pages (errors next to their fields)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from skillcity.core.bounds import IsoDateField, IsoDateInput
from skillcity.platforms.models.studios import StudioKind, StudioLevel
from skillcity.platforms.services.studios import COUNT_MAX, HIGH_SKILL_LEVEL
from skillcity.registry.models import Worker
from skillcity.web.forms import LabelledErrorsMixin

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
AREA = {"class": "form-control", "rows": 3}
PASS_CHOICES = (("pass", _("通过")), ("fail", _("不通过")))
EVALUATE_CHOICES = (("pass", _("评估合格")), ("fail", _("评估不合格（撤销工作室）")))


class StudioApplyForm(LabelledErrorsMixin, forms.Form):
    name = forms.CharField(label=_("工作室名称"), max_length=100, widget=forms.TextInput(TEXT))
    kind = forms.ChoiceField(label=_("类型"), choices=StudioKind.choices, widget=forms.Select(SELECT))
    lead = forms.ModelChoiceField(
        label=_("领办人（本单位高技能人才）"),
        queryset=Worker.objects.none(),
        widget=forms.Select(SELECT),
        help_text=_("从人才登记库中本单位职工里选择，须为三级/高级工及以上"),
    )
    occupation = forms.CharField(
        label=_("技能领域（职业/工种）"), max_length=60, widget=forms.TextInput(TEXT)
    )
    summary = forms.CharField(label=_("建设方案摘要"), max_length=2000, widget=forms.Textarea(AREA))

    def __init__(self, *args: Any, organisation: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        workers = Worker.objects.none()
        if organisation is not None:
            workers = Worker.objects.filter(
                employer=organisation, highest_level__isnull=False, highest_level__lte=HIGH_SKILL_LEVEL
            ).order_by("name", "id")
        field: Any = self.fields["lead"]
        field.queryset = workers
        field.label_from_instance = lambda w: f"{w.name}（{w.get_highest_level_display()}）"


class StudioReviewForm(LabelledErrorsMixin, forms.Form):
    decision = forms.ChoiceField(label=_("审查结论"), choices=PASS_CHOICES, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("审查意见（不通过必填）"), max_length=500, required=False, widget=forms.TextInput(TEXT)
    )


class StudioRecogniseForm(LabelledErrorsMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("核定补贴金额（元，最高50万元）"),
        min_value=Decimal("0.01"),
        max_value=Decimal("500000"),
        decimal_places=2,
        max_digits=10,
        widget=forms.NumberInput({**TEXT, "step": "0.01"}),
    )
    recognised_on = IsoDateField(label=_("认定日期"), widget=IsoDateInput(TEXT))


class StudioUpgradeForm(LabelledErrorsMixin, forms.Form):
    level = forms.ChoiceField(
        label=_("获评级别"),
        choices=[(v, label) for v, label in StudioLevel.choices if v != StudioLevel.CITY],
        widget=forms.Select(SELECT),
    )
    recognised_on = IsoDateField(label=_("认定日期"), widget=IsoDateInput(TEXT))
    document = forms.CharField(label=_("认定文件"), max_length=120, widget=forms.TextInput(TEXT))


class StudioCloseForm(LabelledErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("关闭原因"), max_length=500, widget=forms.TextInput(TEXT))
    ended_on = IsoDateField(label=_("关闭日期"), widget=IsoDateInput(TEXT))


class StudioReportForm(LabelledErrorsMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2018, max_value=2100, widget=forms.NumberInput(TEXT))
    apprentices = forms.CharField(
        label=_("带徒名单（徒弟身份证号码，每行一个）"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(AREA),
        help_text=_("徒弟须已在人才登记库中"),
    )
    results = forms.CharField(label=_("技术成果"), max_length=2000, widget=forms.Textarea(AREA))
    results_count = forms.IntegerField(
        label=_("技术成果数（项）"), min_value=0, max_value=COUNT_MAX, widget=forms.NumberInput(TEXT)
    )
    courses = forms.CharField(
        label=_("开发课程"), max_length=2000, required=False, widget=forms.Textarea(AREA)
    )
    courses_count = forms.IntegerField(
        label=_("开发课程数（门）"),
        min_value=0,
        max_value=COUNT_MAX,
        initial=0,
        widget=forms.NumberInput(TEXT),
    )


class StudioEvaluateForm(LabelledErrorsMixin, forms.Form):
    decision = forms.ChoiceField(label=_("评估结论"), choices=EVALUATE_CHOICES, widget=forms.RadioSelect)
    reasons = forms.CharField(
        label=_("评估意见（不合格必填）"), max_length=500, required=False, widget=forms.TextInput(TEXT)
    )
