"""Forms of the matching pages: they render fields and carry errors (each next to its field, naming its
label); the services check and write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from skillcity.core.bounds import IsoDateField
from skillcity.core.errors import DomainError
from skillcity.matching.models import HEAD_COUNT_MAX, FollowUp, JobFair
from skillcity.matching.services import WAGE_MAX
from skillcity.registry.models import Occupation, SkillLevel, Town
from skillcity.web.forms import LabelledErrorsMixin


def show_error(form: Any, exc: DomainError, **kwargs: Any) -> None:
    """A refusal about the input goes next to its field; one about who may do it (403, 404) is raised
    to the error page."""
    if exc.status in (403, 404):
        raise exc
    form.show_domain_error(exc, **kwargs)


class _Form(LabelledErrorsMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)
            if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
                continue  # a list to pick from, no empty choice
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = str(_("请选择"))
            elif isinstance(field, forms.ChoiceField) and field.required:
                field.choices = [("", _("请选择")), *list(field.choices)]  # type: ignore[arg-type]


def _occupations() -> Any:
    return Occupation.objects.filter(active=True, has_levels=True).order_by("code")


class JobNeedForm(_Form):
    occupation = forms.ModelChoiceField(label=_("职业（工种）"), queryset=_occupations())
    level = forms.TypedChoiceField(
        label=_("技能等级要求"),
        choices=SkillLevel.choices,
        coerce=int,
        help_text=_("持该等级或更高等级证书者可匹配"),
    )
    town = forms.ModelChoiceField(label=_("工作镇街"), queryset=Town.objects.order_by("sort_order", "id"))
    head_count = forms.IntegerField(label=_("招聘人数"), min_value=1, max_value=HEAD_COUNT_MAX)
    wage_min = forms.DecimalField(
        label=_("月工资下限（元）"), min_value=Decimal(0), max_value=WAGE_MAX, decimal_places=2
    )
    wage_max = forms.DecimalField(
        label=_("月工资上限（元）"), min_value=Decimal(0), max_value=WAGE_MAX, decimal_places=2
    )
    start = IsoDateField(label=_("到岗日期"))
    fair = forms.ModelChoiceField(
        label=_("招聘会"),
        queryset=JobFair.objects.none(),
        required=False,
        help_text=_("作为招聘会岗位发布（可不选）"),
    )
    description = forms.CharField(
        label=_("岗位说明"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, fairs: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fair = self.fields["fair"]
        assert isinstance(fair, forms.ModelChoiceField)
        if fairs is not None:
            fair.queryset = fairs
        fair.empty_label = str(_("不作为招聘会岗位"))


class SeekerNeedForm(_Form):
    occupation = forms.ModelChoiceField(label=_("意向职业（工种）"), queryset=_occupations())
    towns = forms.ModelMultipleChoiceField(
        label=_("意向镇街"),
        queryset=Town.objects.order_by("sort_order", "id"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("可多选（按住 Ctrl 或在手机上逐个点选）"),
    )


class HireForm(_Form):
    start_month = forms.CharField(
        label=_("入职月份"), widget=forms.DateInput(attrs={"type": "month"}), help_text=_("YYYY-MM")
    )


class FairHireForm(HireForm):
    id_number = forms.CharField(label=_("身份证号码"), max_length=18, min_length=18)


class FollowUpForm(_Form):
    date = IsoDateField(label=_("跟进日期"))
    way = forms.ChoiceField(label=_("跟进方式"), choices=FollowUp.Way.choices)
    done = forms.CharField(label=_("跟进内容"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    next_step = forms.CharField(
        label=_("下一步"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_date = IsoDateField(label=_("下次跟进日期"), required=False)


class FairForm(_Form):
    name = forms.CharField(label=_("招聘会名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=JobFair.Kind.choices)
    starts_on = IsoDateField(label=_("开始日期"))
    ends_on = IsoDateField(label=_("结束日期"))
    town = forms.ModelChoiceField(label=_("举办镇街"), queryset=Town.objects.order_by("sort_order", "id"))
    venue = forms.CharField(label=_("举办地点"), max_length=200)


class FairEnterpriseForm(_Form):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, min_length=18)
    booth = forms.CharField(label=_("展位"), max_length=20, required=False)


class AssignmentForm(_Form):
    officer = forms.ChoiceField(label=_("就业服务专员"))
    subject = forms.ChoiceField(
        label=_("服务对象类别"), choices=[("enterprise", _("企业")), ("worker", _("求职者"))]
    )
    key = forms.CharField(label=_("统一社会信用代码或身份证号码"), max_length=18, min_length=18)

    def __init__(self, *args: Any, officers: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        officer = self.fields["officer"]
        assert isinstance(officer, forms.ChoiceField)
        officer.choices = officers or []
