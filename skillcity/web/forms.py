"""Forms shared by the pages: errors next to each field (a mixin), and the audit log's filters."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django import forms
from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from skillcity.core.audit_labels import AUDIT_ACTION_LABELS, TARGET_TYPE_LABELS, target_type_label
from skillcity.core.bounds import IsoDateField
from skillcity.core.errors import DomainError
from skillcity.core.models import AuditEvent


class LabelledErrorsMixin:
    """A form whose errors each sit next to their field and name its label.

    Render each field with `{% include "web/field.html" %}` and the form's top with
    `{% include "web/form_errors.html" %}`: the top alert only counts the errors and links to each field.
    A service's `DomainError(fields={...})` goes onto the fields by `show_domain_error`.
    """

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = required_message(field)

    def error_count(self) -> int:
        errors: Any = self.errors  # type: ignore[attr-defined]
        return sum(len(messages) for messages in errors.values())

    def show_domain_error(self, exc: DomainError, *, aliases: Mapping[str, str] | None = None) -> list[str]:
        """Put the service's field messages next to the form's fields (`aliases` maps a service's
        field name to the form's); return the messages that name no field of this form, each led by
        what it is about, for the top of the form."""
        elsewhere: list[str] = []
        for name, message in exc.fields.items():
            text = "；".join(map(str, message)) if isinstance(message, list | tuple) else str(message)
            target = (aliases or {}).get(name, name)
            if target in self.fields:
                self.add_error(target, labelled(self.fields[target], text))  # type: ignore[attr-defined]
            else:
                elsewhere.append(text)
        if not exc.fields:
            elsewhere.append(str(exc.message))
        for text in elsewhere:
            self.add_error(None, text)  # type: ignore[attr-defined]
        return elsewhere

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self.mark_invalid()

    def mark_invalid(self) -> None:
        """The widget of each field in error says so (red border, read out by screen readers with its
        message); call again after adding errors outside clean()."""
        errors: Any = getattr(self, "_errors", None) or {}
        for name in errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            if "is-invalid" not in attrs.get("class", ""):
                attrs["class"] = (attrs.get("class", "") + " is-invalid").strip()
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"error-{self.add_prefix(name)}"  # type: ignore[attr-defined]


def audit_action_choices() -> list[tuple[str, str]]:
    """Every action the code records, by its label (the code is only the option's value)."""
    labelled = sorted(((code, str(label)) for code, label in AUDIT_ACTION_LABELS.items()), key=lambda c: c[1])
    return [("", gettext("全部操作")), *labelled]


def audit_target_type_choices() -> list[tuple[str, str]]:
    """Every kind of record an audit row can be about: the platform's models and the records that are
    not one model row, by their labels."""
    codes = set(TARGET_TYPE_LABELS)
    for model in apps.get_models():
        if model.__module__.startswith("skillcity."):
            codes.add(model._meta.label_lower)
    labelled = sorted(((code, target_type_label(code)) for code in codes), key=lambda c: (c[1], c[0]))
    return [("", gettext("全部类型")), *labelled]


class AuditFilterForm(LabelledErrorsMixin, forms.Form):
    actor = forms.CharField(label=_("操作人（用户名）"), max_length=150, required=False)
    date_from = IsoDateField(label=_("开始日期"), required=False)
    date_to = IsoDateField(label=_("结束日期"), required=False)
    action = forms.ChoiceField(label=_("操作"), required=False)
    target_type = forms.ChoiceField(label=_("对象类型"), required=False)
    target_id = forms.CharField(label=_("对象编号"), max_length=64, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = audit_action_choices()  # type: ignore[attr-defined]
        self.fields["target_type"].choices = audit_target_type_choices()  # type: ignore[attr-defined]
        for field in self.fields.values():
            select = isinstance(field, forms.ChoiceField)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("结束日期不能早于开始日期"))
        return data

    def apply(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        """The events that match the (valid) filters."""
        data = self.cleaned_data
        if data.get("actor"):
            events = events.filter(actor_label=data["actor"].strip())
        if data.get("date_from"):
            events = events.filter(at__gte=_day_start(data["date_from"]))
        if data.get("date_to"):
            events = events.filter(at__lt=_day_start(data["date_to"] + datetime.timedelta(days=1)))
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("target_type"):
            events = events.filter(target_type=data["target_type"])
        if data.get("target_id"):
            events = events.filter(target_id=data["target_id"].strip())
        return events


def _day_start(day: datetime.date) -> datetime.datetime:
    # A day of the platform's time zone (Asia/Shanghai), as the page shows the times.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# --- errors next to the field (issue 13 item 2) ----------------------------------------------------


def plain_label(field: forms.Field) -> str:
    """The field's label as an error names it: without the "（可不填）" an optional field's label ends in."""
    return str(field.label or "").replace(str(gettext("（可不填）")), "").replace("（可不填）", "").strip()


def labelled(field: forms.Field, message: Any) -> str:
    """`“培训人数”：应为整数` — a message that does not yet name the field, led by its label."""
    label, text = plain_label(field), str(message)
    return (
        text
        if not label or label in text
        else gettext("“%(label)s”：%(message)s")
        % {
            "label": label,
            "message": text,
        }
    )


def required_message(field: forms.Field) -> Any:
    """ "请填写“姓名”" / "请选择“镇街”" / "请上传“案例 CSV”": what to do, naming the field's label."""
    label = plain_label(field)
    if isinstance(field, forms.FileField):
        return gettext("请上传“%(label)s”") % {"label": label}
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return gettext("请选择“%(label)s”") % {"label": label}
    return gettext("请填写“%(label)s”") % {"label": label}
