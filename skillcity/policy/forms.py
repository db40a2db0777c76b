"""Forms of the policy pages: the calculator's form built from a rule's facts, and the what-if form.

The engine is strict about types (a JSON boolean, an int, a decimal string), and a form only has
strings; `FactForm.facts()` is where "true" becomes True and an empty field is left out. The engine
stays the one judge of what is missing or out of range: its messages are put next to the fields.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skillcity.core.bounds import IsoDateField, IsoDateInput
from skillcity.core.uploads import UploadField
from skillcity.policy import params as P
from skillcity.policy.display import fact_label, parameter_title, value_display
from skillcity.policy.engine import Rule
from skillcity.policy.facts import BOOL, CHOICE, CHOICES, DATE, INT, LEVEL, MONEY, TEXT, TEXTS, Fact
from skillcity.web.forms import LabelledErrorsMixin, labelled, required_message

UNIT_LABELS = {
    "yuan": gettext_lazy("元"),
    "ratio": gettext_lazy("倍"),
    "count": "",
    "months": gettext_lazy("个月"),
    "years": gettext_lazy("年"),
    "percent": "%",
    "bool": "",
    "list": "",
    "map": "",
}
BOOL_CHOICES = (("", "—"), ("true", gettext_lazy("是")), ("false", gettext_lazy("否")))


def _field(fact: Fact) -> forms.Field:
    optional = _("（可不填）")
    # Labels, choices and help are Chinese in the rules and translated through the catalog.
    label = _(fact.label) if fact.required or "可不填" in fact.label else _(fact.label) + optional
    common: dict[str, Any] = {
        "label": label,
        "required": False,
        "help_text": _(fact.help) if fact.help else "",
    }
    choices = tuple((code, _(text)) for code, text in fact.choices)
    if fact.kind == BOOL:
        return forms.ChoiceField(
            choices=BOOL_CHOICES, widget=forms.Select(attrs={"class": "form-select"}), **common
        )
    if fact.kind == MONEY:
        attrs = {"class": "form-control", "inputmode": "decimal", "placeholder": "0.00"}
        return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)
    if fact.kind in (INT, LEVEL):
        low = 1 if fact.kind == LEVEL else fact.minimum
        high = 5 if fact.kind == LEVEL else fact.maximum
        attrs = {"class": "form-control", "step": "1"}
        attrs.update({k: str(v) for k, v in (("min", low), ("max", high)) if v is not None})
        return forms.CharField(widget=forms.NumberInput(attrs=attrs), **common)
    if fact.kind == DATE:
        return forms.CharField(widget=IsoDateInput(attrs={"class": "form-control"}), **common)
    if fact.kind == CHOICE:
        return forms.ChoiceField(
            choices=(("", "—"), *choices), widget=forms.Select(attrs={"class": "form-select"}), **common
        )
    if fact.kind == CHOICES:
        return forms.MultipleChoiceField(
            choices=choices,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            **common,
        )
    if fact.kind == TEXTS:
        common["help_text"] = fact.help or _("每行一项")
        return forms.CharField(widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}), **common)
    if fact.kind == TEXT:
        return forms.CharField(widget=forms.TextInput(attrs={"class": "form-control"}), **common)
    raise ValueError(f"unknown fact kind {fact.kind}")


# The engine's words for a fact left out (API clients read them); a form says "请填写“…”" instead.
_MISSING = ("缺少此事实", "不能为空")


class FactForm(LabelledErrorsMixin, forms.Form):
    """The calculator form of one rule: the event date and one field per fact."""

    date = IsoDateField(
        label=gettext_lazy("事件日期"),
        widget=IsoDateInput(attrs={"class": "form-control"}),
    )

    def __init__(self, rule: Rule, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.rule = rule
        self.specs = {fact.name: fact for fact in rule.facts}
        for fact in rule.facts:
            self.fields[fact.name] = _field(fact)
            self.fields[fact.name].fact = fact  # type: ignore[attr-defined]

    def fact_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.specs]

    def facts(self) -> dict[str, Any]:
        """The typed facts for the engine. Call after is_valid(); an unreadable number becomes a field error."""
        facts: dict[str, Any] = {}
        for name, fact in self.specs.items():
            raw = self.cleaned_data.get(name)
            if fact.kind == CHOICES:
                facts[name] = list(raw or [])
                continue
            text = raw.strip() if isinstance(raw, str) else ""
            if fact.kind == TEXTS:
                lines = [line.strip() for line in text.splitlines() if line.strip()]
                if lines or fact.required:
                    facts[name] = lines
                continue
            if not text:
                if fact.required:  # said here, with every other error of the form at once
                    self.add_error(name, required_message(self.fields[name]))
                continue  # left empty: omitted
            if fact.kind == BOOL:
                facts[name] = text == "true"
            elif fact.kind in (INT, LEVEL):
                try:
                    facts[name] = int(text)
                except ValueError:
                    self.add_error(name, labelled(self.fields[name], _("应为整数")))
            else:
                facts[name] = text
        self.mark_invalid()
        return facts

    def show_errors(self, fields: Mapping[str, Any]) -> list[str]:
        """Put the engine's messages next to the named fields; return those that name no field."""
        elsewhere = []
        for name, message in fields.items():
            text = "；".join(map(str, message)) if isinstance(message, list | tuple) else str(message)
            if name in self.fields:
                field = self.fields[name]
                missing = next((m for m in _MISSING if text.startswith(m)), None)
                if missing:  # "缺少此事实（职业技能等级证书须给出等级 1–5）" keeps its reason
                    text = str(required_message(field)) + text[len(missing) :]
                self.add_error(name, labelled(field, text))
            else:
                text = f"{fact_label(self.rule.id, name)}：{text}"
                elsewhere.append(text)
                self.add_error(None, text)  # in the summary at the top: it belongs to no field
        self.mark_invalid()
        return elsewhere


