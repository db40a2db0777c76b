"""Annex 2 and Annex 3 as data: one row per member, grouped by the seven categories in the official
order, a subtotal per category and a grand total — always computed from the rows, never typed.

Annex 2 (基本情况表) takes the members' current Annex 1 counts; a submitted report keeps the result
as its snapshot. Annex 3 (工作进展情况表) takes the report's lines. The same structure feeds the
pages, the API and the .xlsx downloads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from skillcity.alliances.models import (
    ANNEX3_ENTERED_FIELDS,
    ANNEX3_FIELDS,
    ANNEX3_LEVEL_FIELDS,
    Membership,
    ReportLine,
)
from skillcity.core.bounds import parse_headcount
from skillcity.core.periods import HalfYear
from skillcity.registry.models import STAFF_COUNT_FIELDS, OrganisationCategory

CHINESE_NUMERALS = ["一", "二", "三", "四", "五", "六", "七"]
# D000's printed forms name one category differently (Annex 3 says 职业技术院校, Annex 2 职业院校); the
# platform uses its own label for a category in every annex, so one organisation reads the same in both.
ANNEX2_CATEGORY_LABELS = {value: str(label) for value, label in OrganisationCategory.choices}
ANNEX3_CATEGORY_LABELS = ANNEX2_CATEGORY_LABELS

ANNEX2_FIELDS = list(STAFF_COUNT_FIELDS)
ANNEX2_LABELS = {
    "total_staff": "职工总数",
    "managers": "管理人员",
    "title_senior": "高级",
    "title_intermediate": "中级",
    "title_junior": "初级",
    "level1_count": "高级技师",
    "level2_count": "技师",
    "level3_count": "高级工",
    "level4_count": "中级工",
    "level5_count": "初级工",
    "special_ability_count": "专项职业能力",
    "general_workers": "普工",
}
ANNEX3_LABELS = {
    "trained": "当期培训",
    "trained_general": "普工",
    "trained_level1": "高级技师",
    "trained_level2": "技师",
    "trained_level3": "高级工",
    "trained_level4": "中级工",
    "trained_level5": "初级工",
    "trained_special_ability": "专项职业能力",
    "new_occupations": "当期申报新职业（工种）",
    "new_special_abilities": "当期申报专项职业能力",
    "members_joined": "当期加盟成员单位",
}


def members_in_period(memberships: Iterable[Membership], period: HalfYear) -> list[Membership]:
    """Members at some time during the half year (joined by its end, not left before its start)."""
    return [
        m
        for m in memberships
        if m.joined_on <= period.end and (m.left_on is None or m.left_on >= period.start)
    ]


def _grouped(rows: Sequence[dict[str, Any]], fields: list[str], labels: dict[str, str]) -> dict[str, Any]:
    groups = []
    total = dict.fromkeys(fields, 0)
    for i, (category, _label) in enumerate(OrganisationCategory.choices):
        members = sorted(
            (r for r in rows if r["category"] == category),
            key=lambda r: (r["role"] != "initiator", r["name"]),
        )
        subtotal = {f: sum(int(r[f]) for r in members) for f in fields}
        for f in fields:
            total[f] += subtotal[f]
        groups.append(
            {
                "category": category,
                "number": CHINESE_NUMERALS[i],
                "label": labels[category],
                "subtotal": subtotal,
                "rows": [{**r, "seq": n} for n, r in enumerate(members, start=1)],
            }
        )
    return {"fields": fields, "total": total, "groups": groups}


def annex2_compute(memberships: Iterable[Membership]) -> dict[str, Any]:
    """Annex 2 from the members' current Annex 1 counts (the organisations' own records)."""
    rows = []
    for m in memberships:
        o = m.organisation
        rows.append(
            {
                "organisation_id": o.pk,
                "name": o.name,
                "uscc": o.uscc,
                "category": o.category,
                "role": m.role,
                "is_lead": m.is_lead,
                **{f: int(getattr(o, f)) for f in ANNEX2_FIELDS},
            }
        )
    return _grouped(rows, ANNEX2_FIELDS, ANNEX2_CATEGORY_LABELS)


def annex3_compute(lines: Iterable[ReportLine], memberships: Iterable[Membership]) -> dict[str, Any]:
    """Annex 3 from the report's lines; each line's category and role come from its membership."""
    by_org = {m.organisation_id: m for m in memberships}
    rows = []
    for line in lines:
        m = by_org.get(line.organisation_id)
        o = line.organisation
        rows.append(
            {
                "organisation_id": o.pk,
                "name": o.name,
                "uscc": o.uscc,
                "category": o.category,
                "role": m.role if m else "member",
                "is_lead": bool(m and m.is_lead),
                **{f: int(getattr(line, f)) for f in ANNEX3_FIELDS},
            }
        )
    return _grouped(rows, list(ANNEX3_FIELDS), ANNEX3_CATEGORY_LABELS)


def member_list(memberships: Iterable[Membership]) -> list[dict[str, Any]]:
    """The member list the initiator reports with each half year (D000 二(七))."""
    return [
        {
            "organisation_id": m.organisation_id,
            "name": m.organisation.name,
            "uscc": m.organisation.uscc,
            "category": m.organisation.category,
            "role": m.role,
            "is_lead": m.is_lead,
            "joined_on": m.joined_on.isoformat(),
            "left_on": m.left_on.isoformat() if m.left_on else None,
        }
        for m in sorted(memberships, key=lambda m: (m.role != "initiator", m.organisation.name))
    ]


# Annex 1 (成员单位登记表): the member's own registry fields it fills, in the form's order.
ANNEX1_CONTACT_FIELDS = [
    "address",
    "postcode",
    "email",
    "legal_representative",
    "contact_person",
    "office_phone",
    "mobile",
    "fax",
]
ANNEX1_FIELDS = [*ANNEX1_CONTACT_FIELDS, *STAFF_COUNT_FIELDS, "profile"]


def clean_annex3_values(raw: Mapping[str, Any]) -> tuple[dict[str, int], dict[str, str]]:
    """One member's Annex 3 figures: whole numbers ≥ 0, the level columns within 当期培训."""
    values: dict[str, int] = {}
    errors: dict[str, str] = {}
    for name in ANNEX3_ENTERED_FIELDS:
        value = raw.get(name, 0)
        if value is None or str(value).strip() == "":
            values[name] = 0
            continue
        try:
            values[name] = parse_headcount(value)
        except ValueError as exc:
            errors[name] = str(exc)
    if not errors:
        levels = sum(values[n] for n in ANNEX3_LEVEL_FIELDS)
        if levels > values["trained"]:
            errors["trained"] = f"各等级培训人数之和（{levels}）不能超过当期培训人数（{values['trained']}）"
    return values, errors
