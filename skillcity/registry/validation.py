"""Field-by-field validation of registry input, shared by services, forms, the API and imports.

Each cleaner takes raw values (as typed in a form, sent as JSON or read from a spreadsheet cell)
and returns clean values or a dict {field: message}; nothing here writes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email

from skillcity.core.bounds import by_id, parse_headcount, shown_value, text_length_errors
from skillcity.core.validators import parse_resident_id, validate_phone, validate_uscc
from skillcity.registry.models import (
    STAFF_COUNT_FIELDS,
    STAFF_LEVEL_FIELDS,
    STAFF_TITLE_FIELDS,
    Industry,
    Occupation,
    Organisation,
    OrganisationCategory,
    SkillLevel,
    Town,
    Worker,
)


@dataclass
class Cleaned:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():  # spreadsheets hand numbers over as floats
        raw = int(raw)
    return str(raw).strip()


def _choice(raw: Any, choices: type[Any]) -> str | None:
    """Accept a code ('technical_school') or its Chinese label ('技工院校')."""
    text = _text(raw)
    for value, label in choices.choices:
        if text in (str(value), str(label)):
            return str(value)
    return None


class ReferenceCache:
    """Towns, industries and occupations by code and name, loaded once per import (no query per row)."""

    def __init__(self) -> None:
        self.towns = {}
        for town in Town.objects.all():
            self.towns[town.code] = town
            self.towns[town.name] = town
        self.industries = {}
        for industry in Industry.objects.all():
            self.industries[industry.code] = industry
            self.industries[industry.name] = industry
        self.occupations = {o.code: o for o in Occupation.objects.all()}


def _count(cleaned: Cleaned, data: Mapping[str, Any], name: str) -> None:
    text = _text(data.get(name, ""))
    if text == "":
        cleaned.values[name] = 0
        return
    try:
        cleaned.values[name] = parse_headcount(text)
    except ValueError as exc:
        cleaned.fail(name, str(exc))


def check_staff_counts(values: Mapping[str, int]) -> dict[str, str]:
    """Annex 1: the parts cannot exceed the total staff (职工总数)."""
    errors: dict[str, str] = {}
    total = values.get("total_staff", 0)
    if values.get("managers", 0) > total:
        errors["managers"] = f"管理人员（{values['managers']}）不能超过职工总数（{total}）"
    titles = sum(values.get(n, 0) for n in STAFF_TITLE_FIELDS)
    if titles > total:
        errors["title_senior"] = f"各级职称人数之和（{titles}）不能超过职工总数（{total}）"
    levels = sum(values.get(n, 0) for n in [*STAFF_LEVEL_FIELDS, "general_workers"])
    if levels > total:
        errors["general_workers"] = (
            f"各技能等级、专项能力与普工人数之和（{levels}）不能超过职工总数（{total}）"
        )
    return errors


def _check_lengths(cleaned: Cleaned, model: Any) -> None:
    for name, message in text_length_errors(model, cleaned.values).items():
        cleaned.values.pop(name, None)
        cleaned.fail(name, message)


def clean_organisation(
    data: Mapping[str, Any],
    *,
    refs: ReferenceCache,
    instance: Organisation | None = None,
    partial: bool = False,
) -> Cleaned:
    cleaned = Cleaned()

    def given(name: str) -> bool:
        return not partial or name in data

    if given("name"):
        name = _text(data.get("name"))
        if not name:
            cleaned.fail("name", "必填")
        elif len(name) > 200:
            cleaned.fail("name", "不能超过200个字符")
        else:
            cleaned.values["name"] = name
    if given("category"):
        category = _choice(data.get("category"), OrganisationCategory)
        if category is None:
            cleaned.fail(
                "category",
                "应为以下之一：" + "、".join(str(label) for _, label in OrganisationCategory.choices),
            )
        else:
            cleaned.values["category"] = category
    if given("uscc"):
        try:
            uscc = validate_uscc(_text(data.get("uscc")))
        except ValueError as exc:
            cleaned.fail("uscc", str(exc))
        else:
            clash = Organisation.objects.filter(uscc=uscc)
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            if clash.exists():
                cleaned.fail("uscc", f"统一社会信用代码 {uscc} 已登记")
            else:
                cleaned.values["uscc"] = uscc
    if given("town"):
        town = refs.towns.get(_text(data.get("town")))
        if town is None:
            cleaned.fail("town", f"未知镇街“{shown_value(_text(data.get('town')))}”")
        else:
            cleaned.values["town"] = town
    if given("industry"):
        text = _text(data.get("industry"))
        if text:
            industry = refs.industries.get(text)
            if industry is None:
                cleaned.fail("industry", f"未知产业“{shown_value(text)}”")
            else:
                cleaned.values["industry"] = industry
        else:
            cleaned.values["industry"] = None
    for name in ("legal_representative", "address", "contact_person", "profile"):
        if given(name):
            cleaned.values[name] = _text(data.get(name))
    if given("postcode"):
        postcode = _text(data.get("postcode"))
        if postcode and not re.fullmatch(r"\d{6}", postcode):
            cleaned.fail("postcode", "邮编应为6位数字")
        else:
            cleaned.values["postcode"] = postcode
    if given("email"):
        email = _text(data.get("email"))
        try:
            if email:
                validate_email(email)
            cleaned.values["email"] = email
        except DjangoValidationError:
            cleaned.fail("email", "电子邮箱格式无效")
    for name, mobile_only in (("office_phone", False), ("mobile", True), ("fax", False)):
        if given(name):
            text = _text(data.get(name))
            if not text:
                cleaned.values[name] = ""
                continue
            try:
                cleaned.values[name] = validate_phone(text, mobile_only=mobile_only)
            except ValueError as exc:
                cleaned.fail(name, str(exc))
    for name in STAFF_COUNT_FIELDS:
        if given(name):
            _count(cleaned, data, name)
    counts = {
        n: cleaned.values.get(n, getattr(instance, n, 0) if instance else 0) for n in STAFF_COUNT_FIELDS
    }
    for name, message in check_staff_counts(counts).items():
        cleaned.fail(name, message)
    _check_lengths(cleaned, Organisation)
    return cleaned


def clean_worker(
    data: Mapping[str, Any],
    *,
    refs: ReferenceCache,
    instance: Worker | None = None,
    partial: bool = False,
    employers: Mapping[str, Organisation] | None = None,
) -> Cleaned:
    cleaned = Cleaned()

    def given(name: str) -> bool:
        return not partial or name in data

    if given("name"):
        name = _text(data.get("name"))
        if not name:
            cleaned.fail("name", "必填")
        elif len(name) > 50:
            cleaned.fail("name", "不能超过50个字符")
        else:
            cleaned.values["name"] = name
    if given("id_number") and instance is None:
        try:
            rid = parse_resident_id(_text(data.get("id_number")))
        except ValueError as exc:
            cleaned.fail("id_number", str(exc))
        else:
            if Worker.objects.filter(id_number=rid.number).exists():
                cleaned.fail("id_number", "该身份证号码已登记")
            else:
                cleaned.values.update(id_number=rid.number, gender=rid.gender, birth_date=rid.birth_date)
    elif (
        instance is not None
        and "id_number" in data
        and _text(data.get("id_number")) not in ("", instance.id_number)
    ):
        cleaned.fail("id_number", "身份证号码登记后不能修改")
    if given("phone"):
        text = _text(data.get("phone"))
        if text:
            try:
                cleaned.values["phone"] = validate_phone(text, mobile_only=True)
            except ValueError as exc:
                cleaned.fail("phone", str(exc))
        else:
            cleaned.values["phone"] = ""
    if given("town"):
        town = refs.towns.get(_text(data.get("town")))
        if town is None:
            cleaned.fail("town", f"未知镇街“{shown_value(_text(data.get('town')))}”")
        else:
            cleaned.values["town"] = town
    if given("employer"):
        text = _text(data.get("employer"))
        if not text:
            cleaned.values["employer"] = None
        else:
            employer = (employers or {}).get(text) if employers is not None else None
            if employer is None and employers is None:
                employer = Organisation.objects.filter(uscc=text.upper()).first()
                if employer is None:
                    employer = by_id(Organisation, text)
            if employer is None:
                cleaned.fail("employer", f"未找到统一社会信用代码为“{shown_value(text)}”的单位")
            else:
                cleaned.values["employer"] = employer
    if given("highest_level"):
        text = _text(data.get("highest_level"))
        if not text:
            cleaned.values["highest_level"] = None
        else:
            level = None
            for value, label in SkillLevel.choices:
                if text in (str(value), str(label), str(label).split("/")[-1]):
                    level = int(value)
            if level is None:
                cleaned.fail("highest_level", "技能等级应为1-5或“三级/高级工”等")
            else:
                cleaned.values["highest_level"] = level
    if given("occupation"):
        text = _text(data.get("occupation"))
        if text:
            occupation = refs.occupations.get(text)
            if occupation is None:
                cleaned.fail("occupation", f"未知职业编码“{shown_value(text)}”")
            else:
                cleaned.values["occupation"] = occupation
        elif cleaned.values.get("highest_level") and instance is None:
            cleaned.fail("occupation", "填写技能等级时须同时填写职业编码")
    return cleaned
