"""The vectorised path reads each row's dated version: successors with new values, gaps, a changed ratio."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

import polars as pl
import pytest

from skillcity.policy import batch
from skillcity.policy import params as P
from skillcity.policy.engine import BadFacts, NotInForce, evaluate, get_rule, load_rules

D = datetime.date


def _versions(name: str, *spans: tuple[Any, D, D | None]) -> P.Parameter:
    """The shipped parameter with its versions replaced by (value, from, to) spans, same source."""
    parameter = P.parameters()[name]
    first = parameter.versions[0]
    versions = tuple(
        dataclasses.replace(first, value=value, effective_from=start, effective_to=end)
        for value, start, end in spans
    )
    return dataclasses.replace(parameter, versions=versions)


def _successors() -> dict[str, P.Parameter]:
    """A cap raised mid-year, a level amount with a gap then a successor with no end, a ratio that
    changes from tenths to hundredths (1.3 → 1.25)."""
    ps = dict(P.parameters())
    ps["TRN-PROJECT.cap"] = _versions(
        "TRN-PROJECT.cap",
        (Decimal(3000), D(2022, 1, 1), D(2024, 3, 31)),
        (Decimal("3500.50"), D(2024, 4, 1), D(2025, 12, 31)),
    )
    ps["TRN-UPSKILL.level3"] = _versions(
        "TRN-UPSKILL.level3",
        (Decimal(2000), D(2022, 1, 1), D(2023, 6, 30)),
        (Decimal("2400.05"), D(2023, 8, 1), None),
    )
    ps["TRN-UPSKILL.shortage_uplift"] = _versions(
        "TRN-UPSKILL.shortage_uplift",
        (Decimal("1.3"), D(2022, 1, 1), D(2022, 12, 31)),
        (Decimal("1.25"), D(2023, 1, 1), D(2025, 12, 31)),
    )
    return ps


def _around(ps: dict[str, P.Parameter], rule_id: str) -> list[D]:
    """The day before, of and after every version boundary of the rule's parameters."""
    names = [n for n in ps if n.startswith(rule_id + ".")]
    days = batch.segment_starts(ps, names)
    return sorted({d + datetime.timedelta(days=k) for d in days for k in (-1, 0, 1)})


def _one(rule_id: str, day: D, facts: dict[str, Any], ps: dict[str, P.Parameter]) -> tuple[Any, ...]:
    def fen(x: Decimal | None) -> int | None:
        return None if x is None else int(x * 100)

    try:
        o = evaluate(rule_id, day, {k: v for k, v in facts.items() if v is not None}, parameter_set=ps)
    except NotInForce:
        return (False, None, None, None, None, None)
    except BadFacts:
        return (True, "bad", None, None, None, None)
    return (True, o.eligible, o.basis, fen(o.amount), fen(o.max), o.payee)


def _table(rule_id: str, rows: list[tuple[D, dict[str, Any]]], schema: dict[str, Any]) -> pl.DataFrame:
    data: dict[str, list[Any]] = {"date": [d for d, _ in rows]}
    for name in schema:
        data[name] = [facts[name] for _, facts in rows]
    return pl.DataFrame(data, schema={"date": pl.Date, **schema})


def _rows(out: pl.DataFrame) -> list[tuple[Any, ...]]:
    return [
        (r["in_force"], r["eligible"], r["basis"], r["amount_fen"], r["max_fen"], r["payee"])
        if r["in_force"] and r["error"] is None
        else (r["in_force"], "bad" if r["error"] else None, None, None, None, None)
        for r in out.iter_rows(named=True)
    ]


UPSKILL_FACTS = [
    {"certificate_kind": "skill_level", "level": level, "in_shortage_catalog": shortage}
    for level in range(1, 6)
    for shortage in (False, True)
] + [
    {"certificate_kind": kind, "level": None, "in_shortage_catalog": shortage}
    for kind in ("special_ability", "special_operation")
    for shortage in (False, True)
]
UPSKILL_SCHEMA = {"certificate_kind": pl.Utf8, "level": pl.Int64, "in_shortage_catalog": pl.Boolean}
PROJECT_FACTS = [
    {"project_standard": standard, "completed": done}
    for standard in ("2999.99", "3000", "3000.01", "3500.50", "3500.51", "0")
    for done in (True, False)
]


@pytest.fixture(scope="module", autouse=True)
def _rules() -> None:
    load_rules()


