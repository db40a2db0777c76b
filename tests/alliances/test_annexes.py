"""Annex 2 and Annex 3 as data: grouped by the seven categories in the official order, each subtotal
the sum of its rows, the total the sum of the subtotals — computed from the members, never typed."""

from __future__ import annotations

import datetime

from skillcity.alliances import annexes, services
from skillcity.alliances.selectors import memberships_of
from skillcity.core.periods import HalfYear
from skillcity.registry.models import STAFF_COUNT_FIELDS, OrganisationCategory

TODAY = datetime.date(2026, 11, 23)


def _check_sums(data):
    for group in data["groups"]:
        for field in data["fields"]:
            assert group["subtotal"][field] == sum(row[field] for row in group["rows"])
    for field in data["fields"]:
        assert data["total"][field] == sum(g["subtotal"][field] for g in data["groups"])


def test_annex2_groups_members_by_category_in_the_official_order(
    make_alliance, lead_enterprise, enterprise, training_institution, research_institute
):
    alliance = make_alliance()
    data = annexes.annex2_compute(memberships_of(alliance, current_only=True))
    assert [g["category"] for g in data["groups"]] == [value for value, _ in OrganisationCategory.choices]
    assert [g["label"] for g in data["groups"]] == [
        "企业",
        "职业院校",
        "技工院校",
        "职业培训机构",
        "科研机构",
        "行业协会",
        "其他",
    ]
    assert [g["number"] for g in data["groups"]] == ["一", "二", "三", "四", "五", "六", "七"]
    enterprises = data["groups"][0]
    assert [r["name"] for r in enterprises["rows"]] == sorted([lead_enterprise.name, enterprise.name])
    assert enterprises["subtotal"]["total_staff"] == lead_enterprise.total_staff + enterprise.total_staff
    assert data["total"]["total_staff"] == sum(
        o.total_staff for o in (lead_enterprise, enterprise, training_institution, research_institute)
    )
    assert data["fields"] == list(STAFF_COUNT_FIELDS)
    _check_sums(data)


def test_annex2_is_corrected_by_correcting_the_members_data(make_alliance, initiator_user, enterprise):
    alliance = make_alliance()
    membership = alliance.memberships.get(organisation=enterprise)
    services.member_annex1_update(
        membership=membership, data={"total_staff": 300, "general_workers": 200}, actor=initiator_user
    )
    data = annexes.annex2_compute(memberships_of(alliance, current_only=True))
    assert data["groups"][0]["subtotal"]["general_workers"] == 200 + 200  # lead 200 + corrected 200
    _check_sums(data)


def test_annex3_totals_equal_the_sum_of_the_member_lines(
    make_alliance, initiator_user, lead_enterprise, enterprise, research_institute
):
    alliance = make_alliance()
    report = services.report_create(
        alliance=alliance, period=HalfYear(2024, 1), actor=initiator_user, on=TODAY
    )
    services.report_lines_update(
        report=report,
        actor=initiator_user,
        lines={
            lead_enterprise.pk: {
                "trained": 120,
                "trained_level3": 30,
                "trained_level4": 50,
                "new_occupations": 1,
            },
            enterprise.pk: {"trained": 40, "trained_general": 10, "trained_special_ability": 5},
            research_institute.pk: {"trained": 15, "new_special_abilities": 2},
        },
    )
    data = annexes.annex3_compute(report.lines.select_related("organisation"), memberships_of(alliance))
    assert data["groups"][0]["subtotal"]["trained"] == 160
    assert data["groups"][4]["subtotal"]["trained"] == 15
    assert data["groups"][1]["label"] == "职业院校"  # the same label as in Annex 2
    assert data["total"]["trained"] == 175
    assert data["total"]["new_occupations"] == 1 and data["total"]["new_special_abilities"] == 2
    _check_sums(data)


def test_empty_categories_still_appear_with_zeros(make_alliance):
    data = annexes.annex2_compute(memberships_of(make_alliance(), current_only=True))
    technical_schools = data["groups"][2]
    assert technical_schools["rows"] == [] and set(technical_schools["subtotal"].values()) == {0}
