"""The provider's new-project form: it renders the fields and puts every error next to its field; the
bounds are read by the page's parsers and the rules judged by `training.services.project_create`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from skillcity.core.bounds import (
    CAPACITY_MAX,
    LEVEL_MAX,
    LEVEL_MIN,
    IsoDateField,
    IsoDateInput,
    column_money_max,
    parse_money,
)
from skillcity.registry.models import Occupation, SkillLevel, Town
from skillcity.web.forms import LabelledErrorsMixin, labelled


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
    standard = forms.ChoiceField(
        label=_("培训评价标准（可不选）"),
        required=False,
        help_text=_("只能选择已认定的职业技能培训评价标准"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    required_course = forms.CharField(
        label=_("须先完成的在线课程编号（可不填）"),
        required=False,
        max_length=20,
        help_text=_("填写后，学员须先完成该在线课程才能报名本项目"),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        from skillcity.platforms.selectors.standards import choices as standard_choices

        self.fields["standard"].choices = standard_choices()  # type: ignore[attr-defined]
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
    # Who teaches, where, and the daily session: what supervision's schedule check reads (issue 20).
    teacher_id_number = forms.CharField(
        label=_("授课教师身份证号码"),
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    site = forms.CharField(
        label=_("上课地点"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    session_start = forms.TimeField(
        label=_("每日上课开始时间"),
        required=False,
        widget=forms.TimeInput(attrs={"class": "form-control", "type": "time"}, format="%H:%M"),
    )
    session_end = forms.TimeField(
        label=_("每日上课结束时间"),
        required=False,
        widget=forms.TimeInput(attrs={"class": "form-control", "type": "time"}, format="%H:%M"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("结业日期不能早于开班日期"))
        begins, ends = data.get("session_start"), data.get("session_end")
        if (begins is None) != (ends is None) and "session_start" not in self.errors:
            if "session_end" not in self.errors:
                self.add_error(
                    "session_end" if ends is None else "session_start", _("请同时填写每日上课开始和结束时间")
                )
        elif begins and ends and ends <= begins:
            self.add_error("session_end", _("每日上课结束时间应晚于开始时间"))
        return data


class VoucherIssueForm(LabelledErrorsMixin, forms.Form):
    """The bureau's voucher batch: its name, face value and validity, and which workers get one (town,
    occupation held, highest level). Every field judged at once, before the confirmation page."""

    name = forms.CharField(
        label=_("批次名称"), max_length=100, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    face_value = forms.CharField(
        label=_("面值（元）"),
        max_length=20,
        initial="500",
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal"}),
    )
    valid_from = IsoDateField(label=_("有效期起"), widget=IsoDateInput(attrs={"class": "form-control"}))
    valid_to = IsoDateField(label=_("有效期止"), widget=IsoDateInput(attrs={"class": "form-control"}))
    town = forms.ChoiceField(
        label=_("镇街"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    occupation = forms.CharField(
        label=_("持有职业（工种）编码"),
        max_length=20,
        required=False,
        help_text=_("可不填"),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    level = forms.TypedChoiceField(
        label=_("最高技能等级"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["town"].choices = [  # type: ignore[attr-defined]
            ("", _("全市")),
            *((t.code, t.name) for t in Town.objects.order_by("code")),
        ]
        self.fields["level"].choices = [("", _("不限")), *SkillLevel.choices]  # type: ignore[attr-defined]

    def clean_face_value(self) -> Decimal:
        from skillcity.training.models import VoucherBatch

        high = column_money_max(VoucherBatch._meta.get_field("face_value"))
        try:
            return parse_money(self.cleaned_data["face_value"], high=high)
        except ValueError as exc:
            raise forms.ValidationError(labelled(self.fields["face_value"], exc)) from None

    def clean_occupation(self) -> Occupation | None:
        code = (self.cleaned_data.get("occupation") or "").strip()
        if not code:
            return None
        occupation = Occupation.objects.filter(code=code).first()
        if occupation is None:
            raise forms.ValidationError(_("没有编码为“%(c)s”的职业（工种）") % {"c": code})
        return occupation

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("有效期止不能早于有效期起"))
        return data
