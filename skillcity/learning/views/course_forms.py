"""Forms of the provider's and the bureau's course pages: each error next to its field (web.forms)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from skillcity.learning.models import (
    COMPLETION_SHARE_MAX,
    COMPLETION_SHARE_MIN,
    LESSON_SECONDS_MAX,
    SCORE_MAX,
    Category,
    LessonKind,
)
from skillcity.learning.services.courses import REASON_MAX
from skillcity.registry.models import Industry, Occupation, SkillLevel
from skillcity.web.forms import LabelledErrorsMixin

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
MINUTES_MAX = Decimal(LESSON_SECONDS_MAX // 60)


class CourseForm(LabelledErrorsMixin, forms.Form):
    title = forms.CharField(label=_("课程名称"), max_length=100, widget=forms.TextInput(attrs=TEXT))
    category = forms.ChoiceField(
        label=_("课程类别"), choices=Category.choices, widget=forms.Select(attrs=SELECT)
    )
    summary = forms.CharField(
        label=_("课程简介"), max_length=2000, required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 4})
    )
    occupation = forms.ModelChoiceField(
        label=_("职业（工种）"),
        queryset=Occupation.objects.filter(active=True).order_by("code"),
        required=False,
        empty_label=_("（不对应具体职业）"),
        widget=forms.Select(attrs=SELECT),
        help_text=_("课程面向某一职业（工种）培训时选择"),
    )
    level = forms.TypedChoiceField(
        label=_("等级"),
        choices=[("", _("（不分等级）")), *SkillLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs=SELECT),
        help_text=_("选择等级时须同时选择职业（工种）"),
    )
    industries = forms.ModelMultipleChoiceField(
        label=_("战略性产业"),
        queryset=Industry.objects.order_by("sort_order", "code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("课程服务的战略性产业集群（可多选）"),
    )
    completion_share = forms.IntegerField(
        label=_("每节观看比例（%）"),
        min_value=COMPLETION_SHARE_MIN,
        max_value=COMPLETION_SHARE_MAX,
        initial=90,
        widget=forms.NumberInput(attrs=TEXT),
        help_text=_("每节视频至少观看该比例、每节测验通过，课程即完成"),
    )

    def disable(self) -> None:
        for field in self.fields.values():
            field.disabled = True


class LessonForm(LabelledErrorsMixin, forms.Form):
    title = forms.CharField(label=_("课时名称"), max_length=100, widget=forms.TextInput(attrs=TEXT))
    kind = forms.ChoiceField(
        label=_("课时类型"), choices=LessonKind.choices, widget=forms.Select(attrs=SELECT)
    )
    duration_minutes = forms.DecimalField(
        label=_("时长（分钟）"),
        min_value=Decimal("0.1"),
        max_value=MINUTES_MAX,
        decimal_places=1,
        widget=forms.NumberInput(attrs={**TEXT, "step": "0.1"}),
    )
    pass_score = forms.IntegerField(
        label=_("测验合格分"),
        min_value=0,
        max_value=SCORE_MAX,
        required=False,
        widget=forms.NumberInput(attrs=TEXT),
        help_text=_("测验课时必填（0–100）"),
    )
    file = forms.FileField(
        label=_("课时内容"),
        required=False,
        widget=forms.FileInput(
            attrs={**TEXT, "accept": ".mp4,.webm,.pdf,video/mp4,video/webm,application/pdf"}
        ),
        help_text=_("视频：MP4 或 WebM，最大 200 MB；文档：PDF，最大 20 MB；测验不上传"),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["kind"]
            self.fields["file"].help_text = _("不选择文件则保留原内容")

    @property
    def duration_seconds(self) -> int:
        return max(1, round(self.cleaned_data["duration_minutes"] * 60))


class ReasonForm(LabelledErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("原因"), max_length=REASON_MAX, widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )
