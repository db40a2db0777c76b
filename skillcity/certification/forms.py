"""The public certificate lookup's form: both the number and the holder's name, each error next to its
field (the selector is the judge; the form says what to fill in)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from skillcity.web.forms import LabelledErrorsMixin


class VerifyForm(LabelledErrorsMixin, forms.Form):
    number = forms.CharField(
        label=_("证书编号"),
        max_length=22,
        help_text=_("证书右上角的22位编号，如 Y000144190001243000001"),
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "off", "placeholder": "Y000144190001243000001"}
        ),
    )
    name = forms.CharField(
        label=_("持证人姓名"),
        max_length=50,
        help_text=_("与证书上的姓名一致"),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
