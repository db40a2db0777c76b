"""Every rule of the catalog at its edges: caps, floors, thresholds, validity, bad facts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from skillcity.policy.engine import BadFacts, NotInForce, evaluate, list_rules

D = datetime.date
CATALOG_IDS = {
    "TRN-PROJECT", "TRN-UPSKILL", "TRN-PAYEE", "TRN-VOUCHER", "TRN-SHORTAGE", "TRN-SUBBASE-COURSE",
    "EDU-DEMO-MAJOR", "EDU-INTL-CLASS", "EDU-INTL-CERT", "EDU-MAJOR-BUILD", "EDU-GRAD-RETENTION", "EDU-BASE",
    "EDU-SOCIAL-TRAINING", "EDU-UPGRADE", "EDU-EQUIV",
    "CMP-HOST", "CMP-PRIZE-CITY", "CMP-TEAM", "CMP-CAMP", "CMP-MATCH", "CMP-WORLDSKILLS", "CMP-WORLDSKILLS-COACH",
    "CMP-WS-BASE", "CMP-TITLE", "CMP-CAMP-TRAINEE", "CMP-MATCH-COACH",
    "PLT-STUDIO", "PLT-STANDARD", "PLT-SUBBASE", "PLT-ALLIANCE", "PLT-EXPERTS",
    "CRT-ENT", "TAL-LEADING", "TAL-LEADING-EMPLOYER", "TAL-CARD", "TAL-HONOUR-SHARE",
}  # fmt: skip


def test_every_catalog_rule_is_listed_with_validity_sources_and_facts() -> None:
    rules = {r["id"]: r for r in list_rules()}
    assert set(rules) == CATALOG_IDS
    for r in rules.values():
        assert r["validity"], r["id"]
        assert r["sources"] and all(s["document"] and s["clause"] for s in r["sources"]), r["id"]


def out(rule: str, day: datetime.date, facts: dict[str, Any]) -> dict[str, Any]:
    return evaluate(rule, day, facts).as_dict()


Y24 = D(2024, 6, 1)
CASES: list[tuple[str, datetime.date, dict[str, Any], dict[str, Any]]] = [
    # TRN-PROJECT: cap 3000 per trainee per project, only when completed
    ("TRN-PROJECT", Y24, {"project_standard": "2999.99", "completed": True}, {"amount": "2999.99", "max": "3000.00", "basis": "cap"}),
    ("TRN-PROJECT", Y24, {"project_standard": "3000", "completed": True}, {"amount": "3000.00"}),
    ("TRN-PROJECT", Y24, {"project_standard": "3000.01", "completed": True}, {"amount": "3000.00"}),
    ("TRN-PROJECT", Y24, {"project_standard": 2500, "completed": False}, {"eligible": False, "amount": None}),
    # TRN-UPSKILL: ×1.3 only for shortage occupations at level 3 or higher (numbers ≤ 3)
    ("TRN-UPSKILL", Y24, {"certificate_kind": "skill_level", "level": 3, "in_shortage_catalog": True}, {"amount": "2600.00", "basis": "fixed", "payee": "worker"}),
    ("TRN-UPSKILL", Y24, {"certificate_kind": "skill_level", "level": 4, "in_shortage_catalog": True}, {"amount": "1500.00"}),
    ("TRN-UPSKILL", Y24, {"certificate_kind": "skill_level", "level": 1, "in_shortage_catalog": False}, {"amount": "3000.00"}),
    ("TRN-UPSKILL", Y24, {"certificate_kind": "special_ability", "in_shortage_catalog": True}, {"amount": "500.00"}),
    # TRN-PAYEE
    ("TRN-PAYEE", Y24, {"provider_kind": "enterprise", "trainee_is_provider_employee": True}, {"payee": "enterprise", "basis": "none"}),
    ("TRN-PAYEE", Y24, {"provider_kind": "institution", "trainee_is_provider_employee": False}, {"payee": "worker"}),
    ("TRN-PAYEE", D(2021, 3, 8), {"provider_kind": "institution", "trainee_is_provider_employee": False}, {"eligible": True}),
    # TRN-VOUCHER, TRN-SHORTAGE, TRN-SUBBASE-COURSE
    ("TRN-VOUCHER", Y24, {"course_cost": "800", "voucher_valid": True}, {"amount": "500.00", "basis": "cap"}),
    ("TRN-VOUCHER", Y24, {"course_cost": "300", "voucher_valid": True}, {"amount": "300.00"}),
    ("TRN-VOUCHER", Y24, {"course_cost": "300", "voucher_valid": False}, {"eligible": False}),
    ("TRN-SHORTAGE", Y24, {"occupation_code": "6-18-01-01", "catalog_occupation_codes": ["6-18-01-01"]}, {"eligible": True}),
    ("TRN-SHORTAGE", Y24, {"occupation_code": "6-18-01-02", "catalog_occupation_codes": ["6-18-01-01"]}, {"eligible": False}),
    ("TRN-SUBBASE-COURSE", Y24, {"course_category": "B", "accepted": True, "trainees": 30}, {"amount": "60000.00"}),
    ("TRN-SUBBASE-COURSE", Y24, {"course_category": "A", "accepted": False, "trainees": 30}, {"eligible": False}),
    # EDU
    ("EDU-DEMO-MAJOR", Y24, {"school_is_private": True, "major_is_demonstration": True, "students_year1": 40, "students_year2": 35, "students_year3": 30, "excluded_hs_advanced": 5}, {"amount": "20000.00", "payee": "school"}),
    ("EDU-DEMO-MAJOR", Y24, {"school_is_private": False, "major_is_demonstration": True, "students_year1": 40, "students_year2": 35, "students_year3": 30, "excluded_hs_advanced": 5}, {"eligible": False}),
    ("EDU-INTL-CLASS", Y24, {"international_class_students": 20, "actual_cost": "120000"}, {"amount": "100000.00", "max": "100000.00", "basis": "cap"}),
    ("EDU-INTL-CLASS", Y24, {"international_class_students": 20, "actual_cost": "80000"}, {"amount": "80000.00"}),
    ("EDU-INTL-CLASS", Y24, {"international_class_students": 20}, {"amount": "100000.00", "max": "100000.00", "basis": "cap"}),
    ("EDU-INTL-CLASS", D(2022, 5, 4), {"international_class_students": 20, "actual_cost": "80000"}, {"amount": "100000.00", "basis": "fixed"}),
    ("EDU-INTL-CLASS", D(2022, 5, 5), {"international_class_students": 20, "actual_cost": "80000"}, {"amount": "80000.00", "basis": "cap"}),
    ("EDU-INTL-CERT", Y24, {"obtained_international_certificate": True}, {"amount": "5000.00", "payee": "student"}),
    ("EDU-MAJOR-BUILD", Y24, {"industry_fit": "strategic_emerging", "requested": "600000", "already_funded": False}, {"amount": "500000.00"}),
    ("EDU-MAJOR-BUILD", Y24, {"industry_fit": "five_pillars_four_specialties", "requested": "250000", "already_funded": False}, {"amount": "250000.00", "max": "300000.00"}),
    ("EDU-MAJOR-BUILD", Y24, {"industry_fit": "strategic_emerging", "requested": "100", "already_funded": True}, {"eligible": False}),
    ("EDU-BASE", Y24, {"recognised": True}, {"amount": "1000000.00"}),
    ("EDU-SOCIAL-TRAINING", Y24, {"income": "100000", "costs": "40000"}, {"amount": "36000.00"}),
    ("EDU-SOCIAL-TRAINING", Y24, {"income": "100000", "costs": "140000"}, {"eligible": False, "basis": "none", "amount": None}),
    ("EDU-UPGRADE", Y24, {"achievement": "national_title"}, {"basis": "case_by_case", "amount": None}),
    ("EDU-EQUIV", Y24, {"class_type": "advanced"}, {"equivalent": "大专", "basis": "none"}),
    # CMP
    ("CMP-HOST", Y24, {"competition_level": "city_class1"}, {"basis": "floor", "amount": "200000.00", "min": "200000.00"}),
    ("CMP-HOST", Y24, {"competition_level": "city_selection"}, {"amount": "30000.00"}),
    ("CMP-HOST", Y24, {"competition_level": "provincial_class1"}, {"amount": "400000.00"}),
    ("CMP-HOST", Y24, {"competition_level": "national_class2"}, {"basis": "case_by_case", "amount": None}),
    ("CMP-HOST", Y24, {"competition_level": "worldskills"}, {"eligible": False}),
    ("CMP-PRIZE-CITY", Y24, {"competition_level": "city_class1", "award": "excellence"}, {"amount": "1000.00", "basis": "floor"}),
    ("CMP-PRIZE-CITY", Y24, {"competition_level": "city_class2", "award": "gold"}, {"eligible": False}),
    ("CMP-TEAM", D(2022, 12, 31), {"competition_level": "provincial_class2"}, {"basis": "range", "min": "30000.00", "max": "50000.00"}),
    ("CMP-TEAM", D(2023, 1, 1), {"competition_level": "provincial_class2"}, {"basis": "cap", "max": "120000.00", "min": None}),
    ("CMP-TEAM", Y24, {"competition_level": "city_class1"}, {"eligible": False}),
    ("CMP-CAMP", Y24, {"competition_level": "national_class1"}, {"min": "50000.00", "max": "80000.00"}),
    ("CMP-MATCH", Y24, {"competition_level": "national_class1", "contest_prize_money": "20000"}, {"basis": "matched", "amount": "20000.00"}),
    ("CMP-MATCH", Y24, {"competition_level": "national_class1", "contest_prize_money": "900000"}, {"amount": "750000.00"}),
    ("CMP-MATCH", D(2022, 6, 1), {"competition_level": "national_class1", "contest_prize_money": "900000"}, {"amount": "900000.00"}),
    ("CMP-MATCH", Y24, {"competition_level": "provincial_class1", "contest_prize_money": "0"}, {"basis": "fixed", "amount": "20000.00"}),
    ("CMP-WORLDSKILLS", Y24, {"medal": "gold", "contest_prize_money": "0"}, {"amount": "500000.00", "basis": "fixed"}),
    ("CMP-WORLDSKILLS", Y24, {"medal": "bronze", "contest_prize_money": "80000"}, {"amount": "80000.00", "basis": "matched"}),
    ("CMP-WORLDSKILLS-COACH", Y24, {"players_awards_total": "800000"}, {"amount": "1200000.00", "payee": "coach"}),
    ("CMP-WS-BASE", Y24, {"selection_level": "provincial"}, {"amount": "300000.00"}),
    # CMP-CAMP-TRAINEE: months × the monthly allowance (a demo value), to the trainee
    ("CMP-CAMP-TRAINEE", Y24, {"camp_months": 4}, {"basis": "fixed", "amount": "12000.00", "payee": "trainee"}),
    # CMP-MATCH-COACH: the player's award × share; from 2023 the player and the team share the 750,000 cap
    ("CMP-MATCH-COACH", Y24, {"players_award": "20000"}, {"basis": "matched", "amount": "10000.00", "payee": "coach"}),
    ("CMP-MATCH-COACH", Y24, {"players_award": "600000"}, {"amount": "150000.00"}),
    ("CMP-MATCH-COACH", Y24, {"players_award": "750000"}, {"eligible": False, "basis": "none"}),
    ("CMP-MATCH-COACH", D(2022, 6, 1), {"players_award": "900000"}, {"amount": "450000.00"}),
    ("CMP-TITLE", Y24, {"competition_level": "city_class1", "rank": 3}, {"eligible": True}),
    ("CMP-TITLE", Y24, {"competition_level": "city_class1", "rank": 4}, {"eligible": False}),
    # PLT
    ("PLT-STUDIO", Y24, {"recognition": "new_city", "requested": "600000"}, {"amount": "500000.00", "basis": "cap"}),
    ("PLT-STUDIO", Y24, {"recognition": "national"}, {"amount": "300000.00", "basis": "fixed"}),
    ("PLT-STANDARD", D(2022, 12, 31), {"requested": "60000"}, {"basis": "range", "min": "20000.00", "max": "50000.00"}),
    ("PLT-STANDARD", D(2023, 1, 1), {"requested": "250000"}, {"basis": "cap", "amount": "200000.00"}),
    ("PLT-SUBBASE", Y24, {"recognised": True, "new_courses_this_year": 5}, {"eligible": True}),
    ("PLT-SUBBASE", Y24, {"recognised": True, "new_courses_this_year": 4}, {"eligible": False}),
    ("PLT-ALLIANCE", D(2021, 12, 31), {"initiators": 1, "training_units": 1, "research_institutes": 0, "enterprises": 3, "charter_signed": True}, {"eligible": False}),
    ("PLT-EXPERTS", Y24, {"sector_count": 10}, {"eligible": True}),
    # TAL
    ("TAL-LEADING-EMPLOYER", Y24, {"requested": "500000", "already_received_this_year": "700000"}, {"amount": "300000.00", "max": "300000.00"}),
    ("TAL-LEADING-EMPLOYER", Y24, {"requested": "1", "already_received_this_year": "1000000"}, {"eligible": False}),
    ("TAL-CARD", Y24, {"titles": [], "studio_lead_level": None, "highest_skill_level": 2}, {"eligible": True}),
    ("TAL-CARD", Y24, {"titles": [], "studio_lead_level": None, "highest_skill_level": 3}, {"eligible": False}),
    ("TAL-CARD", Y24, {"titles": ["chief_technician"]}, {"eligible": True}),
    ("TAL-HONOUR-SHARE", Y24, {"winners_total": 50, "skilled_winners": 10}, {"eligible": True}),
    ("TAL-HONOUR-SHARE", Y24, {"winners_total": 50, "skilled_winners": 9}, {"eligible": False}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rule", "day", "facts", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_rule_edges(rule: str, day: datetime.date, facts: dict[str, Any], expected: dict[str, Any]) -> None:
    outcome = out(rule, day, facts)
    for key, value in expected.items():
        assert outcome[key] == value, (key, outcome)
    assert outcome["reasons"], "every outcome explains itself"
    assert outcome["sources"], "every outcome cites its clause"


GRAD = {
    "school_is_private": True,
    "major_fits_industry": True,
    "graduation_date": "2023-07-01",
    "employment_start": "2024-07-01",
    "employer_in_dongguan": True,
    "same_employer_continuous_insured_months": 6,
}


def test_grad_retention_counts_six_months_and_one_year() -> None:
    assert out("EDU-GRAD-RETENTION", Y24, GRAD)["amount"] == "1000.00"  # 366th day = 1 year later: in
    assert (
        out("EDU-GRAD-RETENTION", Y24, GRAD | {"same_employer_continuous_insured_months": 5})["eligible"]
        is False
    )
    late = out("EDU-GRAD-RETENTION", Y24, GRAD | {"employment_start": "2024-07-02"})
    assert late["eligible"] is False and "超过毕业后1年" in late["reasons"][0]
    # Begun in the month of graduation: after it. Begun before that month: a job held already, not found.
    assert out("EDU-GRAD-RETENTION", Y24, GRAD | {"employment_start": "2023-07-01"})["eligible"] is True
    early = out("EDU-GRAD-RETENTION", Y24, GRAD | {"employment_start": "2023-06-30"})
    assert early["eligible"] is False and "早于毕业当月" in early["reasons"][0]
    years_before = out("EDU-GRAD-RETENTION", Y24, GRAD | {"employment_start": "2020-03-01"})
    assert years_before["eligible"] is False


def crt(**kw: Any) -> dict[str, Any]:
    base = dict(filed_and_certifying=False, qbank_filed=False, shortage_certification=False, year_new_certificates=0,
                year_new_certificates_level2_or_higher=0, provincial_social_org=False, already_received="0")  # fmt: skip
    return out("CRT-ENT", Y24, base | kw)


def test_crt_ent_volume_needs_both_thresholds_in_one_year() -> None:
    assert (
        crt(year_new_certificates=1000, year_new_certificates_level2_or_higher=100)["amount"] == "100000.00"
    )
    assert crt(year_new_certificates=999, year_new_certificates_level2_or_higher=100)["eligible"] is False
    assert crt(year_new_certificates=1000, year_new_certificates_level2_or_higher=99)["eligible"] is False


def test_crt_ent_components_and_total_cap_with_already_received() -> None:
    everything = crt(filed_and_certifying=True, qbank_filed=True, shortage_certification=True,
                     year_new_certificates=1000, year_new_certificates_level2_or_higher=100, provincial_social_org=True)  # fmt: skip
    assert [c["id"] for c in everything["components"]] == [
        "CRT-ENT-FILING", "CRT-ENT-QBANK", "CRT-ENT-SHORTAGE", "CRT-ENT-VOLUME", "CRT-ENT-SOCIAL-ORG",
    ]  # fmt: skip
    assert (everything["basis"], everything["min"], everything["max"]) == ("range", "690000.00", "850000.00")
    capped = crt(filed_and_certifying=True, provincial_social_org=True, already_received="500000")
    # The cap trims 550,000 to what is left: the basis says so.
    assert (capped["basis"], capped["amount"], capped["min"], capped["max"]) == ("cap", *["350000.00"] * 3)
    exhausted = crt(filed_and_certifying=True, already_received="850000")
    assert exhausted["eligible"] is False


def test_crt_ent_before_d003_has_no_total_cap() -> None:
    o = evaluate("CRT-ENT", D(2022, 6, 1), {"filed_and_certifying": True, "qbank_filed": False,
                 "shortage_certification": False, "year_new_certificates": 0, "year_new_certificates_level2_or_higher": 0,
                 "provincial_social_org": True, "already_received": "850000"})  # fmt: skip
    assert o.amount is not None and str(o.amount) == "550000.00"


def test_tal_leading_gives_three_ranges() -> None:
    o = out("TAL-LEADING", Y24, {})
    assert o["ranges"]["monthly_rent"] == {"min": "2000.00", "max": "5000.00"}
    assert o["ranges"]["home_purchase"] == {"min": "1000000.00", "max": "6000000.00"}


@pytest.mark.parametrize(
    ("rule", "first", "last", "facts"),
    [
        ("TRN-PROJECT", D(2022, 1, 1), D(2025, 12, 31), {"project_standard": "1", "completed": True}),
        ("EDU-DEMO-MAJOR", D(2022, 5, 5), D(2025, 12, 31), {"school_is_private": True, "major_is_demonstration": True,
         "students_year1": 1, "students_year2": 0, "students_year3": 0, "excluded_hs_advanced": 0}),
        ("PLT-ALLIANCE", D(2019, 7, 10), D(2021, 12, 31), {"initiators": 1, "training_units": 1,
         "research_institutes": 1, "enterprises": 1, "charter_signed": True}),
        ("TRN-PAYEE", D(2021, 3, 8), D(2025, 12, 31), {"provider_kind": "enterprise", "trainee_is_provider_employee": True}),
    ],
)  # fmt: skip
def test_first_and_last_day_of_validity(
    rule: str, first: datetime.date, last: datetime.date, facts: dict[str, Any]
) -> None:
    assert evaluate(rule, first, facts).eligible
    assert evaluate(rule, last, facts).eligible
    for outside in (first - datetime.timedelta(days=1), last + datetime.timedelta(days=1)):
        with pytest.raises(NotInForce) as err:
            evaluate(rule, outside, facts)
        assert err.value.status == 409 and err.value.code == "not_in_force"


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"project_standard": "3000"}, "completed"),
        ({"project_standard": "3000", "completed": "yes"}, "completed"),
        ({"project_standard": "abc", "completed": True}, "project_standard"),
        ({"project_standard": "-1", "completed": True}, "project_standard"),
        ({"project_standard": "1.001", "completed": True}, "project_standard"),
        ({"project_standard": float("nan"), "completed": True}, "project_standard"),
        ({"project_standard": True, "completed": True}, "project_standard"),
        ({"project_standard": "1", "completed": True, "complete": True}, "complete"),
    ],
)
def test_bad_facts_are_refused_naming_the_fact(facts: dict[str, Any], field: str) -> None:
    with pytest.raises(BadFacts) as err:
        evaluate("TRN-PROJECT", Y24, facts)
    assert field in err.value.fields and err.value.status == 422


def test_out_of_range_level_and_unknown_choice_and_unknown_rule() -> None:
    with pytest.raises(BadFacts) as err:
        evaluate(
            "TRN-UPSKILL", Y24, {"certificate_kind": "skill_level", "level": 6, "in_shortage_catalog": False}
        )
    assert "level" in err.value.fields
    with pytest.raises(BadFacts) as err:
        evaluate(
            "TRN-UPSKILL", Y24, {"certificate_kind": "diploma", "level": None, "in_shortage_catalog": False}
        )
    assert "certificate_kind" in err.value.fields
    with pytest.raises(BadFacts) as err:
        evaluate("TRN-UPSKILL", Y24, {"certificate_kind": "skill_level", "in_shortage_catalog": False})
    assert "level" in err.value.fields
    with pytest.raises(BadFacts) as err:
        evaluate("TRN-NOPE", Y24, {})
    assert err.value.code == "unknown_rule"


def test_trace_names_parameter_date_and_clause_and_marks_demo_values() -> None:
    o = out("TRN-UPSKILL", Y24, {"certificate_kind": "skill_level", "level": 3, "in_shortage_catalog": True})
    step = o["trace"][0]
    assert step["parameter"] == "TRN-UPSKILL.level3"
    assert step["effective_from"] == "2022-01-01"
    assert step["source"] == {"document": "D002", "clause": "第8条"}
    assert any("演示值" in a for a in o["assumptions"])
    assert any("征求意见稿" in a for a in o["assumptions"])  # D002's undated validity is an assumption


def test_event_date_in_the_facts_is_accepted_when_it_agrees_and_refused_otherwise() -> None:
    facts = {"project_standard": "100", "completed": True}
    assert evaluate("TRN-PROJECT", Y24, facts | {"event_date": "2024-06-01"}).amount is not None
    with pytest.raises(BadFacts) as err:
        evaluate("TRN-PROJECT", Y24, facts | {"event_date": "2024-06-02"})
    assert "event_date" in err.value.fields


def test_upskill_accepts_the_occupation_code_for_the_record() -> None:
    facts = {
        "certificate_kind": "skill_level",
        "level": 5,
        "in_shortage_catalog": False,
        "occupation_code": "6-18-01-01",
    }
    assert evaluate("TRN-UPSKILL", Y24, facts).amount is not None
