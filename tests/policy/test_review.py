"""The findings of the independent review against the seeds (issue 12 §11), each held by a test."""

from __future__ import annotations

import pytest

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
