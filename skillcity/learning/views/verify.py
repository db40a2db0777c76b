"""结业证明查验: the public page where an employer or a training provider checks a certificate of
completion by its number and the learner's name, or by scanning its QR (certification's shared page
logic: one rate limit per address for every public verification)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy

from skillcity.certification.views import verify_page
from skillcity.learning.selectors.verify import verify_completion_by_number, verify_completion_qr
from skillcity.web.forms import LabelledErrorsMixin


class CompletionVerifyForm(LabelledErrorsMixin, forms.Form):
    number = forms.CharField(
        label=gettext_lazy("结业证明编号"),
        max_length=32,
        help_text=gettext_lazy("如 XX2026-00000123"),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    name = forms.CharField(
        label=gettext_lazy("学员姓名"),
        max_length=50,
        help_text=gettext_lazy("与结业证明上的姓名一致"),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )


def completion_verify(request: HttpRequest) -> HttpResponse:
    return verify_page(
        request,
        form_class=CompletionVerifyForm,
        by_qr=verify_completion_qr,
        by_number=verify_completion_by_number,
        template="learning/verify.html",
    )


urlpatterns: list[URLPattern] = [
    path("verify/", completion_verify, name="completion_verify"),
]
