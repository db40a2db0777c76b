"""What-if simulation: budgets by rule and town under changed parameters, its command and sources."""

from __future__ import annotations

import datetime
import io
import json
import os
import subprocess
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from skillcity.policy import params as P
from skillcity.policy import simulate as S
from tests.console import skillcity_command
from tests.factories import WorkerFactory

Y2024 = (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))


def _cases() -> pl.DataFrame:
    """Six events as a CSV would give them (every cell text), mixing three rules."""
    return pl.DataFrame(
        {
            "rule": ["TRN-PROJECT", "TRN-PROJECT", "TRN-UPSKILL", "TRN-UPSKILL", "TRN-PROJECT", "CMP-HOST"],
            "date": ["2024-03-01", "2024-05-01", "2024-06-01", "2024-06-02", "2025-02-01", "2024-01-02"],
            "town": ["长安镇", "虎门镇", "长安镇", "虎门镇", "长安镇", "虎门镇"],
            "project_standard": ["2800", "3200", None, None, "2000", None],
            "completed": ["true", "1", None, None, "false", None],
            "certificate_kind": [None, None, "skill_level", "skill_level", None, None],
            "level": [None, None, "3", "4", None, None],
            "in_shortage_catalog": [None, None, "是", "true", None, None],
            "competition_level": [None, None, None, None, None, "city_class1"],
        }
    )


def _line(lines: list[S.Line], key: str) -> S.Line:
    return next(line for line in lines if line.key == key)


def test_it_totals_the_budget_by_rule_and_by_town():
    result = S.simulate(_cases(), {"TRN-PROJECT.cap": "2500"}, *Y2024)
    # TRN-PROJECT: 2800 + min(3200, 3000) = 5800 now; 2500 + 2500 = 5000 with the cap at 2500.
    # The 2025 case is outside the range and not counted.
    project = _line(result.by_rule, "TRN-PROJECT")
    assert (project.cases, project.baseline, project.scenario) == (2, Decimal("5800.00"), Decimal("5000.00"))
    assert project.difference == Decimal("-800.00")
    # TRN-UPSKILL: level 3 in the shortage catalog 2000 × 1.3 = 2600; level 4 is not uplifted: 1500.
    upskill = _line(result.by_rule, "TRN-UPSKILL")
    assert (upskill.baseline, upskill.scenario) == (Decimal("4100.00"), Decimal("4100.00"))
    host = _line(result.by_rule, "CMP-HOST")
    assert host.baseline == host.scenario and host.baseline > 0  # a cap: the upper bound is committed
    changan = _line(result.by_town, "长安镇")
    assert (changan.baseline, changan.scenario) == (Decimal("5400.00"), Decimal("5100.00"))
    humen = _line(result.by_town, "虎门镇")
    assert humen.baseline == Decimal("3000.00") + Decimal("1500.00") + host.baseline
    assert result.total.baseline == project.baseline + upskill.baseline + host.baseline
    assert result.cases == 5 and result.not_in_force == 0 and result.errors == 0


def test_an_override_changes_only_the_rules_that_use_it():
    result = S.simulate(_cases(), {"TRN-UPSKILL.shortage_uplift": "1.5"}, *Y2024)
    assert _line(result.by_rule, "TRN-UPSKILL").scenario == Decimal("3000.00") + Decimal("1500.00")
    for key in ("TRN-PROJECT", "CMP-HOST"):
        assert _line(result.by_rule, key).difference == 0
    # The baseline parameters are untouched by the scenario.
    assert P.parameters()["TRN-UPSKILL.shortage_uplift"].versions[0].value == Decimal("1.3")


def test_a_count_parameter_is_read_from_text():
    # Uplift from level 4 too: the level-4 case becomes 1500 × 1.3 = 1950.
    result = S.simulate(_cases(), {"TRN-UPSKILL.shortage_max_level": "4"}, *Y2024)
    assert _line(result.by_rule, "TRN-UPSKILL").difference == Decimal("450.00")


def test_cases_out_of_force_and_bad_rows_are_counted_not_budgeted():
    cases = pl.DataFrame(
        {
            "rule": ["TRN-PROJECT", "TRN-PROJECT", "TRN-UPSKILL", "TRN-PROJECT"],
            "date": ["2021-06-01", "2023-01-01", "2023-01-01", "2023-02-01"],
            "town": ["长安镇", "长安镇", "虎门镇", None],
            "project_standard": ["2000", "2000", None, "1000"],
            "completed": ["true", "maybe", None, "true"],
            "certificate_kind": [None, None, "skill_level", None],
            "level": [None, None, None, None],
            "in_shortage_catalog": [None, None, "false", None],
        }
    )
    result = S.simulate(cases, {}, datetime.date(2021, 1, 1), datetime.date(2023, 12, 31))
    assert result.cases == 4
    assert result.not_in_force == 1  # 2021 is before the policy
    assert result.errors == 2  # "maybe" is no boolean; a skill-level certificate without a level
    assert any("completed" in s for s in result.error_samples)
    assert any("level" in s for s in result.error_samples)
    assert result.total.baseline == Decimal("1000.00")  # only the good, in-force row
    assert _line(result.by_town, S.UNKNOWN_TOWN).baseline == Decimal("1000.00")


