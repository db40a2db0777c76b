"""The what-if run: parameters overridden or replaced, every rule's cases evaluated twice (baseline and
scenario) on the vectorised path, the budgets compared by rule, town and year."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import polars as pl

from skillcity.core.errors import DomainError
from skillcity.policy import batch
from skillcity.policy import engine as E
from skillcity.policy import params as P
from skillcity.policy.facts import BOOL, CHOICES, DATE, INT, LEVEL, MONEY, TEXTS, parse_iso_date

UNKNOWN_TOWN = "（未填镇街）"
BAD_DATE_YEAR = "（日期有误）"
TRUE_WORDS = {"true", "1", "yes", "y", "t", "是"}
FALSE_WORDS = {"false", "0", "no", "n", "f", "否"}
LIST_SEPARATOR = "|"  # choices/texts facts in a CSV cell: "a|b|c"


class SimulationError(DomainError):
    """Bad input to a simulation: an unknown parameter, a bad value or date, a missing file or column."""

    status = 422


# ---- overrides ------------------------------------------------------------------------------------


def parse_overrides(raw: Mapping[str, Any], ps: Mapping[str, P.Parameter] | None = None) -> dict[str, Any]:
    """Override texts (`{"TRN-PROJECT.cap": "2500"}`) as values of each parameter's unit (of `ps`, by
    default the parameters in force).

    Amounts and ratios stay decimal strings for `params.parse_value`; counts, months, years and
    percents become ints and switches bools, since parse_value is strict about those types.
    """
    ps = P.parameters() if ps is None else ps
    parsed: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in ps:
            raise SimulationError(
                "unknown_parameter",
                f"未知的参数“{name}”；可用参数见 skillcity policy parameters",
                {name: "不是已知参数"},
            )
        unit = ps[name].unit
        text = str(value).strip()
        converted: Any = text
        if unit in ("count", "months", "years", "percent"):
            try:
                converted = int(text)
            except ValueError:
                converted = text  # parse_value names the problem
        elif unit == "bool":
            low = text.lower()
            converted = True if low in TRUE_WORDS else False if low in FALSE_WORDS else text
        elif unit in ("list", "map"):
            raise SimulationError(
                "bad_override", f"参数“{name}”是{unit}类型，测算不支持替换", {name: "不支持替换此类参数"}
            )
        try:
            P.parse_value(converted, unit, name)
        except P.ParameterFileError:
            raise SimulationError(
                "bad_override",
                f"参数“{name}”的值“{text}”无效（单位：{unit}）",
                {name: f"“{text}”不是有效的{unit}值"},
            ) from None
        parsed[name] = converted
    return parsed


def scenario_parameters(overrides: Mapping[str, Any]) -> dict[str, P.Parameter]:
    return P.with_overrides(P.parameters(), parse_overrides(overrides))


# ---- result ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Line:
    """One row of a result table: the cases counted and the budget before and after."""

    key: str
    label: str
    cases: int
    baseline: Decimal
    scenario: Decimal

    @property
    def difference(self) -> Decimal:
        return self.scenario - self.baseline

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "cases": self.cases,
            "baseline": str(self.baseline),
            "scenario": str(self.scenario),
            "difference": str(self.difference),
        }


@dataclasses.dataclass(frozen=True)
class SimulationResult:
    overrides: dict[str, str]
    date_from: datetime.date
    date_to: datetime.date
    by_rule: list[Line]
    by_town: list[Line]
    total: Line
    cases: int  # events in the date range
    not_in_force: int
    errors: int
    error_samples: list[str]
    by_year: list[Line] = dataclasses.field(default_factory=list)
    # A reform (`policy.reforms`): what the scenario is, and the rules only one side enables (counted on
    # that side alone).
    reform: dict[str, str] = dataclasses.field(default_factory=dict)
    only_baseline: list[str] = dataclasses.field(default_factory=list)
    only_scenario: list[str] = dataclasses.field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "reform": dict(self.reform),
            "only_baseline": list(self.only_baseline),
            "only_scenario": list(self.only_scenario),
            "overrides": dict(self.overrides),
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "cases": self.cases,
            "not_in_force": self.not_in_force,
            "errors": self.errors,
            "error_samples": list(self.error_samples),
            "total": self.total.as_dict(),
            "by_rule": [line.as_dict() for line in self.by_rule],
            "by_town": [line.as_dict() for line in self.by_town],
            "by_year": [line.as_dict() for line in self.by_year],
        }


# ---- the simulation -------------------------------------------------------------------------------


def _as_date_column(df: pl.DataFrame) -> pl.DataFrame:
    """The `date` column as dates, and `__date_error` for a cell that is not a date (that case's error;
    the other cases go on)."""
    dtype = df.schema["date"]
    if dtype == pl.Date:
        return df.with_columns(pl.lit(None, dtype=pl.Utf8).alias("__date_error"))
    if isinstance(dtype, pl.Datetime):
        return df.with_columns(pl.col("date").dt.date(), pl.lit(None, dtype=pl.Utf8).alias("__date_error"))
    if dtype == pl.Utf8:
        text = pl.col("date").str.strip_chars()
        values = df.select(text.unique()).to_series().to_list()
        day, error = batch.read_values(text, values, parse_iso_date, pl.Date)
        return df.with_columns(
            day.alias("date"),
            pl.when(text.is_null()).then(pl.lit("缺少日期")).otherwise(error).alias("__date_error"),
        )
    raise SimulationError("bad_date", f"date 列应为日期，不能是 {dtype}", {"date": "应为日期列"})


def _typed_facts(df: pl.DataFrame, rule: E.Rule) -> tuple[pl.DataFrame, pl.Expr]:
    """The rule's fact columns in the types batch expects (CSV cells arrive as text), and a per-row
    message for cells that could not be read."""
    columns: list[pl.Expr] = []
    problems: list[pl.Expr] = [
        pl.when(pl.col("__date_error").is_not_null()).then(pl.lit("date: ") + pl.col("__date_error"))
    ]
    for fact in rule.facts:
        if fact.name not in df.columns or df.schema[fact.name] == pl.Null:
            target: Any = {BOOL: pl.Boolean, INT: pl.Int64, LEVEL: pl.Int64}.get(fact.kind, pl.Utf8)
            if fact.kind in (CHOICES, TEXTS):
                target = pl.List(pl.Utf8)
            columns.append(pl.lit(None, dtype=target).alias(fact.name))
            continue
        col, dtype = pl.col(fact.name), df.schema[fact.name]
        converted: pl.Expr | None = None
        if dtype == pl.Utf8:
            text = col.str.strip_chars()
            text = pl.when(text == "").then(None).otherwise(text)
            if fact.kind == BOOL:
                low = text.str.to_lowercase()
                converted = (
                    pl.when(low.is_in(list(TRUE_WORDS)))
                    .then(True)
                    .when(low.is_in(list(FALSE_WORDS)))
                    .then(False)
                    .otherwise(None)
                )
            elif fact.kind in (INT, LEVEL):
                converted = text.cast(pl.Int64, strict=False)
            elif fact.kind in (CHOICES, TEXTS):
                converted = text.str.split(LIST_SEPARATOR).list.eval(pl.element().str.strip_chars())
            else:  # money and dates are read by batch with the one-at-a-time parsers
                converted = text
            problems.append(
                pl.when(text.is_not_null() & converted.is_null()).then(pl.lit(f"{fact.name}: 无法识别的值"))
            )
        elif fact.kind == MONEY and dtype.is_float():
            # A float column is not exact; refuse it rather than guess at cents.
            raise SimulationError(
                "bad_facts",
                f"列“{fact.name}”是浮点数，金额请写成文本或整数（到分）",
                {fact.name: "金额列不能是浮点数"},
            )
        elif fact.kind == DATE and dtype == pl.Date:
            converted = col.dt.to_string("%Y-%m-%d") if rule.id not in batch.VECTORISED else col
        columns.append((converted if converted is not None else col).alias(fact.name))
    frame = df.select([pl.col("date"), pl.col("__row"), *columns])
    problem = pl.concat_str(problems, separator="; ", ignore_nulls=True).replace("", None)
    row_problems = df.select(pl.col("__row"), problem.alias("__read_error"))
    return frame.join(row_problems, on="__row"), problem


def _budget_fen(out: pl.DataFrame) -> pl.Series:
    good = out["in_force"].fill_null(False) & out["eligible"].fill_null(False) & out["error"].is_null()
    amount = out.select(pl.coalesce(pl.col("amount_fen"), pl.col("max_fen"), pl.lit(0, dtype=pl.Int64)))
    return pl.Series(
        [a if g else 0 for a, g in zip(amount.to_series().to_list(), good.to_list(), strict=True)],
        dtype=pl.Int64,
    )


def _evaluate_rule(
    rule: E.Rule,
    part: pl.DataFrame,
    baseline: Mapping[str, P.Parameter] | None,
    scenario: Mapping[str, P.Parameter] | None,
    scenario_pack: str | None = None,
) -> pl.DataFrame:
    """Per row of `part`: __row, in_force, error, baseline_fen, scenario_fen. A side given None does not
    enable the rule: its budget is 0 and the other side's evaluation says whether the case is in force."""
    facts, _problem = _typed_facts(part, rule)
    readable = facts.filter(pl.col("__read_error").is_null()).drop("__read_error")
    unreadable = facts.filter(pl.col("__read_error").is_not_null())
    frames = []
    if readable.height:
        try:
            before = batch.evaluate_table(rule.id, readable, parameter_set=baseline) if baseline else None
            after = (
                batch.evaluate_table(rule.id, readable, parameter_set=scenario, pack=scenario_pack)
                if scenario
                else None
            )
        except E.BadFacts as exc:
            raise SimulationError(
                exc.code,
                f"规则 {rule.id}：{exc.message}",
                {f"{rule.id}.{k}": v for k, v in exc.fields.items()},
            ) from None
        sides = [side for side in (before, after) if side is not None]
        either = sides[0]
        zero = pl.Series([0] * either.height, dtype=pl.Int64)
        # In force on either side (a reform may bring a version the baseline lacks); the first error.
        in_force = either["in_force"].fill_null(False)
        error = either["error"]
        if len(sides) == 2:
            in_force = in_force | sides[1]["in_force"].fill_null(False)
            error = pl.select(pl.coalesce(pl.lit(error), pl.lit(sides[1]["error"]))).to_series()
        frames.append(
            pl.DataFrame(
                {
                    "__row": either["__row"],
                    "in_force": in_force,
                    "error": error,
                    "baseline_fen": _budget_fen(before) if before is not None else zero,
                    "scenario_fen": _budget_fen(after) if after is not None else zero,
                }
            )
        )
    if unreadable.height:
        frames.append(
            pl.DataFrame(
                {
                    "__row": unreadable["__row"],
                    "in_force": pl.Series([True] * unreadable.height, dtype=pl.Boolean),
                    "error": unreadable["__read_error"],
                    "baseline_fen": pl.Series([0] * unreadable.height, dtype=pl.Int64),
                    "scenario_fen": pl.Series([0] * unreadable.height, dtype=pl.Int64),
                }
            )
        )
    return pl.concat(frames, how="vertical_relaxed")


