"""The vectorised path gives the one-at-a-time answer, over random facts and dates (hypothesis)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillcity.policy.batch import evaluate_table, vectorised
from skillcity.policy.engine import BadFacts, NotInForce, evaluate, get_rule
from skillcity.policy.facts import BOOL, CHOICE, CHOICES, COUNT_MAX, DATE, INT, LEVEL, MONEY

DATES = st.dates(datetime.date(2021, 1, 1), datetime.date(2026, 6, 30))
# Money around the thresholds that matter (3000, 0, caps), in fen steps, as decimal strings.
MONEY_ST = st.one_of(
    st.integers(0, 400_000).map(lambda fen: str(Decimal(fen) / 100)),
    st.sampled_from(["0", "2999.99", "3000", "3000.01", "750000", "750000.01", "1000000"]),
)
# Bad input both paths must refuse alike, naming the fact: past the ceiling, a third decimal, a sign,
# separators, exponents, not a number; dates that are not YYYY-MM-DD.
BAD_MONEY = st.sampled_from(
    ["1e308", "1e30", str(10**29), "92000000000000000", "1000000000.01", "0.005", "12.345", "-0", "-1",
     "1,000", "1e3", "+5", "abc", "", " ", "NaN", "Infinity", "1000000000", " 12.5 "]
)  # fmt: skip
BAD_DATES = st.sampled_from(["20240501", "2024-W18-3", "2024-5-1", "2024-02-30", "2024-05-01T00:00", "x", ""])


def fact_strategy(rule_id: str, *, bad: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """Facts for the rule; with `bad`, money and date facts are sometimes ill-formed."""
    rule = get_rule(rule_id)
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for f in rule.facts:
        if f.kind == BOOL:
            s: st.SearchStrategy[Any] = st.booleans()
        elif f.kind == MONEY and bad:
            s = st.one_of(MONEY_ST, BAD_MONEY)
        elif f.kind == DATE and bad:
            s = st.one_of(DATES.map(datetime.date.isoformat), BAD_DATES)
        elif f.kind == MONEY:
            s = MONEY_ST
        elif f.kind == LEVEL:
            s = st.integers(1, 5)
        elif f.kind == INT and bad:
            s = st.one_of(st.integers(f.minimum or 0, 30), st.sampled_from([COUNT_MAX + 1, 2**62]))
        elif f.kind == INT:
            s = st.integers(f.minimum or 0, 30)
        elif f.kind == DATE:
            s = DATES.map(datetime.date.isoformat)
        elif f.kind == CHOICE:
            s = st.sampled_from([c for c, _ in f.choices])
        elif f.kind == CHOICES:
            s = st.lists(st.sampled_from([c for c, _ in f.choices]), max_size=2)
        else:
            raise AssertionError(f.kind)
        fields[f.name] = s.map(lambda x: x) if f.required or not f.nullable else st.one_of(st.none(), s)
    return st.fixed_dictionaries(fields)


def upskill_facts() -> st.SearchStrategy[dict[str, Any]]:
    # The level belongs to skill-level certificates only; mismatches are bad facts (tested elsewhere).
    return st.one_of(
        st.fixed_dictionaries(
            {
                "certificate_kind": st.just("skill_level"),
                "level": st.integers(1, 5),
                "in_shortage_catalog": st.booleans(),
            }
        ),
        st.fixed_dictionaries(
            {
                "certificate_kind": st.sampled_from(["special_ability", "special_operation"]),
                "level": st.none(),
                "in_shortage_catalog": st.booleans(),
            }
        ),
    )


def one_at_a_time(rule_id: str, day: datetime.date, facts: dict[str, Any]) -> tuple[Any, ...]:
    def fen(x: Decimal | None) -> int | None:
        return None if x is None else int(x * 100)

    try:
        o = evaluate(rule_id, day, {k: v for k, v in facts.items() if v is not None})
    except NotInForce:
        return (False, None, None, None, None, None, None)
    except BadFacts as exc:
        return (True, "bad", tuple(sorted(exc.fields)), None, None, None, None)
    return (True, o.eligible, o.basis, fen(o.amount), fen(o.min), fen(o.max), o.payee)


def table_rows(
    rule_id: str, cases: list[tuple[Any, dict[str, Any]]], date_type: Any = pl.Date
) -> list[tuple[Any, ...]]:
    rule = get_rule(rule_id)
    data: dict[str, list[Any]] = {"date": [d for d, _ in cases]}
    for f in rule.facts:
        data[f.name] = [facts.get(f.name) for _, facts in cases]
    schema: dict[str, Any] = {"date": date_type}
    for f in rule.facts:
        schema[f.name] = {
            BOOL: pl.Boolean,
            MONEY: pl.Utf8,
            LEVEL: pl.Int64,
            INT: pl.Int64,
            DATE: pl.Utf8,
            CHOICES: pl.List(pl.Utf8),
        }.get(f.kind, pl.Utf8)
    out = evaluate_table(rule_id, pl.DataFrame(data, schema=schema))
    rows = []
    for r in out.iter_rows(named=True):
        if r["error"] is not None:
            named = tuple(sorted({part.split(":", 1)[0] for part in r["error"].split("; ")}))
            rows.append((r["in_force"], "bad", named, None, None, None, None))
        elif not r["in_force"]:
            rows.append((False, None, None, None, None, None, None))
        else:
            rows.append(
                (True, r["eligible"], r["basis"], r["amount_fen"], r["min_fen"], r["max_fen"], r["payee"])
            )
    return rows


PROPERTY_RULES = [
    "TRN-PROJECT",
    "TRN-UPSKILL",
    "TRN-PAYEE",
    "EDU-GRAD-RETENTION",
    "CMP-HOST",
    "CMP-PRIZE-CITY",
    "CMP-TEAM",
    "CMP-CAMP",
    "CMP-MATCH",
    "CMP-WORLDSKILLS",
    "CMP-WORLDSKILLS-COACH",
    "CMP-WS-BASE",
    "CMP-TITLE",
]


def test_every_property_rule_has_a_vectorised_form() -> None:
    assert all(vectorised(r) for r in PROPERTY_RULES)


@pytest.mark.parametrize("rule_id", PROPERTY_RULES)
def test_vectorised_equals_one_at_a_time(rule_id: str) -> None:
    facts = upskill_facts() if rule_id == "TRN-UPSKILL" else fact_strategy(rule_id)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.tuples(DATES, facts), min_size=1, max_size=40))
    def check(cases: list[tuple[datetime.date, dict[str, Any]]]) -> None:
        expected = [one_at_a_time(rule_id, d, f) for d, f in cases]
        assert table_rows(rule_id, cases) == expected

    check()


BAD_INPUT_RULES = [r for r in PROPERTY_RULES if any(f.kind in (MONEY, DATE, INT) for f in get_rule(r).facts)]


@pytest.mark.parametrize(
    "rule_id", [*BAD_INPUT_RULES, "EDU-INTL-CLASS", "TAL-LEADING-EMPLOYER", "CRT-ENT", "TRN-SUBBASE-COURSE"]
)
def test_both_paths_refuse_the_same_bad_input_naming_the_same_facts(rule_id: str) -> None:
    """Bad money and dates (and bad event dates) are refused row by row exactly as one case at a time."""
    facts = fact_strategy(rule_id, bad=True)
    dates = st.one_of(DATES.map(datetime.date.isoformat), BAD_DATES)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.tuples(dates, facts), min_size=1, max_size=40))
    def check(cases: list[tuple[str, dict[str, Any]]]) -> None:
        expected = [one_at_a_time(rule_id, d, f) for d, f in cases]
        assert table_rows(rule_id, cases, date_type=pl.Utf8) == expected

    check()


def test_bad_input_rules_cover_money_and_dates() -> None:
    assert {"TRN-PROJECT", "CMP-MATCH", "CMP-WORLDSKILLS", "EDU-GRAD-RETENTION"} <= set(BAD_INPUT_RULES)


def test_row_by_row_fallback_matches_for_a_rule_without_a_vectorised_form() -> None:
    cases = [
        (datetime.date(2024, 1, 1), {"recognised": True}),
        (datetime.date(2021, 1, 1), {"recognised": True}),
        (datetime.date(2024, 1, 1), {"recognised": False}),
    ]
    assert not vectorised("EDU-BASE")
    assert table_rows("EDU-BASE", cases) == [one_at_a_time("EDU-BASE", d, f) for d, f in cases]


def test_a_float_money_column_is_refused_naming_the_column() -> None:
    df = pl.DataFrame({"date": ["2024-01-01"], "project_standard": [2800.5], "completed": [True]})
    with pytest.raises(BadFacts) as err:
        evaluate_table("TRN-PROJECT", df)
    assert "project_standard" in err.value.fields


def test_a_missing_fact_column_is_refused_naming_it() -> None:
    with pytest.raises(BadFacts) as err:
        evaluate_table("TRN-PROJECT", pl.DataFrame({"date": ["2024-01-01"], "completed": [True]}))
    assert "project_standard" in err.value.fields


def test_a_bad_row_is_flagged_and_the_others_evaluated() -> None:
    df = pl.DataFrame(
        {"date": ["2024-01-01", "2024-01-01"], "project_standard": ["abc", "100"], "completed": [True, True]}
    )
    out = evaluate_table("TRN-PROJECT", df)
    assert out["error"].to_list()[0].startswith("project_standard")
    assert out["amount_fen"].to_list() == [None, 10000]


def test_an_optional_fact_column_without_values_is_read_as_missing() -> None:
    df = pl.DataFrame(
        {
            "date": ["2024-01-01"],
            "certificate_kind": ["special_ability"],
            "level": [None],
            "in_shortage_catalog": [True],
        }
    )
    assert df.schema["level"] == pl.Null
    assert evaluate_table("TRN-UPSKILL", df)["amount_fen"].to_list() == [50000]
