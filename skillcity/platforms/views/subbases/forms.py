"""Forms of the sub-base pages (errors next to their fields, each naming its label)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillcity.core.bounds import CAPACITY_MAX, HEADCOUNT_MAX, IsoDateField, IsoDateInput
from skillcity.platforms.models.subbases import CourseCategory, Subbase, SubbaseState
from skillcity.registry.models import Occupation, Organisation
from skillcity.web.forms import LabelledErrorsMixin

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
NOTE = forms.Textarea({"class": "form-control", "rows": 2})


def date_field(label: Any, **kwargs: Any) -> IsoDateField:
    return IsoDateField(label=label, widget=IsoDateInput({"class": "form-control"}), **kwargs)


class ApplyForm(LabelledErrorsMixin, forms.Form):
    name = forms.CharField(label=_("分基地名称"), max_length=200, widget=forms.TextInput(TEXT))
    direction = forms.CharField(
        label=_("实训方向"),
        max_length=200,
        widget=forms.TextInput(TEXT),
        help_text=_("如：数控加工、工业机器人、电子商务"),
    )


class DecisionForm(LabelledErrorsMixin, forms.Form):
    """The bureau's decision on an application: recognise (with its date) or not (with the reason)."""

    decision = forms.ChoiceField(
        label=_("认定结果"),
        choices=[("recognise", _("予以认定")), ("reject", _("不予认定"))],
        widget=forms.RadioSelect,
    )
    recognised_on = date_field(_("认定日期"), required=False, help_text=_("不填为今天"))
    note = forms.CharField(label=_("认定意见"), max_length=500, required=False, widget=NOTE)


class RevokeForm(LabelledErrorsMixin, forms.Form):
    note = forms.CharField(label=_("撤销认定的理由"), max_length=500, widget=NOTE)


class ReportForm(LabelledErrorsMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2018, max_value=2100, widget=forms.NumberInput(TEXT))
    person_times = forms.IntegerField(
        label=_("公共实训人次"), min_value=0, max_value=HEADCOUNT_MAX, widget=forms.NumberInput(TEXT)
    )
    new_courses = forms.CharField(
        label=_("新开发课程（每行一门）"),
        required=False,
        max_length=20000,
        widget=forms.Textarea({"class": "form-control", "rows": 5}),
        help_text=_("课程门数按行数计算，每年不少于5门"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.initial.get("year"):  # type: ignore[attr-defined]
            self.fields["year"].initial = timezone.localdate().year - 1


class QuotaForm(LabelledErrorsMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, widget=forms.NumberInput(TEXT))
    places = forms.IntegerField(
        label=_("购买名额（人）"),
        min_value=1,
        max_value=CAPACITY_MAX,
        initial=3000,
        widget=forms.NumberInput(TEXT),
    )


class AllocationForm(LabelledErrorsMixin, forms.Form):
    subbase = forms.ModelChoiceField(
        label=_("分基地"), queryset=Subbase.objects.none(), widget=forms.Select(SELECT)
    )
    course_name = forms.CharField(label=_("课程名称"), max_length=200, widget=forms.TextInput(TEXT))
    category = forms.ChoiceField(
        label=_("课程类别"), choices=[("", "—"), *CourseCategory.choices], widget=forms.Select(SELECT)
    )
    places = forms.IntegerField(
        label=_("分配名额（人）"), min_value=1, max_value=CAPACITY_MAX, widget=forms.NumberInput(TEXT)
    )
    # A one-time key per form shown: the same submit sent twice (a double click, a resend after a
    # timeout) allocates once.
    request_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("request_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        field = self.fields["subbase"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Subbase.objects.filter(state=SubbaseState.RECOGNISED).order_by("name")


class ClassOpenForm(LabelledErrorsMixin, forms.Form):
    occupation = forms.ModelChoiceField(
        label=_("职业（工种）"), queryset=Occupation.objects.order_by("code"), widget=forms.Select(SELECT)
    )
    start_date = date_field(_("开班日期"))
    end_date = date_field(_("结业日期"))


class ClassLinkForm(LabelledErrorsMixin, forms.Form):
    training_class = forms.ModelChoiceField(
        label=_("本单位的培训班"), queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )

    def __init__(self, *args: Any, classes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["training_class"].queryset = classes  # type: ignore[attr-defined]


class AcceptForm(LabelledErrorsMixin, forms.Form):
    result = forms.ChoiceField(
        label=_("验收结果"),
        choices=[("pass", _("通过验收")), ("fail", _("未通过验收"))],
        widget=forms.RadioSelect,
    )
    accepted_on = date_field(_("验收日期"), required=False, help_text=_("不填为今天"))
    note = forms.CharField(label=_("验收意见"), max_length=500, required=False, widget=NOTE)


class CancelForm(LabelledErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=500, widget=NOTE)


class CentreForm(LabelledErrorsMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("公共实训中心（评价机构所在单位）"),
        queryset=Organisation.objects.none(),
        widget=forms.Select(SELECT),
    )
    yearly_certifications = forms.IntegerField(
        label=_("年度认定目标（人）"),
        min_value=1,
        max_value=100_000,
        initial=3000,
        widget=forms.NumberInput(TEXT),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The centre certifies with its own evaluator, so it is one of the evaluators' organisations.
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(evaluator__isnull=False).order_by("name")