def test_upskill_reads_each_rows_version_across_successors_gaps_and_a_changed_ratio() -> None:
    ps = _successors()
    rows = [(day, facts) for day in _around(ps, "TRN-UPSKILL") for facts in UPSKILL_FACTS]
    out = batch.evaluate_table("TRN-UPSKILL", _table("TRN-UPSKILL", rows, UPSKILL_SCHEMA), parameter_set=ps)
    expected = [_one("TRN-UPSKILL", day, facts, ps) for day, facts in rows]
    assert _rows(out) == expected
    # The cases the versions are there for: the gap is not in force, the successor and the new ratio apply.
    by = {
        (day, f["level"], f["in_shortage_catalog"], f["certificate_kind"]): e
        for (day, f), e in zip(rows, expected, strict=True)
    }
    assert by[(D(2023, 7, 1), 3, False, "skill_level")][0] is False
    assert by[(D(2023, 8, 1), 3, False, "skill_level")][3] == 240005
    assert by[(D(2023, 8, 1), 3, True, "skill_level")][3] == 300006  # 2400.05 × 1.25 = 3000.0625 → 3000.06
    assert by[(D(2022, 12, 31), 3, True, "skill_level")][3] == 260000  # 2000 × 1.3


def test_project_cap_changes_mid_year_row_by_row() -> None:
    ps = _successors()
    rows = [(day, facts) for day in _around(ps, "TRN-PROJECT") for facts in PROJECT_FACTS]
    schema = {"project_standard": pl.Utf8, "completed": pl.Boolean}
    out = batch.evaluate_table("TRN-PROJECT", _table("TRN-PROJECT", rows, schema), parameter_set=ps)
    expected = [_one("TRN-PROJECT", day, facts, ps) for day, facts in rows]
    assert _rows(out) == expected
    amounts = {
        (day, f["project_standard"], f["completed"]): r[3]
        for (day, f), r in zip(rows, _rows(out), strict=True)
    }
    assert amounts[(D(2024, 3, 31), "3500.50", True)] == 300000
    assert amounts[(D(2024, 4, 1), "3500.51", True)] == 350050


def test_one_date_for_the_whole_table_reads_that_days_version() -> None:
    ps = _successors()
    table = _table("TRN-UPSKILL", [(D(2000, 1, 1), f) for f in UPSKILL_FACTS], UPSKILL_SCHEMA).drop("date")
    for day in (D(2022, 6, 1), D(2023, 7, 15), D(2024, 1, 1), D(2026, 3, 1)):
        out = batch.evaluate_table("TRN-UPSKILL", table, date=day, parameter_set=ps)
        assert _rows(out) == [_one("TRN-UPSKILL", day, f, ps) for f in UPSKILL_FACTS]


def test_a_required_parameter_that_never_changes_is_a_constant_and_one_that_changes_a_column() -> None:
    rule = get_rule("TRN-UPSKILL")
    shipped = batch.V(rule, P.parameters())
    batch.VECTORISED["TRN-UPSKILL"](shipped)
    assert shipped.columns_needed == set()  # every value the same in each version: no per-row column
    changed = batch.V(rule, _successors())
    batch.VECTORISED["TRN-UPSKILL"](changed)
    assert changed.columns_needed == {"TRN-UPSKILL.level3", "TRN-UPSKILL.shortage_uplift"}
    assert changed.used["TRN-UPSKILL.shortage_uplift"] == 100  # 1.3 and 1.25 over one denominator


def test_segment_starts_are_every_start_and_the_day_after_every_end() -> None:
    ps = _successors()
    assert batch.segment_starts(ps, ["TRN-UPSKILL.level3", "TRN-PROJECT.cap"]) == [
        D(2022, 1, 1),
        D(2023, 7, 1),
        D(2023, 8, 1),
        D(2024, 4, 1),
        D(2026, 1, 1),
    ]


def test_ratio_denominator_makes_every_version_an_integer() -> None:
    ps = _successors()
    assert batch.ratio_den(ps["TRN-UPSKILL.shortage_uplift"]) == 100
    assert batch.ratio_den(P.parameters()["TRN-UPSKILL.shortage_uplift"]) == 10
    assert batch.ratio_den(_versions("CMP-MATCH.ratio", (Decimal(1), D(2022, 1, 1), None))) == 1


@pytest.mark.parametrize("standards", [["0", "2500"], ["2500", "3100"], ["0", "0"]])
def test_zero_amounts_are_not_eligible_whether_or_not_the_table_has_any(standards: list[str]) -> None:
    """The zero-amount step runs only when some row commits zero; both ways give one-at-a-time's answer."""
    ps = P.parameters()
    rows = [(D(2024, 5, 1), {"project_standard": s, "completed": True}) for s in standards]
    schema = {"project_standard": pl.Utf8, "completed": pl.Boolean}
    out = batch.evaluate_table("TRN-PROJECT", _table("TRN-PROJECT", rows, schema))
    assert _rows(out) == [_one("TRN-PROJECT", day, facts, ps) for day, facts in rows]
    zero = [r for r, (_d, f) in zip(_rows(out), rows, strict=True) if f["project_standard"] == "0"]
    assert all(r[1] is False and r[2] == "none" and r[3] is None for r in zero)
