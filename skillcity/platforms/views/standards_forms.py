"""Forms of the standards pages (errors next to their fields)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from skillcity.core.bounds import IsoDateField, parse_money
from skillcity.platforms.models.standards import StandardKind
from skillcity.platforms.services.standards import REQUESTED_MAX
from skillcity.registry.models import Occupation
from skillcity.web.forms import LabelledErrorsMixin

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
AREA = {"class": "form-control", "rows": 4}


class StandardFileForm(LabelledErrorsMixin, forms.Form):
    developer = forms.CharField(
        label=_("开发单位（统一社会信用代码）"),
        max_length=18,
        widget=forms.TextInput({**TEXT, "autocomplete": "off"}),
    )
    title = forms.CharField(label=_("标准名称"), max_length=200, widget=forms.TextInput(TEXT))
    kind = forms.ChoiceField(label=_("标准类别"), choices=StandardKind.choices, widget=forms.Select(SELECT))
    occupation = forms.ChoiceField(label=_("职业（工种）"), widget=forms.Select(SELECT))
    plan = forms.CharField(label=_("开发计划"), max_length=4000, widget=forms.Textarea(AREA))
    planned_completion = IsoDateField(label=_("计划完成日期"))
    requested = forms.CharField(
        label=_("申请开发经费（元）"),
        help_text=_(
            "2022年每个标准2–5万元（D002第20条），2023年起每个最高20万元（D003），以认定时的规定为准。"
        ),
        widget=forms.TextInput({**TEXT, "inputmode": "decimal"}),
    )

    def __init__(self, *args: Any, for_bureau: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not for_bureau:
            del self.fields["developer"]
        self.fields["occupation"].choices = [  # type: ignore[attr-defined]
            ("", gettext_now("请选择")),
            *(
                (o.code, f"{o.code} {o.name}")
                for o in Occupation.objects.filter(active=True).order_by("code")
            ),
        ]
        self.fields["planned_completion"].widget.attrs["class"] = "form-control"

    def clean_requested(self) -> Decimal:
        try:
            value = parse_money(self.cleaned_data["requested"], high=REQUESTED_MAX)
        except ValueError:
            raise forms.ValidationError(gettext_now("应为 0.01–1,000,000 元，最多两位小数")) from None
        if value <= 0:
            raise forms.ValidationError(gettext_now("应为 0.01–1,000,000 元，最多两位小数"))
        return value


class StandardNoteForm(LabelledErrorsMixin, forms.Form):
    note = forms.CharField(
        label=_("意见（退回时必填）"),
        max_length=500,
        required=False,
        widget=forms.Textarea({**AREA, "rows": 2}),
    )


class StandardPanelForm(LabelledErrorsMixin, forms.Form):
    worker = forms.CharField(
        label=_("专家身份证号码"), max_length=18, widget=forms.TextInput({**TEXT, "autocomplete": "off"})
    )


class StandardScoreForm(LabelledErrorsMixin, forms.Form):
    score = forms.DecimalField(
        label=_("评分（0–100）"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=1,
        max_digits=4,
        widget=forms.NumberInput({**TEXT, "step": "0.1", "inputmode": "decimal", "min": 0, "max": 100}),
    )
    comment = forms.CharField(
        label=_("评审意见"), max_length=500, required=False, widget=forms.TextInput(TEXT)
    )


class StandardCertifyForm(LabelledErrorsMixin, forms.Form):
    certified_on = IsoDateField(
        label=_("认定日期"),
        required=False,
        help_text=_(
            "认定文件的日期，不填为今天；开发经费按该日期适用的政策计算（2022年为区间，2023年起为上限）。"
        ),
    )
    note = forms.CharField(
        label=_("认定意见（可不填）"),
        max_length=500,
        required=False,
        widget=forms.Textarea({**AREA, "rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["certified_on"].widget.attrs["class"] = "form-control"
