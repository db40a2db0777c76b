"""Forms of the apprenticeship pages: each error next to its field, naming its label (web.forms)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from skillcity.apprenticeship.models import Progress, StudyMode
from skillcity.apprenticeship.selectors import SCHOOL_CATEGORIES
from skillcity.core.bounds import IsoDateField
from skillcity.registry.models import Occupation, Organisation, OrganisationCategory, SkillLevel
from skillcity.web.forms import LabelledErrorsMixin

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


class OrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class OccupationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


def _school_field(label: Any = None) -> OrganisationChoice:
    return OrganisationChoice(
        label=label or _("院校或培训机构"),
        queryset=Organisation.objects.filter(category__in=SCHOOL_CATEGORIES).order_by("name"),
        widget=forms.Select(attrs=SELECT),
    )


def _occupation_field() -> OccupationChoice:
    return OccupationChoice(
        label=_("培养职业（工种）"),
        queryset=Occupation.objects.filter(active=True, has_levels=True).order_by("code"),
        widget=forms.Select(attrs=SELECT),
    )


def _level_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("目标等级"),
        choices=SkillLevel.choices,
        coerce=int,
        initial=SkillLevel.LEVEL4,
        widget=forms.Select(attrs=SELECT),
    )


def _id_field(label: Any, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label, max_length=18, min_length=15, help_text=help_text, widget=forms.TextInput(attrs=TEXT)
    )


class EnrolForm(LabelledErrorsMixin, forms.Form):
    """An enterprise (or an officer for it) enrols an employee as a new-style apprentice."""

    enterprise = forms.CharField(
        label=_("企业统一社会信用代码"), max_length=18, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    id_number = _id_field(_("学徒身份证号码"))
    name = forms.CharField(label=_("学徒姓名"), max_length=50, widget=forms.TextInput(attrs=TEXT))
    school = _school_field()
    occupation = _occupation_field()
    level = _level_field()
    contract_start = IsoDateField(label=_("学徒合同开始日期"), widget=forms.DateInput(attrs=TEXT))
    contract_end = IsoDateField(
        label=_("学徒合同结束日期"), help_text=_("合同期限至少1年"), widget=forms.DateInput(attrs=TEXT)
    )
    registration_number = forms.CharField(
        label=_("学籍号"), max_length=40, widget=forms.TextInput(attrs=TEXT)
    )
    study_mode = forms.ChoiceField(
        label=_("学习形式"),
        choices=StudyMode.choices,
        initial=StudyMode.NON_FULL_TIME,
        widget=forms.Select(attrs=SELECT),
    )
    registration_start = IsoDateField(label=_("学籍注册开始日期"), widget=forms.DateInput(attrs=TEXT))
    registration_end = IsoDateField(
        label=_("学籍注册结束日期"), help_text=_("非全日制学籍，至少1年"), widget=forms.DateInput(attrs=TEXT)
    )
    enterprise_mentor = _id_field(_("企业导师"), _("填写该企业职工的身份证号码，宜为高技能人才"))
    school_mentor = forms.CharField(label=_("学校导师"), max_length=50, widget=forms.TextInput(attrs=TEXT))

    def __init__(self, *args: Any, pick_enterprise: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pick_enterprise = pick_enterprise
        if pick_enterprise:
            self.fields["enterprise"].required = True
            self.fields["enterprise"].error_messages["required"] = _("请填写“企业统一社会信用代码”")
        else:
            del self.fields["enterprise"]


class ProgressForm(LabelledErrorsMixin, forms.Form):
    date = IsoDateField(label=_("日期"), widget=forms.DateInput(attrs=TEXT))
    place = forms.ChoiceField(
        label=_("培训地点"), choices=Progress.Place.choices, widget=forms.Select(attrs=SELECT)
    )
    hours = forms.IntegerField(
        label=_("学时"), min_value=1, max_value=24, widget=forms.NumberInput(attrs=TEXT)
    )
    content = forms.CharField(label=_("培训内容"), max_length=500, widget=forms.TextInput(attrs=TEXT))


class LeaveForm(LabelledErrorsMixin, forms.Form):
    left_on = IsoDateField(label=_("退出日期"), widget=forms.DateInput(attrs=TEXT))
    leave_reason = forms.CharField(label=_("退出原因"), max_length=200, widget=forms.TextInput(attrs=TEXT))


class SessionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.evaluator.organisation.name} · {obj.date:%Y-%m-%d} · {obj.site}"


class AssessForm(LabelledErrorsMixin, forms.Form):
    session = SessionChoice(label=_("考核批次"), queryset=None, widget=forms.Select(attrs=SELECT))

    def __init__(self, *args: Any, sessions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]


class ClassForm(LabelledErrorsMixin, forms.Form):
    school = _school_field(_("院校"))
    enterprise = forms.CharField(
        label=_("合作企业统一社会信用代码"), max_length=18, widget=forms.TextInput(attrs=TEXT)
    )
    name = forms.CharField(label=_("班级名称"), max_length=100, widget=forms.TextInput(attrs=TEXT))
    occupation = _occupation_field()
    level = _level_field()
    start = IsoDateField(label=_("开班日期"), widget=forms.DateInput(attrs=TEXT))
    end = IsoDateField(label=_("结业日期"), help_text=_("至少1年"), widget=forms.DateInput(attrs=TEXT))
    school_mentor = forms.CharField(label=_("学校导师"), max_length=50, widget=forms.TextInput(attrs=TEXT))
    enterprise_mentor = _id_field(_("企业导师"), _("填写合作企业职工的身份证号码"))

    def __init__(self, *args: Any, enterprise: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if enterprise is not None:
            # An enterprise's user opens its own classes: the enterprise is not typed.
            field = self.fields["enterprise"]
            field.initial = enterprise.uscc
            field.disabled = True


class StudentForm(LabelledErrorsMixin, forms.Form):
    id_number = _id_field(_("学生身份证号码"))
    name = forms.CharField(label=_("学生姓名"), max_length=50, widget=forms.TextInput(attrs=TEXT))
    registration_number = forms.CharField(
        label=_("学籍号"), max_length=40, widget=forms.TextInput(attrs=TEXT)
    )


class ImportForm(LabelledErrorsMixin, forms.Form):
    file = forms.FileField(
        label=_("导入文件"), widget=forms.ClearableFileInput(attrs={**TEXT, "accept": ".xlsx,.csv"})
    )


ENTERPRISE = OrganisationCategory.ENTERPRISE