def test_it_refuses_an_unknown_parameter_naming_it():
    with pytest.raises(S.SimulationError) as exc:
        S.simulate(_cases(), {"TRN-PROJECT.ceiling": "2500"}, *Y2024)
    assert exc.value.code == "unknown_parameter" and "TRN-PROJECT.ceiling" in str(exc.value.message)


@pytest.mark.parametrize(
    ("name", "value"),
    [("TRN-PROJECT.cap", "abc"), ("TRN-PROJECT.cap", "-5"), ("TRN-UPSKILL.shortage_max_level", "3.5")],
)
def test_it_refuses_a_bad_value(name, value):
    with pytest.raises(S.SimulationError) as exc:
        S.parse_overrides({name: value})
    assert exc.value.code == "bad_override" and name in exc.value.fields


def test_it_refuses_bad_tables():
    with pytest.raises(S.SimulationError, match="town"):
        S.simulate(_cases().drop("town"), {}, *Y2024)
    with pytest.raises(S.SimulationError, match="NOPE"):
        S.simulate(_cases().with_columns(pl.lit("NOPE").alias("rule")), {}, *Y2024)
    with pytest.raises(S.SimulationError, match="结束日期"):
        S.simulate(_cases(), {}, Y2024[1], Y2024[0])
    floats = (
        _cases()
        .filter(pl.col("rule") == "TRN-PROJECT")
        .with_columns(pl.lit(2800.5).alias("project_standard"))
    )
    with pytest.raises(S.SimulationError, match="浮点数"):
        S.simulate(floats, {}, *Y2024)


def test_a_case_with_a_bad_date_is_that_cases_error_and_the_others_go_on():
    cases = _cases().with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("20240301")).otherwise(pl.col("date")).alias("date")
    )
    result = S.simulate(cases, {}, *Y2024)
    assert result.errors == 1 and "date" in result.error_samples[0] and "20240301" in result.error_samples[0]
    assert _line(result.by_rule, "TRN-PROJECT").baseline == Decimal("3000.00")  # the other 2024 case


@pytest.mark.parametrize("value", ["1,000", "0.005", "1e30", "-0", "92000000000000000"])
def test_a_bad_amount_in_a_cases_file_is_that_rows_error_naming_the_fact(value):
    cases = _cases().with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit(value))
        .otherwise(pl.col("project_standard"))
        .alias("project_standard")
    )
    result = S.simulate(cases, {}, *Y2024)
    assert result.errors == 1
    assert result.error_samples[0].startswith("TRN-PROJECT 第1行：project_standard: ")
    assert _line(result.by_rule, "TRN-PROJECT").baseline == Decimal("3000.00")


def test_the_demo_source_is_deterministic_and_uses_the_registry(changan, humen):
    WorkerFactory.create_batch(15, town=changan, highest_level=3)
    WorkerFactory.create_batch(15, town=humen, highest_level=None)
    first = S.events_from("demo", *Y2024)
    # Every level-3 worker makes an upskill case, with a level from the registry.
    upskill = first.filter(pl.col("rule") == "TRN-UPSKILL")
    assert upskill.height == 15 and set(upskill["town"].to_list()) == {"长安镇"}
    assert set(upskill["level"].to_list()) == {3}
    assert first.equals(S.events_from("demo", *Y2024))
    assert set(first["town"].to_list()) <= {"长安镇", "虎门镇"}
    assert set(first["rule"].unique().to_list()) <= {"TRN-UPSKILL", "TRN-PROJECT"}
    assert first["date"].min() >= Y2024[0] and first["date"].max() <= Y2024[1]


def test_the_demo_source_falls_back_to_a_synthetic_set(db):
    cases = S.demo_cases(*Y2024)
    assert cases.height > 100
    assert S.simulate(cases, {"TRN-PROJECT.cap": "2500"}, *Y2024).total.difference < 0


def test_a_registered_source_is_offered(db):
    S.register_event_source("test-source", lambda start, end: _cases(), label="测试")
    try:
        assert S.simulate(S.events_from("test-source", *Y2024), {}, *Y2024).cases == 5
    finally:
        del S.EVENT_SOURCES["test-source"]
    with pytest.raises(S.SimulationError, match="test-source"):
        S.events_from("test-source", *Y2024)


def _write_cases(tmp_path: Path) -> Path:
    path = tmp_path / "cases.csv"
    _cases().write_csv(path)
    return path


