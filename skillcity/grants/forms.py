"""Forms of the public notice page: the search over running notices, and an objection to one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from skillcity.grants.models import OBJECTION_CONTACT_MAX, OBJECTION_TEXT_MAX, PublicNotice
from skillcity.policy import display
from skillcity.policy.engine import load_rules
from skillcity.registry.models import Town
from skillcity.web.forms import LabelledErrorsMixin


class NoticeSearchForm(LabelledErrorsMixin, forms.Form):
    q = forms.CharField(
        label=_("申请单位或公示编号"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    rule = forms.ChoiceField(
        label=_("政策"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    town = forms.ModelChoiceField(
        label=_("镇街"),
        queryset=Town.objects.order_by("sort_order", "name"),
        required=False,
        empty_label=_("全部镇街"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        rules = sorted(load_rules().values(), key=lambda r: r.id)
        titled = [(r.id, display.rule_title(r.id)) for r in rules]
        self.fields["rule"].choices = [("", _("全部政策")), *titled]  # type: ignore[attr-defined]

    def apply(self, notices: QuerySet[PublicNotice]) -> QuerySet[PublicNotice]:
        data = self.cleaned_data
        if data.get("rule"):
            notices = notices.filter(application__rule_id=data["rule"])
        if data.get("town"):
            notices = notices.filter(application__town=data["town"])
        text = (data.get("q") or "").strip()
        if text:
            # A person's name is shown masked, so it is not searchable either: a full name typed in
            # would otherwise confirm who is behind "张*明". Organisations are found by name.
            notices = notices.filter(
                Q(number__iexact=text) | Q(application__organisation__name__icontains=text)
            )
        return notices


class ObjectionForm(LabelledErrorsMixin, forms.Form):
    # Lengths and what is required are judged by the service (objection_lodge), the API's too; the
    # form only puts its answers next to the fields.
    text = forms.CharField(
        label=_("异议内容"),
        required=False,
        widget=forms.Textarea(
            attrs={"class": "form-control sc-objection-text", "rows": 2, "maxlength": OBJECTION_TEXT_MAX}
        ),
        help_text=_("至多2000字"),
    )
    contact = forms.CharField(
        label=_("联系方式"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "maxlength": OBJECTION_CONTACT_MAX}),
        help_text=_("未登录时须填写，以便告知处理结果"),
    )

    def __init__(self, *args: Any, notice: PublicNotice, **kwargs: Any):
        # One form per notice on the page: the ids differ, the names stay `text` and `contact`.
        kwargs.setdefault("auto_id", f"id_%s_{notice.pk}")
        super().__init__(*args, **kwargs)
        self.notice = notice
