"""Forms of the expert pool's pages: errors beside each field, naming its label."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from skillcity.platforms.models.experts import DrawPurpose, ExpertSector
from skillcity.platforms.services.experts import SEED_MAX, SIZE_MAX
from skillcity.registry.models import Organisation
from skillcity.web.forms import LabelledErrorsMixin

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
CHECKS = {"class": "form-check-input"}


class ExpertFilterForm(forms.Form):
    sector = forms.ChoiceField(
        label=_("行业领域"),
        required=False,
        choices=[("", _("全部领域")), *ExpertSector.choices],
        widget=forms.Select({**SELECT, "class": "form-select form-select-sm"}),
    )
    q = forms.CharField(
        label=_("姓名或单位"),
        required=False,
        max_length=50,
        widget=forms.TextInput({"class": "form-control form-control-sm"}),
    )


def _usccs(raw: str) -> list[str]:
    return [
        part
        for part in raw.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")
        if part.strip()
    ]


class OrganisationsField(forms.CharField):
    """Organisations by their unified social credit codes, separated by commas."""

    def clean(self, value: Any) -> list[Organisation]:  # type: ignore[override]
        text = super().clean(value) or ""
        codes = [c.strip().upper() for c in _usccs(text)]
        found = {o.uscc: o for o in Organisation.objects.filter(uscc__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(
                _("平台登记中没有以下统一社会信用代码的单位：%(c)s")
                % {"c": "、".join(m[:20] for m in missing[:5])}
            )
        return [found[c] for c in codes]


class DrawForm(LabelledErrorsMixin, forms.Form):
    purpose = forms.ChoiceField(label=_("用途"), choices=DrawPurpose.choices, widget=forms.Select(SELECT))
    subject_label = forms.CharField(
        label=_("评审对象"),
        max_length=200,
        help_text=_("例如：2024年技能大师工作室评审第一组"),
        widget=forms.TextInput(TEXT),
    )
    subject_key = forms.CharField(
        label=_("评审对象标识"),
        max_length=100,
        required=False,
        help_text=_("可不填，默认与评审对象相同；同一对象的多次抽取用同一标识"),
        widget=forms.TextInput(TEXT),
    )
    size = forms.IntegerField(
        label=_("抽取人数"),
        min_value=1,
        max_value=SIZE_MAX,
        widget=forms.NumberInput({**TEXT, "min": 1, "max": SIZE_MAX}),
    )
    sectors = forms.MultipleChoiceField(
        label=_("行业领域"),
        required=False,
        choices=ExpertSector.choices,
        help_text=_("不选则在全部领域中分层抽取"),
        widget=forms.CheckboxSelectMultiple(CHECKS),
    )
    exclude_organisations = OrganisationsField(
        label=_("回避单位（统一社会信用代码）"),
        required=False,
        max_length=2000,
        help_text=_("申报单位等须回避的单位，多个用逗号分隔；其在职专家和申报回避该单位的专家不会被抽中"),
        widget=forms.Textarea({**TEXT, "rows": 2}),
    )
    seed = forms.IntegerField(
        label=_("随机种子"),
        required=False,
        min_value=0,
        max_value=SEED_MAX,
        help_text=_("一般不填，由系统随机产生并记录"),
        widget=forms.NumberInput({**TEXT, "min": 0}),
    )


class PanelDrawForm(LabelledErrorsMixin, forms.Form):
    """The draw button on a contest project's or a leading-talent call's page."""

    size = forms.IntegerField(
        label=_("抽取人数"),
        min_value=1,
        max_value=SIZE_MAX,
        widget=forms.NumberInput({**TEXT, "min": 1, "max": SIZE_MAX}),
    )
    sectors = forms.MultipleChoiceField(
        label=_("行业领域"),
        required=False,
        choices=ExpertSector.choices,
        widget=forms.CheckboxSelectMultiple(CHECKS),
    )


class DeclineForm(LabelledErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("谢绝理由"), max_length=300, widget=forms.TextInput(TEXT))


class ConflictForm(LabelledErrorsMixin, forms.Form):
    uscc = forms.CharField(
        label=_("回避单位统一社会信用代码"), min_length=18, max_length=18, widget=forms.TextInput(TEXT)
    )

    def clean_uscc(self) -> Organisation:
        code = self.cleaned_data["uscc"].strip().upper()
        organisation = Organisation.objects.filter(uscc=code).first()
        if organisation is None:
            raise forms.ValidationError(_("平台登记中没有该统一社会信用代码的单位"))
        return organisation