def test_the_command_prints_tables_and_json(tmp_path):
    path = _write_cases(tmp_path)
    out = io.StringIO()
    call_command(
        "simulate", "--set", "TRN-PROJECT.cap=2500", "--from", "2024-01-01", "--to", "2024-12-31",
        "--cases", str(path), stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    assert "By rule" in text and "By town" in text
    assert "TRN-PROJECT" in text and "-800.00" in text and "长安镇" in text
    out = io.StringIO()
    call_command(
        "simulate", "--set", "TRN-PROJECT.cap=2500", "--from", "2024-01-01", "--to", "2024-12-31",
        "--cases", str(path), "--json", stdout=out,
    )  # fmt: skip
    data = json.loads(out.getvalue())
    assert data["total"]["difference"] == "-800.00"
    assert {row["key"] for row in data["by_rule"]} == {"TRN-PROJECT", "TRN-UPSKILL", "CMP-HOST"}


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--set", "NOPE.cap=1"], "NOPE.cap"),
        (["--set", "TRN-PROJECT.cap=abc"], "TRN-PROJECT.cap"),
        (["--set", "TRN-PROJECT.cap"], "应写作 参数=值"),
        (["--from", "2024-02-30"], "--from"),
        (["--from", "20240101"], "不是有效日期"),
        (["--cases", "/nonexistent/cases.csv"], "找不到案例文件"),
        (["--source", "nope"], "nope"),
    ],
)
def test_the_command_exits_2_on_bad_input(db, args, needle):
    base = {"--from": "2024-01-01", "--to": "2024-12-31"}
    argv = list(args)
    for option, value in base.items():
        if option not in argv:
            argv += [option, value]
    with pytest.raises(CommandError) as exc:
        call_command("simulate", *argv, stdout=io.StringIO())
    assert exc.value.returncode == 2
    assert needle in str(exc.value)


@pytest.mark.sqlite_only  # the console on its own SQLite file, whichever half
def test_the_console_command_exits_0_and_2(tmp_path):
    path = _write_cases(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SKILLCITY_DATA_DIR"] = str(tmp_path / "data")
    common = ["--from", "2024-01-01", "--to", "2024-12-31", "--cases", str(path)]
    ok = subprocess.run(
        [*skillcity_command(), "simulate", "--set", "TRN-PROJECT.cap=2500", *common, "--json"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["total"]["difference"] == "-800.00"
    bad = subprocess.run(
        [*skillcity_command(), "simulate", "--set", "TRN-PROJECT.ceiling=2500", *common],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert bad.returncode == 2
    assert "TRN-PROJECT.ceiling" in bad.stderr


def test_a_parquet_cases_file_keeps_its_types(tmp_path):
    path = tmp_path / "cases.parquet"
    pl.DataFrame(
        {
            "rule": ["TRN-UPSKILL", "TRN-UPSKILL"],
            "date": [datetime.date(2024, 2, 1), datetime.date(2024, 3, 1)],
            "town": ["长安镇", "长安镇"],
            "certificate_kind": ["skill_level", "special_ability"],
            "level": [2, None],
            "in_shortage_catalog": [True, False],
        }
    ).write_parquet(path)
    result = S.simulate(S.read_cases(path), {"TRN-UPSKILL.special_ability": "600"}, *Y2024)
    # Level 2 in the shortage catalog: 2500 × 1.3 = 3250; a special-ability certificate 500 → 600.
    assert result.total.baseline == Decimal("3750.00")
    assert result.total.scenario == Decimal("3850.00")


@pytest.mark.django_db
def test_training_and_grants_offer_their_stored_events_to_the_simulation(changan):
    import datetime as dt
    from decimal import Decimal as D

    from skillcity.policy.simulate import EVENT_SOURCES, events_from, simulate
    from skillcity.registry.models import OrganisationCategory
    from skillcity.training import services as training
    from tests.factories import OccupationFactory, OrganisationFactory, WorkerFactory

    assert {"training", "grants"} <= set(EVENT_SOURCES)
    provider = OrganisationFactory(town=changan, category=OrganisationCategory.TRAINING_INSTITUTION)
    project = training.project_create(provider=provider, name="p", occupation=OccupationFactory(), level=None,
        per_person_standard=D("2800"), capacity=5, start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 6, 30),
        actor="t")  # fmt: skip
    klass = training.class_create(project=project, name="一班", start_date=project.start_date, end_date=project.end_date, actor="t")  # fmt: skip
    e = training.enrolment_create(training_class=klass, worker=WorkerFactory(town=changan), enrolled_on=dt.date(2024, 1, 2), actor="t")  # fmt: skip
    training.enrolment_complete(enrolment=e, completed_on=dt.date(2024, 3, 1), passed=True, assessment_score=None,
                                certified_level=3, actor="t")  # fmt: skip
    cases = events_from("training", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert sorted(cases["rule"].to_list()) == ["TRN-PROJECT", "TRN-UPSKILL"]
    result = simulate(cases, {"TRN-PROJECT.cap": "2500"}, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    totals = {r.key: (r.baseline, r.scenario) for r in result.by_rule}
    assert totals["TRN-PROJECT"] == (D("2800.00"), D("2500.00"))
