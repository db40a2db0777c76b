"""Forms of the drafts page; each error sits next to its field (web/field.html, LabelledErrorsMixin)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from skillcity.core.bounds import IsoDateField
from skillcity.policy import params as P
from skillcity.policy.lifecycle.validation import DRAFTABLE_UNITS
from skillcity.web.forms import LabelledErrorsMixin

NEW_DOCUMENT = "__new__"
TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


class DraftForm(LabelledErrorsMixin, forms.Form):
    title = forms.CharField(label=_("草稿名称"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 2}))


class ContinuationForm(LabelledErrorsMixin, forms.Form):
    document = forms.ChoiceField(label=_("延续执行的文件"), widget=forms.Select(attrs=SELECT))
    until = IsoDateField(label=_("延续执行至"), widget=forms.DateInput(attrs=TEXT))
    citation_document = forms.ChoiceField(label=_("依据（延续执行通知）"), widget=forms.Select(attrs=SELECT))
    clause = forms.CharField(label=_("条款"), max_length=100, widget=forms.TextInput(attrs=TEXT))
    text = forms.CharField(label=_("条款原文"), widget=forms.Textarea(attrs={**TEXT, "rows": 2}))

    def __init__(self, *args: Any, documents: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = documents  # type: ignore[attr-defined]
        self.fields["citation_document"].choices = documents  # type: ignore[attr-defined]


class VersionForm(LabelledErrorsMixin, forms.Form):
    """One version of one parameter, with its citation: an existing document or a new one."""

    parameter = forms.ChoiceField(label=_("参数"), widget=forms.Select(attrs=SELECT))
    value = forms.CharField(label=_("数值"), max_length=40, widget=forms.TextInput(attrs=TEXT))
    effective_from = IsoDateField(label=_("生效日期"), widget=forms.DateInput(attrs=TEXT))
    effective_to = IsoDateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs=TEXT),
        help_text=_("不填则随依据文件的有效期截止"),
    )  # fmt: skip
    document = forms.ChoiceField(label=_("依据文件"), widget=forms.Select(attrs=SELECT))
    clause = forms.CharField(
        label=_("条款"), max_length=100, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    text = forms.CharField(
        label=_("条款原文"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
        help_text=_("摘录文件原文，引用将随计算结果一并显示"),
    )  # fmt: skip
    # A new document, registered with the version (when 依据文件 is “登记新文件”).
    new_key = forms.CharField(
        label=_("新文件编号（如 D005）"), max_length=40, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    new_title = forms.CharField(
        label=_("新文件标题"), max_length=300, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    new_number = forms.CharField(
        label=_("文号"), max_length=100, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    new_issuer = forms.CharField(
        label=_("发文机关"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    new_issued = IsoDateField(label=_("发文日期"), required=False, widget=forms.DateInput(attrs=TEXT))
    new_from = IsoDateField(label=_("新文件施行日期"), required=False, widget=forms.DateInput(attrs=TEXT))
    new_to = IsoDateField(label=_("新文件有效期至"), required=False, widget=forms.DateInput(attrs=TEXT))

    def __init__(self, *args: Any, documents: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ps = P.parameters()
        self.fields["parameter"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (name, f"{name} {p.title}") for name, p in sorted(ps.items()) if p.unit in DRAFTABLE_UNITS
        ]
        self.fields["document"].choices = [("", "—"), *documents, (NEW_DOCUMENT, _("登记新文件…"))]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("document") == NEW_DOCUMENT:
            for name in ("new_key", "new_title", "new_from"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(
                        name, _("%(label)s：登记新文件时必填") % {"label": self.fields[name].label}
                    )
        return data
