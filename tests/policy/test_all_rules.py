"""What holds for every rule of the catalog, over generated facts and dates: the payee `policy list` shows
is the one outcomes name, a zero amount has one meaning, reasons show money as yuan with two decimals."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from skillcity.policy.engine import BadFacts, NotInForce, evaluate, get_rule, list_rules, load_rules
from skillcity.policy.facts import BOOL, CHOICE, CHOICES, DATE, INT, LEVEL, MONEY, TEXT, TEXTS

ALL_RULES = sorted(load_rules())
DAYS = st.dates(datetime.date(2019, 7, 10), datetime.date(2025, 12, 31))
# Zero and small amounts on purpose: a zero must never come out "eligible, 0.00".
MONEY_VALUES = st.one_of(
    st.sampled_from(["0", "0.00", "0.01", "0.5", "1", "3000", "40000", "850000", "2000000"]),
    st.integers(0, 3_000_000).map(lambda fen: str(Decimal(fen) / 100)),
)
CODES = st.sampled_from(["6-18-01-01", "4-07-10-01", "X"])


def facts_for(rule_id: str) -> st.SearchStrategy[dict[str, Any]]:
    fields: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for f in get_rule(rule_id).facts:
        codes = [c for c, _ in f.choices]
        value: st.SearchStrategy[Any] = {
            BOOL: st.booleans(),
            MONEY: MONEY_VALUES,
            LEVEL: st.integers(1, 5),
            INT: st.integers(f.minimum or 0, 1200),
            DATE: DAYS.map(datetime.date.isoformat),
            CHOICE: st.sampled_from(codes or ["x"]),
            CHOICES: st.lists(st.sampled_from(codes or ["x"]), max_size=3),
            TEXT: CODES,
            TEXTS: st.lists(CODES, max_size=3),
        }[f.kind]
        if f.required:
            fields[f.name] = value
        else:
            optional[f.name] = st.one_of(st.none(), value)
    return st.fixed_dictionaries(fields, optional=optional)


def outcomes_of(rule_id: str) -> Any:
    """A hypothesis test body runner: yields outcomes of valid cases in force."""

    def run(check: Any) -> None:
        @settings(
            max_examples=80,
            deadline=None,
            suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
        )
        @given(DAYS, facts_for(rule_id))
        def inner(day: datetime.date, facts: dict[str, Any]) -> None:
            try:
                outcome = evaluate(rule_id, day, facts)
            except (BadFacts, NotInForce):
                assume(False)
                return
            check(outcome)

        inner()

    return run


@pytest.mark.parametrize("rule_id", ALL_RULES)
def test_the_payee_policy_list_shows_is_the_one_outcomes_name(rule_id: str) -> None:
    listed = next(r for r in list_rules() if r["id"] == rule_id)

    def check(outcome: Any) -> None:
        if not outcome.eligible:
            assert outcome.payee is None
        elif listed["payee"] is not None:
            assert outcome.payee == listed["payee"]
        elif listed["payees"]:
            assert outcome.payee in listed["payees"]
        else:
            assert outcome.payee is None

    outcomes_of(rule_id)(check)


def test_tal_card_and_cmp_title_name_their_listed_payee() -> None:
    listed = {r["id"]: r for r in list_rules()}
    card = evaluate("TAL-CARD", "2024-01-01", {"titles": ["dongguan_technical_expert"]})
    title = evaluate("CMP-TITLE", "2024-01-01", {"competition_level": "city_class1", "rank": 1})
    assert card.payee == listed["TAL-CARD"]["payee"] == "worker"
    assert title.payee == listed["CMP-TITLE"]["payee"] == "player"
    assert listed["TRN-PAYEE"]["payee"] is None and listed["TRN-PAYEE"]["payees"] == ["enterprise", "worker"]


@pytest.mark.parametrize("rule_id", ALL_RULES)
def test_a_zero_amount_is_never_granted_in_any_rule(rule_id: str) -> None:
    def check(outcome: Any) -> None:
        if outcome.eligible and outcome.basis not in ("none", "case_by_case"):
            committed = outcome.amount if outcome.amount is not None else outcome.max
            assert committed is not None and committed > 0, outcome.as_dict()
        if not outcome.eligible:
            assert (outcome.basis, outcome.amount, outcome.min, outcome.max) == ("none", None, None, None)

    outcomes_of(rule_id)(check)


@pytest.mark.parametrize(
    ("rule_id", "facts"),
    [
        ("EDU-DEMO-MAJOR", {"school_is_private": True, "major_is_demonstration": True, "students_year1": 0,
                            "students_year2": 0, "students_year3": 0, "excluded_hs_advanced": 0}),
        ("TRN-PROJECT", {"project_standard": "0", "completed": True}),
        ("EDU-SOCIAL-TRAINING", {"income": "100", "costs": "100"}),
        ("TRN-SUBBASE-COURSE", {"course_category": "A", "accepted": True, "trainees": 0}),
        ("CMP-WORLDSKILLS-COACH", {"players_awards_total": "0"}),
        ("TRN-VOUCHER", {"course_cost": "0", "voucher_valid": True}),
        ("TAL-LEADING-EMPLOYER", {"requested": "0", "already_received_this_year": "0"}),
    ],
)  # fmt: skip
def test_the_rules_the_review_named_all_say_not_eligible_for_zero(
    rule_id: str, facts: dict[str, Any]
) -> None:
    outcome = evaluate(rule_id, "2024-06-01", facts)
    assert (outcome.eligible, outcome.basis, outcome.amount) == (False, "none", None)


def test_a_zero_amount_is_not_eligible_on_the_batch_path_too() -> None:
    import polars as pl

    from skillcity.policy.batch import evaluate_table

    table = pl.DataFrame(
        {"date": ["2024-06-01"] * 2, "project_standard": ["0", "0.01"], "completed": [True, True]}
    )
    out = evaluate_table("TRN-PROJECT", table)
    assert out.select("eligible", "basis", "amount_fen", "max_fen", "payee").rows() == [
        (False, "none", None, None, None),
        (True, "cap", 1, 300000, "training_provider"),
    ]


MONEY_IN_TEXT = re.compile(r"(\d[\d.,]*)\s*元")


@pytest.mark.parametrize("rule_id", ALL_RULES)
def test_reasons_show_money_as_yuan_with_two_decimals(rule_id: str) -> None:
    def check(outcome: Any) -> None:
        texts = list(outcome.reasons) + [step["step"] for step in outcome.trace]
        for text in texts:
            for number in MONEY_IN_TEXT.findall(text):
                assert re.fullmatch(r"\d+\.\d\d", number), (number, text)

    outcomes_of(rule_id)(check)


def test_the_reasons_the_review_quoted_are_in_yuan_and_fen() -> None:
    social = evaluate("EDU-SOCIAL-TRAINING", "2024-06-01", {"income": "100000", "costs": "40000"})
    assert "最多 36000.00 元" in social.reasons[0]
    tiny = evaluate("EDU-SOCIAL-TRAINING", "2024-06-01", {"income": "0.01", "costs": "0"})
    assert "最多 0.01 元" in tiny.reasons[0] and "0.006" not in " ".join(tiny.reasons)
