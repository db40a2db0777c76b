"""Forms of the school–enterprise base pages (errors next to their fields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from skillcity.core.bounds import IsoDateField
from skillcity.web.forms import LabelledErrorsMixin

TEXT = {"class": "form-control"}
AREA = {"class": "form-control", "rows": 4}


class BaseApplyForm(LabelledErrorsMixin, forms.Form):
    school = forms.CharField(
        label=_("申报院校（统一社会信用代码）"),
        max_length=18,
        widget=forms.TextInput({**TEXT, "autocomplete": "off"}),
    )
    name = forms.CharField(label=_("基地名称"), max_length=200, widget=forms.TextInput(TEXT))
    field = forms.CharField(label=_("合作专业（领域）"), max_length=200, widget=forms.TextInput(TEXT))
    plan = forms.CharField(label=_("建设方案"), max_length=4000, widget=forms.Textarea(AREA))
    partners = forms.CharField(
        label=_("合作企业"),
        help_text=_("每行一家：统一社会信用代码，空格后写合作内容（可不写）。最多20家。"),
        widget=forms.Textarea({**AREA, "rows": 3}),
    )

    def __init__(self, *args: Any, for_bureau: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not for_bureau:
            del self.fields["school"]

    def clean_partners(self) -> list[tuple[str, str]]:
        rows: list[tuple[str, str]] = []
        bad: list[str] = []
        for n, line in enumerate(self.cleaned_data["partners"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            code, _sep, contribution = line.partition(" ")
            code = code.strip().upper()
            if len(code) != 18:
                bad.append(gettext_now("第%(n)s行“%(c)s”不是18位统一社会信用代码") % {"n": n, "c": code[:30]})
            rows.append((code, contribution.strip()))
        if bad:
            raise forms.ValidationError("；".join(bad))
        if not rows:
            raise forms.ValidationError(gettext_now("请至少填写一家合作企业"))
        return rows


class BaseReviewForm(LabelledErrorsMixin, forms.Form):
    note = forms.CharField(
        label=_("审核意见（未通过时必填）"),
        max_length=500,
        required=False,
        widget=forms.Textarea({**AREA, "rows": 2}),
    )


class BaseRecogniseForm(LabelledErrorsMixin, forms.Form):
    recognised_on = IsoDateField(
        label=_("认定日期"),
        required=False,
        help_text=_("认定文件的日期，不填为今天；基地经费按该日期适用的政策计算。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recognised_on"].widget.attrs["class"] = "form-control"