def _lines(table: pl.DataFrame, key: str, labels: Mapping[str, str]) -> list[Line]:
    grouped = (
        table.group_by(key)
        .agg(
            pl.len().alias("cases"),
            pl.col("baseline_fen").sum().alias("baseline_fen"),
            pl.col("scenario_fen").sum().alias("scenario_fen"),
        )
        .sort(key)
    )
    return [
        Line(
            key=row[key],
            label=labels.get(row[key], row[key]),
            cases=row["cases"],
            baseline=batch.fen_to_decimal(row["baseline_fen"]) or Decimal("0.00"),
            scenario=batch.fen_to_decimal(row["scenario_fen"]) or Decimal("0.00"),
        )
        for row in grouped.iter_rows(named=True)
    ]


def simulate(
    cases: pl.DataFrame,
    overrides: Mapping[str, Any],
    date_from: datetime.date,
    date_to: datetime.date,
    *,
    scenario_set: Mapping[str, P.Parameter] | None = None,
    scenario_pack: str | None = None,
    reform: Mapping[str, str] | None = None,
) -> SimulationResult:
    """Baseline and scenario budgets of the cases dated within [date_from, date_to], by rule, town and year.
    `scenario_set`: a whole parameter set as the scenario instead of overrides (a draft's versions added,
    `policy.lifecycle.preview`); with `scenario_pack`, the scenario evaluates under that pack's rules (a
    rule only one side enables is counted on that side alone, listed in `only_baseline`/`only_scenario`).
    `reform` describes the scenario for the page and the export (`policy.reforms`)."""
    if date_to < date_from:
        raise SimulationError("bad_date", "结束日期早于开始日期", {"to": "不能早于开始日期"})
    missing = [c for c in ("rule", "date", "town") if c not in cases.columns]
    if missing:
        raise SimulationError(
            "bad_cases", f"案例表缺少列：{', '.join(missing)}", {m: "缺少此列" for m in missing}
        )
    scenario = scenario_set if scenario_set is not None else scenario_parameters(overrides)
    baseline = P.parameters()
    base_rules = E.enabled_rules()  # a rule the active pack does not enable is unknown to it
    scenario_rules = E.enabled_rules(scenario_pack) if scenario_pack else base_rules
    rules = {**scenario_rules, **base_rules}
    table = _as_date_column(cases).with_row_index("__row")
    table = table.with_columns(
        pl.col("rule").cast(pl.Utf8).str.strip_chars(),
        pl.col("town").cast(pl.Utf8).fill_null(UNKNOWN_TOWN),
    ).filter(pl.col("date").is_between(date_from, date_to) | pl.col("__date_error").is_not_null())
    unknown = sorted({r for r in table["rule"].unique().to_list() if r not in rules}, key=str)
    if unknown:
        raise SimulationError(
            "unknown_rule",
            f"案例表中有未知的规则编号：{', '.join(map(str, unknown))}",
            {"rule": f"“{unknown[0]}”不是已知规则"},
        )
    present = sorted(table["rule"].unique().to_list())
    evaluated = [
        _evaluate_rule(
            rules[rule_id],
            table.filter(pl.col("rule") == rule_id),
            baseline if rule_id in base_rules else None,
            scenario if rule_id in scenario_rules else None,
            scenario_pack,
        )
        for rule_id in present
    ]
    schema = {
        "__row": pl.UInt32,
        "in_force": pl.Boolean,
        "error": pl.Utf8,
        "baseline_fen": pl.Int64,
        "scenario_fen": pl.Int64,
    }
    outcomes = pl.concat(evaluated, how="vertical_relaxed") if evaluated else pl.DataFrame(schema=schema)
    years = pl.col("date").dt.year().cast(pl.Utf8).fill_null(BAD_DATE_YEAR).alias("year")
    joined = table.select("__row", "rule", "town", years).join(outcomes, on="__row", how="left")
    rule_labels = {rule_id: f"{rule_id} {rules[rule_id].title}" for rule_id in rules}
    by_rule = _lines(joined, "rule", rule_labels)
    by_town = _lines(joined, "town", {})
    by_year = _lines(joined, "year", {})
    total = Line(
        key="total",
        label="合计",
        cases=joined.height,
        baseline=sum((line.baseline for line in by_rule), Decimal("0.00")),
        scenario=sum((line.scenario for line in by_rule), Decimal("0.00")),
    )
    errors = joined.filter(pl.col("error").is_not_null())
    samples = [
        f"{row['rule']} 第{row['__row'] + 1}行：{row['error']}"
        for row in errors.sort("__row").head(10).iter_rows(named=True)
    ]
    return SimulationResult(
        overrides={k: str(v) for k, v in overrides.items()},
        date_from=date_from,
        date_to=date_to,
        by_rule=by_rule,
        by_town=by_town,
        total=total,
        cases=joined.height,
        not_in_force=joined.filter(~pl.col("in_force").fill_null(False)).height,
        errors=errors.height,
        error_samples=samples,
        by_year=by_year,
        reform=dict(reform or {}),
        only_baseline=[r for r in present if r in base_rules and r not in scenario_rules],
        only_scenario=[r for r in present if r in scenario_rules and r not in base_rules],
    )
