"""The provider's new-project form: it renders the fields and puts every error next to its field; the
bounds are read by the page's parsers and the rules judged by `training.services.project_create`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from skillcity.core.bounds import CAPACITY_MAX, LEVEL_MAX, LEVEL_MIN, IsoDateField, IsoDateInput
from skillcity.registry.models import Occupation
from skillcity.web.forms import LabelledErrorsMixin


class ProjectForm(LabelledErrorsMixin, forms.Form):
    name = forms.CharField(
        label=_("项目名称"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    occupation = forms.ChoiceField(
        label=_("职业（工种）"), widget=forms.Select(attrs={"class": "form-select"})
    )
    level = forms.CharField(
        label=_("培训等级（1–5，可不填）"),
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control", "min": LEVEL_MIN, "max": LEVEL_MAX}),
    )
    per_person_standard = forms.CharField(
        label=_("每人补贴标准（元）"),
        help_text=_("项目制培训补贴每人每项目最高3000元（D002第8条）"),
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal"}),
    )
    capacity = forms.CharField(
        label=_("计划人数"),
        widget=forms.NumberInput(attrs={"class": "form-control", "min": 1, "max": CAPACITY_MAX}),
    )
    start_date = IsoDateField(label=_("开始日期"), widget=IsoDateInput(attrs={"class": "form-control"}))
    end_date = IsoDateField(label=_("结束日期"), widget=IsoDateInput(attrs={"class": "form-control"}))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        occupations = Occupation.objects.filter(active=True).order_by("code")
        self.fields["occupation"].choices = [  # type: ignore[attr-defined]
            ("", _("请选择")),
            *((o.code, f"{o.code} {o.name}") for o in occupations),
        ]


class ClassForm(LabelledErrorsMixin, forms.Form):
    """A new class on the project page; the dates start as the project's."""

    name = forms.CharField(
        label=_("新班级名称"), max_length=100, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    start_date = IsoDateField(label=_("开班日期"), widget=IsoDateInput(attrs={"class": "form-control"}))
    end_date = IsoDateField(label=_("结业日期"), widget=IsoDateInput(attrs={"class": "form-control"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("结业日期不能早于开班日期"))
        return data
