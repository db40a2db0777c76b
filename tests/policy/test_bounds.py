"""Bounds on the facts: money up to MONEY_MAX and exact to the fen, dates only YYYY-MM-DD — one case at a
time (CLI, API) and over a table (batch, settlement), refused alike and named."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import polars as pl
import pytest
from django.test import Client

from skillcity.policy.batch import evaluate_table
from skillcity.policy.engine import BadFacts, evaluate
from tests.policy.test_contract import run_cli

HUGE = ["1e308", "1e30", 10**29, 1e30, 1e308, "1000000000.01", 92_000_000_000_000_000]


@pytest.mark.parametrize("value", HUGE)
def test_it_refuses_an_amount_past_the_ceiling_naming_the_fact(value):
    with pytest.raises(BadFacts) as err:
        evaluate("CMP-WORLDSKILLS", "2024-05-01", {"medal": "gold", "contest_prize_money": value})
    assert list(err.value.fields) == ["contest_prize_money"]


def test_the_ceiling_itself_is_accepted():
    outcome = evaluate(
        "CMP-WORLDSKILLS", "2024-05-01", {"medal": "gold", "contest_prize_money": "1000000000"}
    )
    assert str(outcome.amount) == "1000000000.00"


@pytest.mark.sqlite_only  # run_cli: the console on its own SQLite file
@pytest.mark.parametrize("value", ["1e308", "1e30", str(10**29)])
def test_the_cli_exits_2_naming_the_fact_for_a_huge_amount(value, tmp_path: Path):
    facts = '{"project_standard": ' + value + ', "completed": true}'  # a JSON number, not a string
    done = run_cli("eval", "TRN-PROJECT", "--date", "2024-05-01", "--facts", facts, tmp_path=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "project_standard" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("value", [1e308, "1e30", 10**29])
def test_the_api_answers_422_naming_the_fact_for_a_huge_amount(value, client: Client):
    body = {
        "rule": "TRN-PROJECT",
        "date": "2024-05-01",
        "facts": {"project_standard": value, "completed": True},
    }
    response = client.post("/api/v1/policy/evaluate", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert "project_standard" in response.json()["fields"]


@pytest.mark.parametrize("value", ["-0", "-0.00", -0.0, "-1"])
def test_it_refuses_a_negative_zero_rather_than_print_minus_zero(value):
    with pytest.raises(BadFacts) as err:
        evaluate("TRN-PROJECT", "2024-05-01", {"project_standard": value, "completed": True})
    assert err.value.fields["project_standard"] == "金额不能为负数"


@pytest.mark.parametrize("value", ["1,000", "1 000", "1e3", "0x10", "+5", "12.345", "0.005", ""])
def test_it_refuses_money_that_is_not_plain_yuan_and_fen(value):
    with pytest.raises(BadFacts) as err:
        evaluate("TRN-PROJECT", "2024-05-01", {"project_standard": value, "completed": True})
    assert "project_standard" in err.value.fields


@pytest.mark.parametrize("value", ["20240501", "2024-W18-3", "2024-5-1", "2024-05-01T00:00", " 2024-05-01"])
def test_it_refuses_a_date_that_is_not_yyyy_mm_dd(value):
    with pytest.raises(BadFacts) as err:
        evaluate("TRN-PROJECT", value, {"project_standard": "100", "completed": True})
    assert err.value.code == "bad_date"
    facts = {
        "school_is_private": True,
        "major_fits_industry": True,
        "graduation_date": value,
        "employment_start": "2024-06-01",
        "employer_in_dongguan": True,
        "same_employer_continuous_insured_months": 6,
    }
    with pytest.raises(BadFacts) as err:
        evaluate("EDU-GRAD-RETENTION", "2024-12-01", facts)
    assert list(err.value.fields) == ["graduation_date"]


@pytest.mark.sqlite_only  # run_cli: the console on its own SQLite file
def test_the_cli_exits_2_for_a_basic_iso_date(tmp_path: Path):
    facts = '{"project_standard": 100, "completed": true}'
    done = run_cli("eval", "TRN-PROJECT", "--date", "20240501", "--facts", facts, tmp_path=tmp_path)
    assert done.returncode == 2 and "date" in done.stderr


def _worldskills(prizes: list[object]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "date": ["2024-05-01"] * len(prizes),
            "medal": ["gold"] * len(prizes),
            "contest_prize_money": prizes,
        },
        schema_overrides={"contest_prize_money": pl.Utf8},
    )


def test_the_batch_does_not_truncate_a_third_decimal_into_the_fixed_award():
    out = evaluate_table("CMP-WORLDSKILLS", _worldskills(["0.005", "100.50"]))
    # Before: 0.005 became 0 fen and the gold was budgeted at the fixed 500,000.
    assert out["amount_fen"].to_list() == [None, 10050]
    assert out["error"][0] == "contest_prize_money: 金额最多两位小数（到分）"


def test_the_batch_refuses_thousands_separators_as_one_at_a_time_does():
    out = evaluate_table("CMP-WORLDSKILLS", _worldskills(["1,000"]))
    assert out["amount_fen"][0] is None and out["error"][0].startswith("contest_prize_money: ")


def test_one_huge_value_is_that_rows_error_and_the_run_goes_on():
    table = pl.DataFrame(
        {
            "date": [datetime.date(2024, 5, 1)] * 3,
            "medal": ["gold"] * 3,
            "contest_prize_money": [92_000_000_000_000_000, 2**63 - 1, 300],
        }
    )
    out = evaluate_table("CMP-WORLDSKILLS", table)
    assert out["amount_fen"].to_list() == [None, None, 30000]
    assert all(e.startswith("contest_prize_money: 金额不能超过") for e in out["error"][:2])
    text = evaluate_table("CMP-WORLDSKILLS", _worldskills(["92000000000000000", "1e308", "300"]))
    assert text["amount_fen"].to_list() == [None, None, 30000]


def test_a_decimal_column_with_a_third_decimal_is_refused_row_by_row():
    table = pl.DataFrame(
        {"date": ["2024-05-01"] * 2, "project_standard": ["0.005", "12.50"], "completed": [True, True]}
    ).with_columns(pl.col("project_standard").cast(pl.Decimal(10, 3)))
    out = evaluate_table("TRN-PROJECT", table)
    assert out["amount_fen"].to_list() == [None, 1250]
    assert out["error"][0] == "project_standard: 金额最多两位小数（到分）"


def test_a_bad_event_date_is_that_rows_error_in_the_batch():
    table = pl.DataFrame(
        {
            "date": ["20240501", "2024-5-1", "2024-05-01"],
            "project_standard": ["100"] * 3,
            "completed": [True] * 3,
        }
    )
    out = evaluate_table("TRN-PROJECT", table)
    assert out["amount_fen"].to_list() == [None, None, 10000]
    assert out["error"][0].startswith("date: ") and out["error"][1].startswith("date: ")
    # the same for a rule evaluated row by row
    rows = evaluate_table(
        "EDU-BASE", pl.DataFrame({"date": ["20240501", "2024-05-01"], "recognised": [True, True]})
    )
    assert rows["error"][0].startswith("date: ") and rows["error"][1] is None


@pytest.mark.sqlite_only  # run_cli: the console on its own SQLite file
@pytest.mark.parametrize("count", [10**30, 1_000_001])
def test_it_refuses_a_head_count_past_a_sane_maximum_naming_the_fact(count, tmp_path: Path):
    facts = {"school_is_private": True, "major_is_demonstration": True, "students_year1": count,
             "students_year2": 0, "students_year3": 0, "excluded_hs_advanced": 0}  # fmt: skip
    with pytest.raises(BadFacts) as err:
        evaluate("EDU-DEMO-MAJOR", "2024-05-01", facts)
    assert err.value.fields == {"students_year1": "不能大于 1000000"}
    done = run_cli(
        "eval", "EDU-DEMO-MAJOR", "--date", "2024-05-01", "--facts", json.dumps(facts), tmp_path=tmp_path
    )
    assert done.returncode == 2 and "students_year1" in done.stderr and "Traceback" not in done.stderr
