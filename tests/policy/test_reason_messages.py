"""Reasons and calculation steps as message ids with values (docs/decisions.md, "D-28 The engine's
reasons and steps as message ids and values"): every rule's outcome reads in English with no Chinese
left, the Chinese rendering is exactly the stored `reasons` and `step` (the one-case contract), and an
outcome stored before the message fields still shows its Chinese."""

from __future__ import annotations

import ast
import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from skillcity.policy import display
from skillcity.policy.engine import NotInForce, evaluate, get_rule, load_rules
from tests.policy.test_all_rules import ALL_RULES, outcomes_of

POLICY_DIR = Path(__file__).resolve().parents[2] / "skillcity" / "policy"
HAN = re.compile(r"[\u3400-\u9fff]")


def _msgids() -> set[str]:
    """Every msgid the engine and its rules mark with gettext_noop (N_)."""
    found: set[str] = set()
    for path in [*sorted((POLICY_DIR / "rules").glob("*.py")), POLICY_DIR / "engine.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_":
                arg = node.args[0]
                assert isinstance(arg, ast.Constant), f"{path.name}: N_ of a non-literal"
                found.add(arg.value)
    return found


def test_every_reason_and_step_message_has_english():
    msgids = _msgids()
    assert len(msgids) > 150
    with translation.override("en"):
        assert sorted(m for m in msgids if translation.gettext(m) == m) == []


def _english_texts(data: dict[str, Any]) -> list[str]:
    """What a page shows of an outcome's sentences, in English."""
    texts = display.reason_texts(data)
    texts += [display.step_text(t) for t in data["trace"]]
    texts += [m for t in data["trace"] for m in display.marks_texts(t.get("marks") or [])]
    texts += display.marks_texts(data["assumptions"])
    for component in data.get("components") or []:
        texts += [display.component_reason(component), translation.gettext(component["title"])]
    return texts


@pytest.mark.parametrize("rule_id", ALL_RULES)
def test_every_rule_reads_in_english_and_in_chinese_exactly_as_stored(rule_id: str) -> None:
    def check(outcome: Any) -> None:
        data = outcome.as_dict()
        assert len(data["reason_messages"]) == len(data["reasons"]) > 0
        assert all("step_msgid" in t for t in data["trace"])
        with translation.override("zh-hans"):
            assert display.reason_texts(data) == data["reasons"]
            assert [display.step_text(t) for t in data["trace"]] == [t["step"] for t in data["trace"]]
            for component in data.get("components") or []:
                assert display.component_reason(component) == component["reason"]
        with translation.override("en"):
            texts = _english_texts(data)
            assert [t for t in texts if HAN.search(t)] == []

    outcomes_of(rule_id)(check)


# One case per branch a hypothesis run may rarely reach: each reads in English with no Chinese left.
BRANCHES = [
    ("TRN-PROJECT", "2024-03-01", {"project_standard": "3500", "completed": True}),
    ("TRN-PROJECT", "2024-03-01", {"project_standard": "2800", "completed": False}),
    (
        "TRN-UPSKILL",
        "2024-03-01",
        {"certificate_kind": "skill_level", "level": 3, "in_shortage_catalog": True},
    ),
    (
        "TRN-UPSKILL",
        "2024-03-01",
        {"certificate_kind": "skill_level", "level": 4, "in_shortage_catalog": True},
    ),
    ("TRN-UPSKILL", "2024-03-01", {"certificate_kind": "special_ability", "in_shortage_catalog": False}),
    ("TRN-PAYEE", "2024-03-01", {"provider_kind": "institution", "trainee_is_provider_employee": True}),
    ("TRN-PAYEE", "2024-03-01", {"provider_kind": "enterprise", "trainee_is_provider_employee": False}),
    (
        "EDU-GRAD-RETENTION",
        "2024-03-01",
        {
            "school_is_private": False,
            "major_fits_industry": False,
            "graduation_date": "2021-07-01",
            "employment_start": "2023-09-01",
            "employer_in_dongguan": False,
            "same_employer_continuous_insured_months": 2,
        },
    ),
    ("EDU-INTL-CLASS", "2022-03-01", {"international_class_students": 10, "actual_cost": "1000"}),
    ("EDU-EQUIV", "2024-03-01", {"class_type": "advanced"}),
    ("CMP-MATCH", "2024-03-01", {"competition_level": "national_class1", "contest_prize_money": "900000"}),
    ("CMP-TITLE", "2024-03-01", {"competition_level": "city_class1", "rank": 1}),
    ("CMP-HOST", "2024-03-01", {"competition_level": "worldskills"}),
    (
        "PLT-ALLIANCE",
        "2020-03-01",
        {
            "initiators": 2,
            "training_units": 0,
            "research_institutes": 0,
            "enterprises": 0,
            "charter_signed": False,
        },
    ),
    ("PLT-EXPERTS", "2024-03-01", {"sector_count": 3}),
    (
        "TAL-CARD",
        "2024-03-01",
        {
            "titles": ["china_skills_award"],
            "studio_lead_level": "provincial",
            "highest_skill_level": 1,
        },
    ),
    ("TAL-HONOUR-SHARE", "2024-03-01", {"winners_total": 10, "skilled_winners": 1}),
    (
        "CRT-ENT",
        "2024-03-01",
        {
            "filed_and_certifying": True,
            "qbank_filed": True,
            "shortage_certification": True,
            "year_new_certificates": 1200,
            "year_new_certificates_level2_or_higher": 120,
            "provincial_social_org": True,
            "already_received": "500000",
            "one_time_received": ["filing"],
        },
    ),
]


@pytest.mark.parametrize(("rule_id", "day", "facts"), BRANCHES)
def test_each_branch_reads_in_english(rule_id: str, day: str, facts: dict[str, Any]) -> None:
    data = evaluate(rule_id, day, facts).as_dict()
    with translation.override("en"):
        texts = _english_texts(data)
        assert [t for t in texts if HAN.search(t)] == []
    with translation.override("zh-hans"):
        assert display.reason_texts(data) == data["reasons"]


def test_a_list_of_failed_conditions_is_one_reason_joined_in_each_language():
    data = evaluate("PLT-ALLIANCE", "2020-03-01", dict(BRANCHES[13][2])).as_dict()
    assert data["reasons"] == [
        "不符合备案条件：发起单位须由 1 家单位单独发起（现为 2 家）；缺少职业院校、技工院校或职业培训机构；"
        "缺少科研机构；缺少同行业、同类型企业；成员尚未共同签署章程并签订书面合作协议。"
    ]
    with translation.override("en"):
        (english,) = display.reason_texts(data)
    assert english.startswith("Does not meet the filing conditions: the alliance must be initiated by 1 unit")
    assert "; no research institute; " in english


def test_labels_among_the_values_are_stored_in_chinese_and_translated_when_shown():
    data = evaluate("CMP-HOST", "2024-03-01", {"competition_level": "city_class1"}).as_dict()
    assert data["reasons"] == ["承办市级一类竞赛，每个项目补助不低于 200000.00 元。"]
    assert data["reason_messages"] == [
        {
            "msgid": "承办%(level_label)s竞赛，每个项目补助不低于 %(floor)s 元。",
            "params": {"level_label": "市级一类", "floor": "200000.00"},
        }
    ]
    with translation.override("en"):
        assert display.reason_texts(data) == [
            "Hosting a City class 1 competition: at least 200000.00 yuan per event."
        ]
        assert display.step_text(data["trace"][0]) == "City class 1 competition: minimum subsidy per event"


def test_an_outcome_stored_before_the_message_fields_shows_its_chinese():
    old = {"reasons": ["学员完成项目，按项目标准 2800.00 元补贴培训单位（上限 3000.00 元）。"],
           "trace": [{"step": "项目标准与每人每项目上限取低"}, {"step": "一句旧的步骤"}]}  # fmt: skip
    with translation.override("en"):
        assert display.reason_texts(old) == old["reasons"]
        # A fixed step was always a msgid of its own: it reads in English; an unknown one as stored.
        assert [display.step_text(t) for t in old["trace"]] == [
            "The lower of the project standard and the cap per person",
            "一句旧的步骤",
        ]
        # A message whose values no longer fit its msgid falls back to the stored Chinese.
        broken = {
            "reasons": ["旧"],
            "reason_messages": [{"msgid": "工种 %(occupation)s 在当年紧缺急需工种目录内。"}],
        }
        assert display.reason_texts(broken) == ["旧"]


def test_not_in_force_keeps_its_chinese_message_and_reads_in_english_on_a_page():
    rule = get_rule("TRN-PROJECT")
    exc = NotInForce(rule.id, datetime.date(2030, 1, 1), rule.validity())
    assert exc.message.startswith("规则 TRN-PROJECT 在 2030-01-01 没有有效版本（适用期：")
    with translation.override("en"):
        text = exc.text()
    assert text.startswith(
        "No version of Project-based training subsidy is in force on 2030-01-01 (in force: "
    )
    assert not HAN.search(text)


def test_every_rule_is_covered():
    assert set(ALL_RULES) == set(load_rules())


@pytest.mark.django_db
def test_the_calculator_shows_reasons_and_steps_in_english():
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(
        "/policy/calculator/",
        {"rule": "TRN-PROJECT", "date": "2024-03-01", "project_standard": "3500", "completed": "true"},
    ).content.decode()
    assert (
        "The project standard of 3500.00 yuan exceeds the cap of 3000.00 yuan per person per project; "
        "the training provider receives the cap, 3000.00 yuan." in html
    )
    assert ">The lower of the project standard and the cap per person</td>" in html
    assert "项目标准 3500.00 元" not in html and "data-i18n-pending" not in html


def test_every_assumption_mark_has_english():
    from skillcity.policy import params as P

    documents = P.documents()
    marks = {d.assumption for d in documents.values() if d.assumption}
    marks |= {m for p in P.parameters().values() for v in p.versions for m in v.marks(documents)}
    assert marks
    with translation.override("en"):
        assert sorted(m for m in marks if translation.gettext(m) == m) == []


def test_lists_and_maps_of_values_are_joined_as_each_language_joins_them():
    table = {"intermediate": "中专", "advanced": "大专"}
    with translation.override("zh-hans"):
        assert display.value_display(table) == "中级工班：中专；高级工班：大专"
        assert display.value_display(["中专", "大专"]) == "中专、大专"
    with translation.override("en"):
        assert display.value_display(table) == (
            "Intermediate class: a secondary vocational diploma; Advanced class: a junior college diploma"
        )
        assert (
            display.value_display(["中专", "大专"])
            == "a secondary vocational diploma, a junior college diploma"
        )


def test_every_fact_help_has_english():
    helps = {f.help for rule in load_rules().values() for f in rule.facts if f.help}
    assert helps
    with translation.override("en"):
        assert sorted(h for h in helps if translation.gettext(h) == h) == []