def default_date(rule: Rule, today: datetime.date) -> tuple[datetime.date, bool]:
    """Today if the rule is in force today; otherwise the last day it was in force (or the first day it
    will be). The flag says the date was moved."""
    spans = rule.validity()
    for span in spans:
        start = datetime.date.fromisoformat(str(span["from"]))
        end = datetime.date.fromisoformat(span["to"]) if span["to"] else None
        if start <= today and (end is None or today <= end):
            return today, False
    past = [datetime.date.fromisoformat(s["to"]) for s in spans if s["to"] and s["to"] < today.isoformat()]
    if past:
        return max(past), True
    if spans:
        return datetime.date.fromisoformat(str(spans[0]["from"])), True
    return today, False


# ---- what-if -----------------------------------------------------------------------------------------

OVERRIDE_ROWS = 4


def parameter_choices() -> list[tuple[str, str]]:
    """Every parameter a simulation can change, with its value today (or its latest value)."""
    today = datetime.date.today()
    choices: list[tuple[str, str]] = [("", "—")]
    for name, p in sorted(P.parameters().items()):
        if p.unit in ("list", "map"):
            continue
        version = p.version_on(today) or p.versions[-1]
        unit = "" if p.unit in ("yuan", "bool") else UNIT_LABELS.get(p.unit, p.unit)
        current = value_display(version.value, p.unit)
        choices.append((name, f"{parameter_title(name)}（{_('当前')} {current}{unit}）"))
    return choices


class SimulationForm(LabelledErrorsMixin, forms.Form):
    date_from = IsoDateField(
        label=gettext_lazy("开始日期"), widget=IsoDateInput(attrs={"class": "form-control"})
    )
    date_to = IsoDateField(
        label=gettext_lazy("结束日期"), widget=IsoDateInput(attrs={"class": "form-control"})
    )
    source = forms.ChoiceField(
        label=gettext_lazy("案例来源"),
        choices=(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    cases = UploadField(
        label=gettext_lazy("案例 CSV"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".csv,text/csv"}),
    )
    # A reform (skillcity.policy.reforms): a draft or a whole pack; checked by reforms.resolve, which names
    # an unknown pack or an unknown or withdrawn draft next to its field.
    draft = forms.CharField(
        label=gettext_lazy("政策草案"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    pack = forms.CharField(
        label=gettext_lazy("政策包"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        from skillcity.policy.models import DraftState, PolicyDraft
        from skillcity.policy.pack import loader
        from skillcity.policy.simulate import EVENT_SOURCES

        drafts = PolicyDraft.objects.exclude(state=DraftState.WITHDRAWN).order_by("-pk")[:200]
        self.fields["draft"].widget.choices = [  # type: ignore[attr-defined]
            ("", _("（不用草案）")),
            *((str(d.pk), f"{d.pk} {d.title}（{d.get_state_display()}）") for d in drafts),
        ]
        self.fields["pack"].widget.choices = [  # type: ignore[attr-defined]
            ("", _("（不用其他政策包）")),
            *((name, name) for name in sorted(loader.discover())),
        ]

        sources = [(s.name, _(s.label)) for s in EVENT_SOURCES.values()]
        self.fields["source"].choices = [*sources, ("upload", _("上传案例 CSV"))]  # type: ignore[attr-defined]
        choices = parameter_choices()
        for i in range(OVERRIDE_ROWS):
            self.fields[f"parameter_{i}"] = forms.ChoiceField(
                label=_("参数"),
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields[f"value_{i}"] = forms.CharField(
                label=_("新值"), required=False, widget=forms.TextInput(attrs={"class": "form-control"})
            )

    def reform_fields(self) -> list[forms.BoundField]:
        return [self["draft"], self["pack"]]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("date_from", "date_to", "source", "cases")]

    def override_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"parameter_{i}"], self[f"value_{i}"]) for i in range(OVERRIDE_ROWS)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        overrides: dict[str, str] = {}
        for i in range(OVERRIDE_ROWS):
            name, value = data.get(f"parameter_{i}"), (data.get(f"value_{i}") or "").strip()
            if name and not value:
                self.add_error(f"value_{i}", required_message(self.fields[f"value_{i}"]))
            elif value and not name:
                self.add_error(f"parameter_{i}", required_message(self.fields[f"parameter_{i}"]))
            elif name:
                overrides[name] = value
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("结束日期不能早于开始日期"))
        if data.get("source") == "upload" and not data.get("cases"):
            self.add_error("cases", required_message(self.fields["cases"]))
        data["overrides"] = overrides
        return data
