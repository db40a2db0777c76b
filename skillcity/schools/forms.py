"""Forms of the school pages: each error next to its field, naming its label (web.forms)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillcity.core.bounds import HEADCOUNT_MAX, YEAR_MAX, YEAR_MIN, IsoDateField
from skillcity.core.money import MONEY_MAX
from skillcity.registry.models import Organisation
from skillcity.schools.models import (
    ClassKind,
    IndustryFit,
    InternationalClass,
    InternationalStudent,
    Major,
    Ownership,
)
from skillcity.web.forms import LabelledErrorsMixin

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


def year_field(label: Any = None) -> forms.IntegerField:
    return forms.IntegerField(
        label=label or _("年度"),
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        initial=lambda: timezone.localdate().year,
        widget=forms.NumberInput(attrs=TEXT),
    )


def money_field(label: Any, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_value=MONEY_MAX,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={**TEXT, "step": "0.01"}),
    )


class SchoolRegisterForm(LabelledErrorsMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("单位（技工院校或职业院校）"),
        queryset=Organisation.objects.none(),
        widget=forms.Select(attrs=SELECT),
    )
    ownership = forms.ChoiceField(
        label=_("办学性质"), choices=Ownership.choices, widget=forms.Select(attrs=SELECT)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            category__in=["technical_school", "vocational_college"], school__isnull=True
        ).order_by("name")


class MajorForm(LabelledErrorsMixin, forms.Form):
    name = forms.CharField(label=_("专业名称"), max_length=100, widget=forms.TextInput(attrs=TEXT))
    code = forms.CharField(
        label=_("专业代码"), max_length=20, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    industry_fit = forms.ChoiceField(
        label=_("对接产业"), choices=IndustryFit.choices, widget=forms.Select(attrs=SELECT)
    )
    enterprise_training = forms.BooleanField(
        label=_("开展校企合作培养"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class RollsImportForm(LabelledErrorsMixin, forms.Form):
    year = year_field(_("统计年度"))
    file = forms.FileField(
        label=_("名册文件（.xlsx）"), widget=forms.ClearableFileInput(attrs={**TEXT, "accept": ".xlsx"})
    )


class _SchoolChoices(LabelledErrorsMixin, forms.Form):
    def __init__(self, *args: Any, school: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.school = school
        if "major" in self.fields:
            self.fields["major"].queryset = Major.objects.filter(school=school)  # type: ignore[attr-defined]
        if "intl_class" in self.fields:
            self.fields["intl_class"].queryset = InternationalClass.objects.filter(school=school)  # type: ignore[attr-defined]
        if "student" in self.fields:
            self.fields["student"].queryset = InternationalStudent.objects.filter(  # type: ignore[attr-defined]
                intl_class__school=school
            ).select_related("worker", "intl_class")


def major_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("专业"), queryset=Major.objects.none(), widget=forms.Select(attrs=SELECT)
    )


class IntlClassForm(_SchoolChoices):
    major = major_field()
    name = forms.CharField(label=_("班级名称"), max_length=100, widget=forms.TextInput(attrs=TEXT))
    year = year_field()
    curriculum = forms.CharField(label=_("国际课程体系"), max_length=100, widget=forms.TextInput(attrs=TEXT))


class IntlStudentForm(_SchoolChoices):
    intl_class = forms.ModelChoiceField(
        label=_("国际课程班"), queryset=InternationalClass.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    id_number = forms.CharField(label=_("身份证号码"), max_length=18, widget=forms.TextInput(attrs=TEXT))
    name = forms.CharField(label=_("姓名"), max_length=50, widget=forms.TextInput(attrs=TEXT))


class StudentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.intl_class.name} · {obj.worker.name}"


class CertificateForm(_SchoolChoices):
    student = StudentChoiceField(
        label=_("学生"), queryset=InternationalStudent.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    certificate_name = forms.CharField(
        label=_("国际职业技能证书名称"), max_length=100, widget=forms.TextInput(attrs=TEXT)
    )
    certificate_number = forms.CharField(
        label=_("证书编号"), max_length=60, widget=forms.TextInput(attrs=TEXT)
    )
    certificate_date = IsoDateField(label=_("取证日期"), widget=forms.DateInput(attrs=TEXT))


class GraduationForm(_SchoolChoices):
    major = major_field()
    id_number = forms.CharField(label=_("身份证号码"), max_length=18, widget=forms.TextInput(attrs=TEXT))
    name = forms.CharField(label=_("姓名"), max_length=50, widget=forms.TextInput(attrs=TEXT))
    class_kind = forms.ChoiceField(
        label=_("毕业班级"), choices=ClassKind.choices, widget=forms.Select(attrs=SELECT)
    )
    graduated_on = IsoDateField(label=_("毕业日期"), widget=forms.DateInput(attrs=TEXT))
    certificate_number = forms.CharField(
        label=_("毕业证书编号"), max_length=60, required=False, widget=forms.TextInput(attrs=TEXT)
    )


class SocialReportForm(LabelledErrorsMixin, forms.Form):
    year = year_field()
    income = money_field(_("社会化培训收入（元）"))
    costs = money_field(_("合理成本（元）"))
    person_times = forms.IntegerField(
        label=_("培训人次"), min_value=0, max_value=HEADCOUNT_MAX, widget=forms.NumberInput(attrs=TEXT)
    )


class MajorBuildForm(_SchoolChoices):
    major = major_field()
    year = year_field()
    requested = money_field(_("申请金额（元）"))


class IntlClassApplyForm(LabelledErrorsMixin, forms.Form):
    year = year_field()
    actual_cost = money_field(_("当年办学实际所需费用（元，可不填）"), required=False)
