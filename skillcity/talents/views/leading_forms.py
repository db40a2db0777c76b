"""Forms of the leading-talent and exceptional-promotion pages (errors next to their fields)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from skillcity.certification.models import ExceptionalGrounds
from skillcity.core.bounds import IsoDateField, column_money_max
from skillcity.core.money import MONEY_MAX
from skillcity.registry.models import Occupation, SkillLevel, Worker
from skillcity.talents.models.leading import LeadingCall, RentEndReason, RentSchedule
from skillcity.web.forms import LabelledErrorsMixin

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


class CallForm(LabelledErrorsMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2022, max_value=2100, widget=forms.NumberInput(TEXT))
    title = forms.CharField(label=_("名称"), max_length=200, widget=forms.TextInput(TEXT))
    opens_on = IsoDateField(label=_("申报开始"))
    closes_on = IsoDateField(label=_("申报截止"))
    quota = forms.IntegerField(
        label=_("计划认定名额"), min_value=1, max_value=1000, widget=forms.NumberInput(TEXT)
    )


class ApplyForm(LabelledErrorsMixin, forms.Form):
    call = forms.ModelChoiceField(
        label=_("申报年度"), queryset=LeadingCall.objects.none(), widget=forms.Select(SELECT)
    )
    worker = forms.ModelChoiceField(
        label=_("申报人（本单位职工）"),
        queryset=Worker.objects.none(),
        required=False,
        widget=forms.Select(SELECT),
    )
    introduced_on = IsoDateField(label=_("引进日期（由本单位引进的填写）"), required=False)
    grounds = forms.CharField(
        label=_("申报理由"), max_length=2000, widget=forms.Textarea({"class": "form-control", "rows": 4})
    )

    def __init__(self, *args: Any, calls: Any, unit: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls  # type: ignore[attr-defined]
        if unit is None:
            del self.fields["worker"], self.fields["introduced_on"]
        else:
            self.fields["worker"].required = True
            self.fields["worker"].queryset = Worker.objects.filter(employer=unit).order_by("name")  # type: ignore[attr-defined]


class ScoreForm(LabelledErrorsMixin, forms.Form):
    """One field per published criterion, 0 to its maximum."""

    def __init__(self, *args: Any, criteria: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for c in criteria:
            bound = gettext_now("“%(l)s”应为0至%(m)s分（最多一位小数）") % {"l": c["label"], "m": c["max"]}
            self.fields[c["code"]] = forms.DecimalField(
                error_messages={
                    "min_value": bound,
                    "max_value": bound,
                    "invalid": bound,
                    "max_decimal_places": bound,
                    "max_digits": bound,
                },
                label=f"{c['label']}（0–{c['max']}）",
                min_value=Decimal("0"),
                max_value=Decimal(c["max"]),
                decimal_places=1,
                widget=forms.NumberInput({"class": "form-control", "step": "0.1", "inputmode": "decimal"}),
            )


def money_field(label: Any, high: Decimal = MONEY_MAX) -> forms.DecimalField:
    """A positive amount in yuan within `high` (core.bounds): "1e30" is refused by the form, never
    reaching the service."""
    digits = len(str(int(high))) + 2
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0.01"),
        max_value=high,
        max_digits=digits,
        decimal_places=2,
        widget=forms.NumberInput(TEXT),
    )


class HomePurchaseForm(LabelledErrorsMixin, forms.Form):
    requested = money_field(_("申请金额（元）"))
    proof = forms.FileField(
        label=_("购房证明（购房合同或不动产权证书）"), widget=forms.ClearableFileInput(TEXT)
    )


class RewardForm(LabelledErrorsMixin, forms.Form):
    requested = money_field(_("申请金额（元）"))


class RentForm(LabelledErrorsMixin, forms.Form):
    monthly_amount = money_field(
        _("每月金额（元）"), column_money_max(RentSchedule._meta.get_field("monthly_amount"))
    )
    first_month = IsoDateField(label=_("起始月份（该月任一日）"))
    months = forms.IntegerField(
        label=_("发放月数"), min_value=1, max_value=60, widget=forms.NumberInput(TEXT)
    )


class EndForm(LabelledErrorsMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("终止原因"), choices=RentEndReason.choices, widget=forms.Select(SELECT)
    )
    note = forms.CharField(label=_("说明"), max_length=500, required=False, widget=forms.TextInput(TEXT))


class ExceptionalForm(LabelledErrorsMixin, forms.Form):
    occupation = forms.ModelChoiceField(
        label=_("职业（工种）"), queryset=Occupation.objects.order_by("code"), widget=forms.Select(SELECT)
    )
    target_level = forms.TypedChoiceField(
        label=_("申请晋升等级"),
        coerce=int,
        choices=SkillLevel.choices[:4],
        widget=forms.Select(SELECT),
    )
    grounds = forms.ChoiceField(
        label=_("破格依据"), choices=ExceptionalGrounds.choices, widget=forms.Select(SELECT)
    )
    statement = forms.CharField(
        label=_("事实陈述"), max_length=1000, widget=forms.Textarea({"class": "form-control", "rows": 4})
    )
