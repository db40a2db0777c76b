"""The forms of the organisers', units' and judges' pages (marking part). The services judge; each
form says what to fill in, and a service's field error goes next to its field (show_domain_error)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillcity.competitions.models import PROVINCIAL_OR_HIGHER, Aspect, Competition, Level
from skillcity.competitions.services.contests import PLACES_MAX, RANK_MAX, TEAM_SIZE_MAX, TITLE_QUOTA_MAX
from skillcity.competitions.services.scheme_xlsx import COLUMNS
from skillcity.core.bounds import YEAR_MAX, YEAR_MIN, IsoDateField
from skillcity.registry.models import SkillLevel, Town
from skillcity.web.forms import LabelledErrorsMixin

BANDS = (1, 2, 3)  # rows of the promotion rule on the page
TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
SMALL = {"class": "form-control", "inputmode": "numeric"}


def _int(
    label: Any, low: int, high: int, *, required: bool = True, initial: int | None = None
) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        required=required,
        initial=initial,
        widget=forms.NumberInput(SMALL),
    )


def _level_choices(blank: bool = True) -> list[tuple[Any, Any]]:
    return ([("", _("请选择"))] if blank else []) + list(SkillLevel.choices)


class CompetitionForm(LabelledErrorsMixin, forms.Form):
    name = forms.CharField(label=_("竞赛名称"), max_length=200, widget=forms.TextInput(TEXT))
    level = forms.ChoiceField(label=_("竞赛级别"), choices=Level.choices, widget=forms.Select(SELECT))
    year = forms.IntegerField(
        label=_("年度"),
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        initial=lambda: timezone.localdate().year,
        widget=forms.NumberInput(SMALL),
    )
    starts_on = IsoDateField(label=_("开始日期"), widget=forms.DateInput(TEXT))
    ends_on = IsoDateField(label=_("结束日期"), widget=forms.DateInput(TEXT))
    organiser_uscc = forms.CharField(
        label=_("主办单位（统一社会信用代码）"),
        max_length=18,
        required=False,
        help_text=_("在本平台登记的单位；未登记的填写下方主办单位名称"),
        widget=forms.TextInput(TEXT),
    )
    organiser_name = forms.CharField(
        label=_("主办单位名称"), max_length=200, required=False, widget=forms.TextInput(TEXT)
    )
    town = forms.ModelChoiceField(
        label=_("镇街"),
        queryset=Town.objects.all(),
        required=False,
        empty_label=_("（非镇街竞赛不填）"),
        help_text=_("镇街竞赛必填"),
        widget=forms.Select(SELECT),
    )
    feeds = forms.ModelChoiceField(
        label=_("选拔输送的竞赛"),
        queryset=Competition.objects.filter(level__in=PROVINCIAL_OR_HIGHER),
        required=False,
        empty_label=_("（非选拔赛不填）"),
        help_text=_("省级以上竞赛东莞市选拔赛必填：所输送的省级以上竞赛"),
        widget=forms.Select(SELECT),
    )
    external = forms.BooleanField(
        label=_("外部竞赛（成绩导入，不在本平台评分）"),
        required=False,
        widget=forms.CheckboxInput({"class": "form-check-input"}),
    )
    gold_places = _int(_("金奖名额"), 0, PLACES_MAX, initial=1)
    silver_places = _int(_("银奖名额"), 0, PLACES_MAX, initial=2)
    bronze_places = _int(_("铜奖名额"), 0, PLACES_MAX, initial=3)
    excellence_places = _int(_("优胜奖名额"), 0, PLACES_MAX, initial=4)
    pass_mark = forms.DecimalField(
        label=_("合格分数线"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=2,
        initial=Decimal("60"),
        widget=forms.NumberInput({**SMALL, "inputmode": "decimal", "step": "0.01"}),
    )
    title_quota = _int(_("技术能手称号名额（每项目）"), 0, TITLE_QUOTA_MAX, required=False)
    pass_level = forms.TypedChoiceField(
        label=_("成绩合格者晋升等级"),
        choices=[("", _("不晋升")), *list(SkillLevel.choices)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(SELECT),
    )

    def __init__(
        self, *args: Any, organiser_fixed: Any = None, town_fixed: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for n in BANDS:
            self.fields[f"band_{n}_from"] = _int(
                _("第%(n)d段起始名次") % {"n": n}, 1, RANK_MAX, required=False
            )
            self.fields[f"band_{n}_to"] = _int(_("第%(n)d段截止名次") % {"n": n}, 1, RANK_MAX, required=False)
            self.fields[f"band_{n}_level"] = forms.TypedChoiceField(
                label=_("第%(n)d段晋升等级") % {"n": n},
                choices=_level_choices(),
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.Select(SELECT),
            )
        self.organiser_fixed = organiser_fixed
        if organiser_fixed is not None:
            del self.fields["organiser_uscc"]
            del self.fields["organiser_name"]
        if town_fixed is not None:
            self.fields["level"].choices = [(Level.TOWN.value, Level.TOWN.label)]  # type: ignore[attr-defined]
            self.fields["town"].queryset = Town.objects.filter(pk=town_fixed.pk)  # type: ignore[attr-defined]
            self.fields["town"].initial = town_fixed.pk

    def band_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(self[f"band_{n}_from"], self[f"band_{n}_to"], self[f"band_{n}_level"]) for n in BANDS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in BANDS:
            values = [data.get(f"band_{n}_from"), data.get(f"band_{n}_to"), data.get(f"band_{n}_level")]
            if any(v not in (None, "") for v in values) and any(v in (None, "") for v in values):
                self.add_error(
                    f"band_{n}_level", _("第%(n)d段：起始名次、截止名次和晋升等级须一并填写") % {"n": n}
                )
        return data

    def promotion_rule(self) -> dict[str, Any]:
        data = self.cleaned_data
        bands = [
            {"from": data[f"band_{n}_from"], "to": data[f"band_{n}_to"], "level": data[f"band_{n}_level"]}
            for n in BANDS
            if data.get(f"band_{n}_from") is not None
        ]
        return {"bands": bands, "pass_level": data.get("pass_level")}


class ProjectForm(LabelledErrorsMixin, forms.Form):
    name = forms.CharField(label=_("项目名称"), max_length=200, widget=forms.TextInput(TEXT))
    occupation = forms.CharField(
        label=_("职业编码"), max_length=20, help_text=_("如 6-18-01-01（车工）"), widget=forms.TextInput(TEXT)
    )
    direction = forms.CharField(
        label=_("工种/方向"), max_length=100, required=False, widget=forms.TextInput(TEXT)
    )
    level = forms.TypedChoiceField(
        label=_("对应标准等级"), choices=_level_choices(), coerce=int, widget=forms.Select(SELECT)
    )
    host_uscc = forms.CharField(
        label=_("承办单位（统一社会信用代码）"), max_length=18, required=False, widget=forms.TextInput(TEXT)
    )
    starts_on = IsoDateField(label=_("比赛开始日期"), widget=forms.DateInput(TEXT))
    ends_on = IsoDateField(label=_("比赛结束日期"), widget=forms.DateInput(TEXT))
    venue = forms.CharField(label=_("比赛地点"), max_length=200, required=False, widget=forms.TextInput(TEXT))
    team_size = _int(_("每队人数"), 1, TEAM_SIZE_MAX, initial=1)


class JudgeForm(LabelledErrorsMixin, forms.Form):
    id_number = forms.CharField(
        label=_("裁判身份证号码"),
        min_length=15,
        max_length=18,
        help_text=_("裁判须已在劳动者库登记；与参赛选手同单位的裁判须回避"),
        widget=forms.TextInput({**TEXT, "autocomplete": "off"}),
    )
    is_chief = forms.BooleanField(
        label=_("裁判长"), required=False, widget=forms.CheckboxInput({"class": "form-check-input"})
    )


class EntryForm(LabelledErrorsMixin, forms.Form):
    """Players by ID number (the unit's own staff), the team name and the coach."""

    team_name = forms.CharField(label=_("队名"), max_length=100, required=False, widget=forms.TextInput(TEXT))
    coach_id_number = forms.CharField(
        label=_("教练身份证号码"),
        max_length=18,
        required=False,
        help_text=_("教练已在劳动者库登记时填写；否则填写教练姓名"),
        widget=forms.TextInput({**TEXT, "autocomplete": "off"}),
    )
    coach_name = forms.CharField(
        label=_("教练姓名"), max_length=50, required=False, widget=forms.TextInput(TEXT)
    )

    def __init__(self, *args: Any, team_size: int = 1, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        players = {}
        for n in range(1, team_size + 1):
            players[f"player_{n}"] = forms.CharField(
                label=_("选手身份证号码") if team_size == 1 else _("第%(n)d名选手身份证号码") % {"n": n},
                max_length=18,
                required=n == 1,
                widget=forms.TextInput({**TEXT, "autocomplete": "off"}),
            )
        self.fields = {**players, **self.fields}
        if team_size == 1:
            del self.fields["team_name"]
        self.team_size = team_size

    def player_fields(self) -> list[Any]:
        return [self[f"player_{n}"] for n in range(1, self.team_size + 1)]


class SchemeRowsForm(LabelledErrorsMixin, forms.Form):
    """The scheme as rows of the published layout (the page and the .xlsx are the same table)."""

    def __init__(self, *args: Any, rows: int = 10, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row_count = rows
        for n in range(1, rows + 1):
            for label, key in COLUMNS.items():
                name = f"r{n}_{key}"
                if key == "kind":
                    field: forms.Field = forms.ChoiceField(
                        label=_("第%(n)d行%(c)s") % {"n": n, "c": _(label)},
                        choices=[("", "—"), ("测量", _("测量")), ("评价", _("评价"))],
                        required=False,
                        widget=forms.Select({"class": "form-select form-select-sm"}),
                    )
                else:
                    field = forms.CharField(
                        label=_("第%(n)d行%(c)s") % {"n": n, "c": _(label)},
                        required=False,
                        max_length=500,
                        widget=forms.TextInput({"class": "form-control form-control-sm"}),
                    )
                self.fields[name] = field

    def table(self) -> list[tuple[int, list[Any]]]:
        return [(n, [self[f"r{n}_{key}"] for key in COLUMNS.values()]) for n in range(1, self.row_count + 1)]

    def rows(self) -> list[tuple[int, dict[str, Any]]]:
        data = self.cleaned_data
        return [
            (n, {key: data.get(f"r{n}_{key}", "") for key in COLUMNS.values()})
            for n in range(1, self.row_count + 1)
        ]


class MarkingSheetForm(LabelledErrorsMixin, forms.Form):
    """One input per aspect the judge may still mark; locked (submitted) aspects have none."""

    def __init__(self, *args: Any, sheet: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        for row in sheet:
            aspect: Aspect = row["aspect"]
            if row["locked"] or row["taken"]:
                continue
            judgement = aspect.kind == Aspect.Kind.JUDGEMENT
            name = f"score_{aspect.pk}"
            self.fields[name] = forms.CharField(
                label=f"{aspect.code} {aspect.description}",
                required=False,
                max_length=10,
                help_text=_("评价分 0–3 的整数")
                if judgement
                else _("0 到 %(m)s 分") % {"m": aspect.max_mark},
                initial=format(row["mark"].score.normalize(), "f") if row["mark"] is not None else None,
                widget=forms.TextInput(
                    {
                        "class": "form-control sc-mark-input",
                        "inputmode": "numeric" if judgement else "decimal",
                        "autocomplete": "off",
                    }
                ),
            )
            row["field"] = name

    def scores(self) -> dict[int, Any]:
        return {
            int(name.removeprefix("score_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("score_") and str(value).strip()
        }


class CorrectionForm(LabelledErrorsMixin, forms.Form):
    score = forms.CharField(
        label=_("更正后的分数"), max_length=10, widget=forms.TextInput({**TEXT, "inputmode": "decimal"})
    )
    reason = forms.CharField(label=_("更正原因"), max_length=500, widget=forms.TextInput(TEXT))
