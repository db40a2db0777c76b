"""The public certificate lookup's form: both the number and the holder's name, each error next to its
field (the selector is the judge; the form says what to fill in)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from skillcity.certification.models import EvaluatorKind, ExceptionalGrounds, Session
from skillcity.core.bounds import IsoDateField, IsoDateInput
from skillcity.core.errors import DomainError
from skillcity.registry.models import Occupation, SkillLevel
from skillcity.web.forms import LabelledErrorsMixin, labelled, required_message


class VerifyForm(LabelledErrorsMixin, forms.Form):
    number = forms.CharField(
        label=_("证书编号"),
        max_length=22,
        help_text=_("证书右上角的22位编号，如 Y000144190001243000001"),
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "off", "placeholder": "Y000144190001243000001"}
        ),
    )
    name = forms.CharField(
        label=_("持证人姓名"),
        max_length=50,
        help_text=_("与证书上的姓名一致"),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )


SCOPE_ROWS = (1, 2, 3)


class EvaluatorFileForm(LabelledErrorsMixin, forms.Form):
    """The filing: the evaluator's kind, the question bank, and up to three rows of scope (an
    occupation with its highest and lowest level). The service judges; its scope errors go on the row
    of the occupation they name."""

    kind = forms.ChoiceField(label=_("评价机构类别"), widget=forms.Select(attrs={"class": "form-select"}))
    qbank_filed = forms.BooleanField(
        label=_("题（卷）库已通过备案"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, occupations: Iterable[Occupation] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = EvaluatorKind.choices  # type: ignore[attr-defined]
        occupation_choices = [("", _("请选择")), *((o.code, f"{o.code} {o.name}") for o in occupations)]
        for i in SCOPE_ROWS:
            self.fields[f"scope_occupation_{i}"] = forms.ChoiceField(
                label=_("职业（第%(n)s行）") % {"n": i},
                choices=occupation_choices,
                required=False,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields[f"scope_highest_{i}"] = forms.TypedChoiceField(
                label=_("最高等级"), choices=SkillLevel.choices, coerce=int, initial=3,
                widget=forms.Select(attrs={"class": "form-select"}),
            )  # fmt: skip
            self.fields[f"scope_lowest_{i}"] = forms.TypedChoiceField(
                label=_("最低等级"), choices=SkillLevel.choices, coerce=int, initial=5,
                widget=forms.Select(attrs={"class": "form-select"}),
            )  # fmt: skip
        for field in self.fields.values():
            field.error_messages["required"] = required_message(field)

    def scope_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (self[f"scope_occupation_{i}"], self[f"scope_highest_{i}"], self[f"scope_lowest_{i}"])
            for i in SCOPE_ROWS
        ]

    def scope(self) -> list[tuple[Occupation, int, int]]:
        """The filled rows, as the service reads them."""
        data = self.cleaned_data
        codes = [data.get(f"scope_occupation_{i}") for i in SCOPE_ROWS]
        found = {o.code: o for o in Occupation.objects.filter(code__in=[c for c in codes if c])}
        return [
            (found[code], data[f"scope_highest_{i}"], data[f"scope_lowest_{i}"])
            for i, code in zip(SCOPE_ROWS, codes, strict=True)
            if code in found
        ]

    def show_scope_error(self, exc: DomainError) -> None:
        """A service's scope error names an occupation code (or none): the message goes on that row."""
        code = str(exc.fields.get("scope", ""))
        rows = [i for i in SCOPE_ROWS if self.cleaned_data.get(f"scope_occupation_{i}") == code] or [1]
        self.add_error(f"scope_occupation_{rows[-1]}", str(exc.message))


class SessionForm(LabelledErrorsMixin, forms.Form):
    """A new assessment session on the evaluator's page: an occupation of its scope, the level, kind,
    date and site."""

    occupation = forms.TypedChoiceField(
        label=_("职业（工种）"),
        coerce=int,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    level = forms.TypedChoiceField(
        label=_("等级"), coerce=int, widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )
    kind = forms.ChoiceField(
        label=_("类型"), widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )
    date = IsoDateField(
        label=_("考核日期"), widget=IsoDateInput(attrs={"class": "form-control form-control-sm"})
    )
    site = forms.CharField(
        label=_("考核地点"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    direction = forms.CharField(
        label=_("工种/方向（可选）"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )

    standard = forms.ChoiceField(
        label=_("培训评价标准（可不选）"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args: Any, occupations: Iterable[Occupation] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from skillcity.platforms.selectors.standards import choices as standard_choices

        self.fields["standard"].choices = standard_choices()  # type: ignore[attr-defined]
        self.fields["occupation"].choices = [(o.pk, o.name) for o in occupations]  # type: ignore[attr-defined]
        self.fields["level"].choices = SkillLevel.choices  # type: ignore[attr-defined]
        self.fields["kind"].choices = Session.Kind.choices  # type: ignore[attr-defined]


class CandidateForm(LabelledErrorsMixin, forms.Form):
    """A candidate added to a session by ID number; on a promotion session, the exceptional grounds."""

    id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=18,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    exceptional_grounds = forms.ChoiceField(
        label=_("破格依据"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    exceptional_note = forms.CharField(
        label=_("破格说明（破格时必填）"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["exceptional_grounds"].choices = [  # type: ignore[attr-defined]
            ("", _("逐级晋级（无破格）")),
            *((v, _("破格：%(g)s") % {"g": label}) for v, label in ExceptionalGrounds.choices),
        ]


class ScoreForm(LabelledErrorsMixin, forms.Form):
    """One candidate's scores; the service parses and bounds them."""

    theory_score = forms.CharField(
        label=_("理论知识成绩"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm sc-score-input", "inputmode": "decimal"}
        ),
    )
    practical_score = forms.CharField(
        label=_("操作技能成绩"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm sc-score-input", "inputmode": "decimal"}
        ),
    )

    def clean_theory_score(self) -> str:
        return self._score("theory_score")

    def clean_practical_score(self) -> str:
        return self._score("practical_score")

    def _score(self, name: str) -> str:
        # Both scores judged at once, by the service's own reading, so both errors show together.
        from skillcity.certification.services import parse_score

        value: str = self.cleaned_data[name]
        try:
            parse_score(value, name)
        except DomainError as exc:
            raise forms.ValidationError(labelled(self.fields[name], exc.message)) from None
        return value


class EvaluatorReviewForm(LabelledErrorsMixin, forms.Form):
    """The bureau's review of a filing (approve / return / refuse) or the suspension of an active
    evaluator: one note, required by the service when returning, refusing or suspending."""

    note = forms.CharField(
        label=_("审核意见（退回、不予备案、暂停时必填）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class CertificateRevokeForm(LabelledErrorsMixin, forms.Form):
    """A certificate revoked, with its reason."""

    reason = forms.CharField(
        label=_("撤销原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class CertificateIssueForm(LabelledErrorsMixin, forms.Form):
    """The session's passed candidates certified on one issue date."""

    issued_on = IsoDateField(
        label=_("发证日期"), widget=IsoDateInput(attrs={"class": "form-control form-control-sm w-auto"})
    )
