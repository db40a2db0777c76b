"""Forms of the card pages: each error next to its field, naming its label (web.forms)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from skillcity.registry.models import Industry, Occupation, SkillLevel, Town
from skillcity.web.forms import LabelledErrorsMixin


class RevokeForm(LabelledErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("撤销原因"),
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


class CardServiceForm(LabelledErrorsMixin, forms.Form):
    name = forms.CharField(
        label=_("服务名称"), max_length=60, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    provider = forms.CharField(
        label=_("提供单位"), max_length=60, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    description = forms.CharField(
        label=_("服务内容"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    order = forms.IntegerField(
        label=_("排序"),
        min_value=0,
        max_value=999,
        initial=0,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    active = forms.BooleanField(
        label=_("启用"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    demo = forms.BooleanField(
        label=_("演示数据（文件未列明）"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class HonoursImportForm(LabelledErrorsMixin, forms.Form):
    award = forms.CharField(
        label=_("荣誉名称"),
        max_length=60,
        help_text=_("如 五一劳动奖章、三八红旗手"),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    year = forms.IntegerField(
        label=_("年度"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )


class PoolFilterForm(forms.Form):
    town = forms.ModelChoiceField(
        label=_("镇街"),
        queryset=Town.objects.order_by("name"),
        required=False,
        empty_label=_("全部"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    industry = forms.ModelChoiceField(
        label=_("行业"),
        queryset=Industry.objects.order_by("name"),
        required=False,
        empty_label=_("全部"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    occupation = forms.CharField(
        label=_("职业（工种）代码"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "placeholder": "6-18-01-01"}),
    )
    level = forms.TypedChoiceField(
        label=_("最高技能等级"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("全部")), *[(v, label) for v, label in SkillLevel.choices if v <= 3]],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def filters(self) -> dict[str, object]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "town": data["town"].pk if data.get("town") else None,
            "industry": data["industry"].pk if data.get("industry") else None,
            "occupation": (data.get("occupation") or "").strip(),
            "level": data.get("level"),
        }


__all__ = ["CardServiceForm", "HonoursImportForm", "Occupation", "PoolFilterForm", "RevokeForm"]
