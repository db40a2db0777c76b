"""The findings of the independent review against the seeds (issue 12 §11), each held by a test."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from skillcity.policy import params as P
from skillcity.policy.engine import BadFacts, evaluate


@pytest.mark.parametrize(
    ("rule_id", "facts", "named"),
    [
        ("TRN-UPSKILL", {"certificate_kind": "special_ability", "level": 3, "in_shortage_catalog": False}, "level"),
        ("TRN-UPSKILL", {"certificate_kind": "skill_level", "in_shortage_catalog": False}, "level"),
        ("TAL-HONOUR-SHARE", {"winners_total": 1, "skilled_winners": 2}, "skilled_winners"),
        ("EDU-DEMO-MAJOR", {"school_is_private": False, "major_is_demonstration": True, "students_year1": 1,
                            "students_year2": 0, "students_year3": 0, "excluded_hs_advanced": 5}, "excluded_hs_advanced"),
    ],
)  # fmt: skip
def test_every_rule_checks_its_facts_before_its_validity(rule_id, facts, named):
    # 2021-06-01 is before every one of these rules is in force: bad facts are still bad input (exit 2),
    # not "not in force" (exit 3).
    with pytest.raises(BadFacts) as err:
        evaluate(rule_id, "2021-06-01", facts)
    assert named in err.value.fields


def _version(name: str, day: str) -> Any:
    return P.parameters()[name].version_on(datetime.date.fromisoformat(day))


def test_plt_studio_from_2023_quotes_the_clause_it_cites():
    # D003 §一(二)一 is the master-studio paragraph of the status report; "每年新增 50 家以上…" stands in
    # §四(三)一 (the plans) and must not be quoted under §一(二)一.
    version = _version("PLT-STUDIO.new_city_cap", "2023-06-01")
    assert (version.document, version.clause) == ("D003", "§一(二)一")
    assert "每家最高给予 50 万元补贴" in version.text and "每年新增" not in version.text
    outcome = evaluate("PLT-STUDIO", "2023-06-01", {"recognition": "new_city"})
    assert {"document": "D003", "clause": "§一(二)一"} in [step.get("source") for step in outcome.trace]


def test_edu_base_pays_d002s_million_per_base_through_2025_and_cites_d003_only_for_the_fund():
    for day in ("2022-06-01", "2023-06-01", "2025-12-31"):
        version = _version("EDU-BASE.per_base", day)
        assert (version.value, version.document, version.clause) == (Decimal("1000000"), "D002", "第4条")
    fund = _version("EDU-BASE.fund", "2024-01-01")
    assert (fund.value, fund.document, fund.clause) == (Decimal("25000000"), "D003", "§二(一)")
    assert "2500 万元" in fund.text
    outcome = evaluate("EDU-BASE", "2024-01-01", {"recognised": True})
    assert outcome.amount == Decimal("1000000.00")
    per_base = next(s for s in outcome.trace if s["parameter"] == "EDU-BASE.per_base")
    assert per_base["source"] == {"document": "D002", "clause": "第4条"}


CRT = {
    "filed_and_certifying": True, "qbank_filed": False, "shortage_certification": False,
    "year_new_certificates": 10, "year_new_certificates_level2_or_higher": 1, "provincial_social_org": False,
    "already_received": "0",
}  # fmt: skip


@pytest.mark.parametrize("day", ["2022-06-01", "2024-06-01"])
def test_crt_ent_gives_min_and_max_equal_to_the_amount_when_every_component_is_fixed(day):
    outcome = evaluate("CRT-ENT", day, CRT)
    assert (outcome.basis, outcome.amount, outcome.min, outcome.max) == ("fixed", *[Decimal("50000.00")] * 3)


def test_crt_ent_says_when_the_850000_cap_trims_the_total():
    fixed = evaluate(
        "CRT-ENT", "2024-06-01", {**CRT, "provincial_social_org": True, "already_received": "400000"}
    )
    # 50,000 + 500,000 = 550,000 > 450,000 left of the 850,000 cap.
    assert (fixed.basis, fixed.amount, fixed.min, fixed.max) == ("cap", *[Decimal("450000.00")] * 3)
    assert any("封顶" in r for r in fixed.reasons)
    ranged = evaluate("CRT-ENT", "2024-06-01", {**CRT, "qbank_filed": True, "already_received": "800000"})
    assert (ranged.basis, ranged.amount, ranged.min, ranged.max) == (
        "cap",
        None,
        Decimal("50000.00"),
        Decimal("50000.00"),
    )
    untrimmed = evaluate("CRT-ENT", "2024-06-01", {**CRT, "qbank_filed": True})
    assert (untrimmed.basis, untrimmed.min, untrimmed.max) == (
        "range",
        Decimal("70000.00"),
        Decimal("150000.00"),
    )


def test_crt_ent_refuses_a_one_time_component_already_received():
    outcome = evaluate("CRT-ENT", "2022-06-01", {**CRT, "qbank_filed": True, "one_time_received": ["filing"]})
    components = {c["id"]: c for c in outcome.extra["components"]}
    assert not components["CRT-ENT-FILING"]["eligible"]
    assert (outcome.basis, outcome.min, outcome.max) == ("range", Decimal("20000.00"), Decimal("100000.00"))


@pytest.mark.parametrize(
    ("name", "rule_id", "facts", "extra"),
    [
        ("CMP-CAMP.trainee_monthly_allowance", "CMP-CAMP", {"competition_level": "provincial_class1"},
         "trainee_monthly_allowance"),
        ("CMP-MATCH.coach_share", "CMP-MATCH", {"competition_level": "national_class1", "contest_prize_money": "1000"},
         "coach_share"),
    ],
)  # fmt: skip
def test_values_the_documents_leave_open_are_demo_value_parameters(name, rule_id, facts, extra):
    version = _version(name, "2024-06-01")
    assert version.demo_value and version.document == "D002" and version.clause == "第12条"
    outcome = evaluate(rule_id, "2024-06-01", facts)
    step = next(s for s in outcome.trace if s["parameter"] == name)
    assert "演示值：文件未规定具体数额" in step["marks"]
    assert "演示值：文件未规定具体数额" in outcome.assumptions
    assert extra in outcome.as_dict()


def test_the_coaching_team_stays_within_the_750000_cap_with_the_player():
    outcome = evaluate(
        "CMP-MATCH", "2024-06-01", {"competition_level": "national_class1", "contest_prize_money": "600000"}
    )
    assert outcome.amount == Decimal("600000.00")
    assert outcome.extra["coach_share"]["amount"] == "150000.00"  # 750,000 − 600,000, not 300,000
