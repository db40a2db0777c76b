"""Forms for registry pages. They render fields and carry errors; cleaning and writing are done by
`registry.validation` and `registry.services`, shared with the API and imports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from skillcity.core.bounds import IsoDateField, headcount_field
from skillcity.core.errors import DomainError
from skillcity.registry.models import (
    STAFF_COUNT_FIELDS,
    Industry,
    Occupation,
    Organisation,
    OrganisationCategory,
    SkillLevel,
    SkillRecord,
    Town,
)
from skillcity.web.forms import LabelledErrorsMixin, labelled

_STAFF_LABELS = {f.name: f.verbose_name for f in Organisation._meta.fields if f.name in STAFF_COUNT_FIELDS}


class RegistryForm(LabelledErrorsMixin, forms.Form):
    """A form whose data goes to a service; a DomainError's `fields` become field errors, each naming
    the field's label."""

    def apply_error(self, error: DomainError) -> None:
        for name, message in error.fields.items():
            text = "；".join(map(str, message)) if isinstance(message, list | tuple) else str(message)
            if name in self.fields:
                self.add_error(name, labelled(self.fields[name], text))
            else:
                self.add_error(None, text)
        if not error.fields:
            self.add_error(None, str(error.message))
        self.mark_invalid()

    def _set_choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def payload(self) -> dict[str, Any]:
        return {name: self.data.get(name, "") for name in self.fields if name in self.data}


def keep_stored_number(form: forms.Form, name: str, masked: str) -> None:
    """Never render a stored full phone number into a form's value= (that would be an unaudited full
    view): the field starts empty and shows the masked number; left empty, the number is kept."""
    field = form.fields[name]
    field.widget.attrs["placeholder"] = (
        _("%(masked)s（留空则保持不变）") % {"masked": masked} if masked else ""
    )
    field.help_text = (
        _("已登记 %(masked)s；留空则保持原号码，填写则替换") % {"masked": masked} if masked else ""
    )
    form.initial.pop(name, None)


def drop_blank(data: dict[str, Any], name: str) -> dict[str, Any]:
    """`data` without `name` when it was left empty (see keep_stored_number)."""
    if not str(data.get(name) or "").strip():
        data.pop(name, None)
    return data


class WorkerForm(RegistryForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(
        label=_("身份证号码"), max_length=18, help_text=_("性别、出生日期由身份证号码自动识别")
    )
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    town = forms.ChoiceField(label=_("所在镇街"))
    employer = forms.CharField(label=_("工作单位统一社会信用代码"), max_length=18, required=False)
    highest_level = forms.ChoiceField(label=_("技能等级"), required=False)
    occupation = forms.ChoiceField(label=_("职业（工种）"), required=False)

    def __init__(self, *args: Any, town_locked: Town | None = None, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        towns = [town_locked] if town_locked else list(Town.objects.all())
        self._set_choices("town", [(t.code, t.name) for t in towns])
        if town_locked is not None:  # a town officer registers in their own town only
            self.fields["town"].disabled = True
            self.fields["town"].initial = town_locked.code
        self._set_choices("highest_level", [("", "—"), *[(str(v), label) for v, label in SkillLevel.choices]])
        self._set_choices(
            "occupation", [("", "—"), *[(o.code, str(o)) for o in Occupation.objects.filter(active=True)]]
        )
        if editing:
            self.fields["id_number"].disabled = True
            self.fields["id_number"].help_text = _("身份证号码登记后不能修改")
            del self.fields["highest_level"]
            del self.fields["occupation"]


class OrganisationForm(RegistryForm):
    name = forms.CharField(label=_("单位名称"), max_length=200)
    category = forms.ChoiceField(label=_("单位类别"), choices=OrganisationCategory.choices)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    town = forms.ChoiceField(label=_("所在镇街"))
    industry = forms.ChoiceField(label=_("所属产业"), required=False)
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=50, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    postcode = forms.CharField(label=_("邮编"), max_length=6, required=False)
    email = forms.CharField(label=_("电子邮箱"), max_length=254, required=False)
    contact_person = forms.CharField(label=_("联系人"), max_length=50, required=False)
    office_phone = forms.CharField(label=_("办公电话"), max_length=20, required=False)
    mobile = forms.CharField(label=_("手机"), max_length=20, required=False)
    fax = forms.CharField(label=_("传真"), max_length=20, required=False)

    def __init__(self, *args: Any, town_locked: Town | None = None, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        towns = [town_locked] if town_locked else list(Town.objects.all())
        self._set_choices("town", [(t.code, t.name) for t in towns])
        if town_locked is not None:  # a town officer registers in their own town only
            self.fields["town"].disabled = True
            self.fields["town"].initial = town_locked.code
        self._set_choices("industry", [("", "—"), *[(i.code, i.name) for i in Industry.objects.all()]])
        for name in STAFF_COUNT_FIELDS:
            self.fields[name] = headcount_field(_STAFF_LABELS[name], required=False, initial=0)
        self.fields["profile"] = forms.CharField(
            label=_("单位简介"), widget=forms.Textarea(attrs={"rows": 3}), required=False
        )
        if editing:
            self.fields["uscc"].disabled = True


def organisation_initial(organisation: Organisation) -> dict[str, Any]:
    initial = {
        name: getattr(organisation, name)
        for name in [
            "name",
            "category",
            "uscc",
            "legal_representative",
            "address",
            "postcode",
            "email",
            "contact_person",
            "office_phone",
            "mobile",
            "fax",
            "profile",
            *STAFF_COUNT_FIELDS,
        ]
    }
    initial["town"] = organisation.town.code
    initial["industry"] = organisation.industry.code if organisation.industry else ""
    return initial


class SkillRecordForm(RegistryForm):
    """A skill level, special ability, permit, title or honour added to a worker by an officer."""

    kind = forms.ChoiceField(label=_("类别"), choices=SkillRecord.Kind.choices)
    occupation = forms.ChoiceField(label=_("职业（工种）"), required=False)
    level = forms.ChoiceField(label=_("技能等级"), required=False)
    title_grade = forms.ChoiceField(
        label=_("职称级别"), required=False, choices=[("", "—"), *SkillRecord.TitleGrade.choices]
    )
    honour = forms.ChoiceField(
        label=_("称号"), required=False, choices=[("", "—"), *SkillRecord.Honour.choices]
    )
    name = forms.CharField(
        label=_("名称"), max_length=100, required=False, help_text=_("专项职业能力、特种作业或职称的名称")
    )
    obtained_on = IsoDateField(label=_("取得日期"), widget=forms.DateInput(attrs={"type": "date"}))
    certificate_number = forms.CharField(label=_("证书编号"), max_length=32, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._set_choices("level", [("", "—"), *[(str(v), label) for v, label in SkillLevel.choices]])
        self._set_choices(
            "occupation", [("", "—"), *[(o.code, str(o)) for o in Occupation.objects.filter(active=True)]]
        )

    def record_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for services.skill_record_add, from cleaned data."""
        data = self.cleaned_data
        code = data.get("occupation") or ""
        return {
            "kind": data["kind"],
            "occupation": Occupation.objects.filter(code=code).first() if code else None,
            "level": int(data["level"]) if data.get("level") else None,
            "title_grade": data.get("title_grade") or "",
            "honour": data.get("honour") or "",
            "name": data.get("name") or "",
            "obtained_on": data["obtained_on"],
            "certificate_number": data.get("certificate_number") or "",
        }
