"""The vectorised form of the rules: one table of cases in, one table of outcomes out (polars).

Money is exact: amounts are integer fen (Int64) throughout, ratios applied with integer arithmetic and
rounded half up, which is what the Decimal path's `round_fen` does. A property test holds every
vectorised rule to the one-at-a-time answer.

    evaluate_table("TRN-PROJECT", cases)                 # a `date` column per case
    evaluate_table("TRN-PROJECT", cases, date=date(2024, 3, 1))

Output: the input columns plus `in_force`, `eligible`, `basis`, `amount_fen`, `min_fen`, `max_fen`,
`payee`, `error` (a bad row's problem; null when fine). Rules without a vectorised form are evaluated
row by row through `engine.evaluate`, with the same output (`vectorised(rule_id)` says which).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

import polars as pl

from skillcity.core.money import MONEY_MAX
from skillcity.policy import engine as E
from skillcity.policy import params as P
from skillcity.policy.facts import (
    BOOL,
    CHOICE,
    DATE,
    INT,
    LEVEL,
    MONEY,
    MONEY_TOO_LARGE,
    parse_iso_date,
    parse_money,
)

OUT = ("in_force", "eligible", "basis", "amount_fen", "min_fen", "max_fen", "payee", "error")
NULL_I = pl.lit(None, dtype=pl.Int64)
NULL_S = pl.lit(None, dtype=pl.Utf8)


class V:
    """What a vectorised rule gets: fact columns (money as fen) and parameters as per-row columns.

    A parameter a rule reads becomes one column, `__p_<name>`, made once per table: the dates on which any
    parameter of the rule changes cut time into segments, each row's segment is found by one sorted
    search on its date (`__seg`), and each parameter's value on each segment is gathered from a small
    table made here (yuan as integer fen, a ratio as an integer numerator over `ratio_den`).
    """

    def __init__(self, rule: E.Rule, ps: Mapping[str, P.Parameter]):
        self.rule = rule
        self.ps = ps
        self.used: dict[str, int] = {}  # parameter name → denominator (1 but for ratios)
        self.columns_needed: set[str] = set()  # the parameters read as a per-row column
        # Parameters of every `requires` group: wherever the rule is in force, each has a version.
        self.required = set.intersection(*(set(group) for group in rule.requires)) if rule.requires else set()

    def fact(self, name: str) -> pl.Expr:
        return pl.col(f"__f_{name}")

    def _register(self, name: str) -> P.Parameter:
        """Count the parameter among the rule's (its versions cut the segments)."""
        parameter = self.ps[name]
        if parameter.unit in ("list", "map"):
            raise TypeError(f"{name}: a {parameter.unit} parameter has no vectorised form")
        if name not in self.used:
            self.used[name] = ratio_den(parameter) if parameter.unit == "ratio" else 1
        return parameter

    def _use(self, name: str) -> pl.Expr:
        parameter = self._register(name)
        values = {v.value for v in parameter.versions}
        if name in self.required and len(values) == 1:
            # One value in every version, and a version wherever the rule is in force (rows where it is
            # not are refused whatever the value): the value itself, with no column.
            dtype = pl.Boolean if parameter.unit == "bool" else pl.Int64
            return pl.lit(_vector_value(parameter, parameter.versions[0], self.used[name]), dtype=dtype)
        self.columns_needed.add(name)
        return pl.col(f"__p_{name}")

    def param(self, name: str) -> pl.Expr:
        """The parameter's value on each row's date (null where no version applies); yuan as fen."""
        if self.ps[name].unit == "ratio":
            raise TypeError(f"{name}: use ratio_apply for ratios")
        return self._use(name)

    def has(self, name: str) -> pl.Expr:
        return self.param_present(name)

    def param_present(self, name: str) -> pl.Expr:
        self._use(name)
        self.columns_needed.add(name)
        return pl.col(f"__p_{name}").is_not_null()

    def ratio_apply(self, name: str, fen: pl.Expr) -> pl.Expr:
        """fen × ratio, rounded half up to the fen (non-negative amounts), per the version on each row's date."""
        num = self._use(name)
        den = self.used[name]
        return (fen * num * 2 + den) // (2 * den)

    def in_force_table(self) -> list[bool]:
        """Whether the rule is in force on each segment (one of its `requires` groups fully present)."""
        for group in self.rule.requires:
            for name in group:
                self._register(name)
        starts = segment_starts(self.ps, self.used)
        return [False] + [
            any(all(self.ps[n].version_on(day) is not None for n in group) for group in self.rule.requires)
            for day in starts
        ]

    def columns(self) -> tuple[pl.Expr, list[pl.Expr]]:
        """(`__seg`, the `__p_<name>` columns of every parameter the rule read), to add in that order."""
        starts = segment_starts(self.ps, self.used)
        seg = pl.lit(pl.Series(starts, dtype=pl.Date)).search_sorted(pl.col("__date"), side="right")
        columns = []
        for name, den in self.used.items():
            if name not in self.columns_needed:
                continue
            parameter = self.ps[name]
            table = [None] + [_vector_value(parameter, parameter.version_on(day), den) for day in starts]
            dtype = pl.Boolean if parameter.unit == "bool" else pl.Int64
            columns.append(pl.lit(pl.Series(table, dtype=dtype)).gather(pl.col("__seg")).alias(f"__p_{name}"))
        return seg.alias("__seg"), columns


def ratio_den(parameter: P.Parameter) -> int:
    """A power of ten that makes every version of a ratio an integer numerator."""
    places = 0
    for v in parameter.versions:
        exponent = v.value.as_tuple().exponent
        places = max(places, -exponent if isinstance(exponent, int) and exponent < 0 else 0)
    return 10**places


def segment_starts(ps: Mapping[str, P.Parameter], names: Iterable[str]) -> list[datetime.date]:
    """Every day on which one of the parameters changes: a version starts, or the day after one ends.
    Between two such days (a segment) every parameter has one value or none."""
    days: set[datetime.date] = set()
    for name in names:
        for v in ps[name].versions:
            days.add(v.effective_from)
            if v.effective_to is not None and v.effective_to < P.FAR_FUTURE:
                days.add(v.effective_to + datetime.timedelta(days=1))
    return sorted(days)


def _vector_value(parameter: P.Parameter, version: P.Version | None, den: int) -> Any:
    if version is None:
        return None
    if parameter.unit == "yuan":
        return int(version.value * 100)
    if parameter.unit == "ratio":
        return int(version.value * den)
    return version.value


Result = dict[str, pl.Expr]
VECTORISED: dict[str, Callable[[V], Result]] = {}


def vectorised(rule_id: str) -> bool:
    return rule_id in VECTORISED


def _register(rule_id: str) -> Callable[[Callable[[V], Result]], Callable[[V], Result]]:
    def wrap(fn: Callable[[V], Result]) -> Callable[[V], Result]:
        VECTORISED[rule_id] = fn
        return fn

    return wrap


def _out(
    eligible: pl.Expr, basis: pl.Expr, amount: pl.Expr, low: pl.Expr, high: pl.Expr, payee: pl.Expr
) -> Result:
    return {
        "eligible": eligible,
        "basis": basis,
        "amount_fen": amount,
        "min_fen": low,
        "max_fen": high,
        "payee": payee,
    }


def _min(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    return pl.when(a <= b).then(a).otherwise(b)


# ---- training -------------------------------------------------------------------------------------


@_register("TRN-PROJECT")
def _trn_project(v: V) -> Result:
    cap = v.param("TRN-PROJECT.cap")
    done = v.fact("completed")
    amount = _min(v.fact("project_standard"), cap)
    return _out(
        done,
        pl.when(done).then(pl.lit("cap")).otherwise(pl.lit("none")),
        pl.when(done).then(amount).otherwise(NULL_I),
        NULL_I,
        pl.when(done).then(cap).otherwise(NULL_I),
        pl.when(done).then(pl.lit("training_provider")).otherwise(NULL_S),
    )


@_register("TRN-UPSKILL")
def _trn_upskill(v: V) -> Result:
    kind, level = v.fact("certificate_kind"), v.fact("level")
    base: Any = pl.when(kind == "special_ability").then(v.param("TRN-UPSKILL.special_ability"))
    base = base.when(kind == "special_operation").then(v.param("TRN-UPSKILL.special_operation"))
    for lvl in range(1, 6):
        base = base.when(level == lvl).then(v.param(f"TRN-UPSKILL.level{lvl}"))
    base = base.otherwise(NULL_I)
    uplift = (
        v.fact("in_shortage_catalog")
        & (kind == "skill_level")
        & (level <= v.param("TRN-UPSKILL.shortage_max_level"))
    )
    amount = pl.when(uplift).then(v.ratio_apply("TRN-UPSKILL.shortage_uplift", base)).otherwise(base)
    return _out(pl.lit(True), pl.lit("fixed"), amount, NULL_I, NULL_I, pl.lit("worker"))


@_register("TRN-PAYEE")
def _trn_payee(v: V) -> Result:
    direct = v.fact("trainee_is_provider_employee") & v.param("TRN-PAYEE.employer_trains_own_staff")
    return _out(
        pl.lit(True),
        pl.lit("none"),
        NULL_I,
        NULL_I,
        NULL_I,
        pl.when(direct).then(pl.lit("enterprise")).otherwise(pl.lit("worker")),
    )


# ---- education ------------------------------------------------------------------------------------


@_register("EDU-GRAD-RETENTION")
def _edu_grad_retention(v: V) -> Result:
    years = v.param("EDU-GRAD-RETENTION.window_years")
    grad = v.fact("graduation_date")
    # The same calendar day `years` later (29 Feb → 28 Feb), as engine's add_years.
    deadline = grad.dt.offset_by(pl.concat_str([years.cast(pl.Utf8), pl.lit("y")]))
    ok = (
        v.fact("school_is_private")
        & v.fact("major_fits_industry")
        & (v.fact("employment_start") >= grad.dt.month_start())
        & (v.fact("employment_start") <= deadline)
        & v.fact("employer_in_dongguan")
        & (
            v.fact("same_employer_continuous_insured_months")
            >= v.param("EDU-GRAD-RETENTION.min_insured_months")
        )
    )
    return _out(
        ok,
        pl.when(ok).then(pl.lit("fixed")).otherwise(pl.lit("none")),
        pl.when(ok).then(v.param("EDU-GRAD-RETENTION.per_graduate")).otherwise(NULL_I),
        NULL_I,
        NULL_I,
        pl.when(ok).then(pl.lit("school")).otherwise(NULL_S),
    )


# ---- competitions ---------------------------------------------------------------------------------

PROVINCIAL_OR_HIGHER = [
    "provincial_class1",
    "provincial_class2",
    "national_class1",
    "national_class2",
    "worldskills",
]


def _when_eligible(
    ok: pl.Expr, basis: str, amount: pl.Expr, low: pl.Expr, high: pl.Expr, payee: str
) -> Result:
    return _out(
        ok,
        pl.when(ok).then(pl.lit(basis)).otherwise(pl.lit("none")),
        pl.when(ok).then(amount).otherwise(NULL_I),
        pl.when(ok).then(low).otherwise(NULL_I),
        pl.when(ok).then(high).otherwise(NULL_I),
        pl.when(ok).then(pl.lit(payee)).otherwise(NULL_S),
    )


@_register("CMP-HOST")
def _cmp_host(v: V) -> Result:
    level = v.fact("competition_level")
    floor: Any = None
    for lvl in ("city_class1", "city_class2", "city_selection", "provincial_class1", "provincial_class2"):
        cond = level == lvl
        value = v.param(f"CMP-HOST.{lvl}")
        floor = pl.when(cond).then(value) if floor is None else floor.when(cond).then(value)
    floor = floor.otherwise(NULL_I)
    national = level.is_in(["national_class1", "national_class2"])
    has_floor = floor.is_not_null()
    return _out(
        has_floor | national,
        pl.when(has_floor)
        .then(pl.lit("floor"))
        .when(national)
        .then(pl.lit("case_by_case"))
        .otherwise(pl.lit("none")),
        floor,
        floor,
        NULL_I,
        pl.when(has_floor | national).then(pl.lit("host_unit")).otherwise(NULL_S),
    )


@_register("CMP-PRIZE-CITY")
def _cmp_prize_city(v: V) -> Result:
    award = v.fact("award")
    floor: Any = None
    for a in ("gold", "silver", "bronze", "excellence"):
        value = v.param(f"CMP-PRIZE-CITY.{a}")
        floor = pl.when(award == a).then(value) if floor is None else floor.when(award == a).then(value)
    ok = v.fact("competition_level") == "city_class1"
    return _when_eligible(ok, "floor", floor, floor, NULL_I, "player")


@_register("CMP-TEAM")
def _cmp_team(v: V) -> Result:
    ok = v.fact("competition_level").is_in(PROVINCIAL_OR_HIGHER)
    capped = v.has("CMP-TEAM.cap")
    result = _when_eligible(ok, "range", NULL_I, v.param("CMP-TEAM.min"), v.param("CMP-TEAM.max"), "unit")
    result["basis"] = pl.when(ok & capped).then(pl.lit("cap")).otherwise(result["basis"])
    result["min_fen"] = pl.when(capped).then(NULL_I).otherwise(result["min_fen"])
    result["max_fen"] = pl.when(ok & capped).then(v.param("CMP-TEAM.cap")).otherwise(result["max_fen"])
    return result


@_register("CMP-CAMP")
def _cmp_camp(v: V) -> Result:
    ok = v.fact("competition_level").is_in(PROVINCIAL_OR_HIGHER)
    return _when_eligible(ok, "range", NULL_I, v.param("CMP-CAMP.min"), v.param("CMP-CAMP.max"), "unit")


@_register("CMP-MATCH")
def _cmp_match(v: V) -> Result:
    prize = v.fact("contest_prize_money")
    national = v.fact("competition_level").str.starts_with("national")
    no_prize = (
        pl.when(national)
        .then(v.param("CMP-MATCH.no_prize_national"))
        .otherwise(v.param("CMP-MATCH.no_prize_provincial"))
    )
    raw = pl.when(prize > 0).then(v.ratio_apply("CMP-MATCH.ratio", prize)).otherwise(no_prize)
    cap = v.param("CMP-MATCH.cap")
    amount = pl.when(cap.is_not_null() & (raw > cap)).then(cap).otherwise(raw)
    return _out(
        pl.lit(True),
        pl.when(prize > 0).then(pl.lit("matched")).otherwise(pl.lit("fixed")),
        amount,
        NULL_I,
        NULL_I,
        pl.lit("player"),
    )


@_register("CMP-WORLDSKILLS")
def _cmp_worldskills(v: V) -> Result:
    prize, medal = v.fact("contest_prize_money"), v.fact("medal")
    fixed: Any = None
    for m in ("gold", "silver", "bronze"):
        value = v.param(f"CMP-WORLDSKILLS.{m}")
        fixed = pl.when(medal == m).then(value) if fixed is None else fixed.when(medal == m).then(value)
    amount = pl.when(prize > 0).then(v.ratio_apply("CMP-WORLDSKILLS.ratio", prize)).otherwise(fixed)
    return _out(
        pl.lit(True),
        pl.when(prize > 0).then(pl.lit("matched")).otherwise(pl.lit("fixed")),
        amount,
        NULL_I,
        NULL_I,
        pl.lit("player"),
    )


@_register("CMP-WORLDSKILLS-COACH")
def _cmp_worldskills_coach(v: V) -> Result:
    total = v.fact("players_awards_total")
    ok = total > 0
    return _when_eligible(
        ok, "matched", v.ratio_apply("CMP-WORLDSKILLS-COACH.ratio", total), NULL_I, NULL_I, "coach"
    )


@_register("CMP-WS-BASE")
def _cmp_ws_base(v: V) -> Result:
    level = v.fact("selection_level")
    amount: Any = None
    for lvl in ("national", "provincial", "city"):
        value = v.param(f"CMP-WS-BASE.{lvl}")
        amount = (
            pl.when(level == lvl).then(value) if amount is None else amount.when(level == lvl).then(value)
        )
    return _out(pl.lit(True), pl.lit("fixed"), amount, NULL_I, NULL_I, pl.lit("base"))


@_register("CMP-TITLE")
def _cmp_title(v: V) -> Result:
    places = pl.coalesce(v.fact("title_places"), v.param("CMP-TITLE.per_contest"))
    ok = v.fact("rank") <= places
    return _out(
        ok, pl.lit("none"), NULL_I, NULL_I, NULL_I, pl.when(ok).then(pl.lit("player")).otherwise(NULL_S)
    )


# ---- the table ------------------------------------------------------------------------------------


def read_values(
    col: pl.Expr, values: list[Any], parse: Callable[[Any], Any], dtype: Any
) -> tuple[pl.Expr, pl.Expr]:
    """Each distinct value of `col` read by the one-at-a-time parser: (value column, error column).

    The same function reads a value on both paths, so the batch refuses exactly what one case at a time
    refuses, with the same message; a table has few distinct amounts and dates, so this stays fast.
    """
    keys: list[Any] = []
    parsed: list[Any] = []
    errors: list[str | None] = []
    for raw in values:
        if raw is None:
            continue
        keys.append(raw)
        try:
            parsed.append(parse(raw))
            errors.append(None)
        except ValueError as exc:
            parsed.append(None)
            errors.append(str(exc))
    if not keys:
        return pl.lit(None, dtype=dtype), NULL_S
    value = col.replace_strict(keys, parsed, default=None, return_dtype=dtype)
    error = col.replace_strict(keys, errors, default=None, return_dtype=pl.Utf8)
    return value, error


def _money_fen(raw: Any) -> int:
    return int(parse_money(raw) * 100)


def _fact_column(df: pl.DataFrame, rule: E.Rule, fact_name: str) -> tuple[pl.Expr, pl.Expr]:
    """The fact column converted to the vectorised type (money → Int64 fen), and a per-row error (null when
    the value is fine). A column of the wrong type (float money, text where a number belongs) is refused."""
    spec = next(f for f in rule.facts if f.name == fact_name)
    dtype = df.schema[fact_name]
    col = pl.col(fact_name)

    def bad(what: str) -> E.BadFacts:
        return E.BadFacts("bad_facts", f"列“{fact_name}”{what}", {fact_name: what})

    if dtype == pl.Null:  # a column with no values at all (an optional fact nobody gave)
        target = {MONEY: pl.Int64, INT: pl.Int64, LEVEL: pl.Int64, BOOL: pl.Boolean, DATE: pl.Date}
        return col.cast(target.get(spec.kind, pl.Utf8)), NULL_S
    if spec.kind == MONEY:
        if dtype.is_integer():
            # Compared in the column's own type: a value of 9.2 × 10^16 yuan or more must not overflow fen.
            too_large = col > int(MONEY_MAX)
            error = (
                pl.when(col < 0).then(pl.lit("金额不能为负数")).when(too_large).then(pl.lit(MONEY_TOO_LARGE))
            )
            fen = pl.when((col >= 0) & ~too_large).then(col.cast(pl.Int64, strict=False) * 100)
            return fen.otherwise(None), error.otherwise(None)
        if isinstance(dtype, pl.Decimal) or dtype == pl.Utf8:
            text = col.cast(pl.Utf8)
            values = df.get_column(fact_name).cast(pl.Utf8).unique().to_list()
            return read_values(text, values, _money_fen, pl.Int64)
        raise bad(f"应为整数、Decimal 或数字字符串的金额列，不能是 {dtype}（浮点数不精确）")
    if spec.kind in (INT, LEVEL):
        if not dtype.is_integer():
            raise bad(f"应为整数列，不能是 {dtype}")
        return col.cast(pl.Int64, strict=False), NULL_S
    if spec.kind == BOOL:
        if dtype != pl.Boolean:
            raise bad(f"应为布尔列，不能是 {dtype}")
        return col, NULL_S
    if spec.kind == DATE:
        if dtype == pl.Date:
            return col, NULL_S
        if dtype == pl.Utf8:
            return read_values(col, df.get_column(fact_name).unique().to_list(), parse_iso_date, pl.Date)
        raise bad(f"应为日期列，不能是 {dtype}")
    if spec.kind == CHOICE:
        if dtype not in (pl.Utf8, pl.Categorical):
            raise bad(f"应为文本列，不能是 {dtype}")
        return col.cast(pl.Utf8), NULL_S
    return col, NULL_S


def _validation(df: pl.DataFrame, rule: E.Rule) -> pl.Expr:
    """A per-row error message (null when the row is fine): missing facts, values that cannot be read
    (with the one-at-a-time message), values out of range."""
    problems: list[pl.Expr] = [
        pl.when(pl.col("__date_error").is_not_null()).then(pl.lit("date: ") + pl.col("__date_error"))
    ]
    for spec in rule.facts:
        raw, col, read = pl.col(spec.name), pl.col(f"__f_{spec.name}"), pl.col(f"__e_{spec.name}")
        if spec.required and not spec.nullable:
            problems.append(pl.when(raw.is_null()).then(pl.lit(f"{spec.name}: 缺少此事实")))
        problems.append(pl.when(read.is_not_null()).then(pl.lit(f"{spec.name}: ") + read))
        problems.append(
            pl.when(raw.is_not_null() & col.is_null() & read.is_null()).then(
                pl.lit(f"{spec.name}: 无法识别的值")
            )
        )
        if spec.kind == CHOICE:
            codes = [c for c, _ in spec.choices]
            problems.append(
                pl.when(col.is_not_null() & ~col.cast(pl.Utf8).is_in(codes)).then(
                    pl.lit(f"{spec.name}: 不是可选值之一")
                )
            )
        if spec.kind == LEVEL:
            problems.append(pl.when((col < 1) | (col > 5)).then(pl.lit(f"{spec.name}: 应为 1–5")))
        if spec.kind == INT and spec.minimum is not None:
            problems.append(pl.when(col < spec.minimum).then(pl.lit(f"{spec.name}: 不能小于 {spec.minimum}")))
        if spec.kind == INT:
            problems.append(pl.when(col > spec.upper).then(pl.lit(f"{spec.name}: 不能大于 {spec.upper}")))
    if rule.id == "TRN-UPSKILL":  # the level belongs to skill-level certificates only
        kind, level = pl.col("__f_certificate_kind"), pl.col("__f_level")
        problems.append(pl.when((kind == "skill_level") & level.is_null()).then(pl.lit("level: 缺少此事实")))
        problems.append(
            pl.when((kind != "skill_level") & level.is_not_null()).then(pl.lit("level: 此证书类别不分等级"))
        )
    return pl.concat_str(problems, separator="; ", ignore_nulls=True).replace("", None)


def evaluate_table(
    rule_id: str,
    df: pl.DataFrame,
    date: datetime.date | None = None,
    *,
    parameter_set: Mapping[str, P.Parameter] | None = None,
    pack: str | None = None,
) -> pl.DataFrame:
    """Evaluate `rule_id` for every row of `df` (fact columns named as the rule's facts), under `pack`
    (None: the active pack)."""
    rule = E.get_rule(rule_id, pack)
    ps = parameter_set or P.parameters(pack)
    missing = [f.name for f in rule.facts if f.required and f.name not in df.columns]
    if missing:
        raise E.BadFacts("bad_facts", f"缺少事实列：{', '.join(missing)}", {m: "缺少此列" for m in missing})
    if date is None and "date" not in df.columns:
        raise E.BadFacts("bad_date", "缺少 date 列（或传入统一日期）", {"date": "缺少此列"})
    frame = df
    for f in rule.facts:  # optional facts absent from the table are null
        if f.name not in frame.columns:
            frame = frame.with_columns(pl.lit(None).alias(f.name))
    if date is not None:
        frame = frame.with_columns(pl.lit(date, dtype=pl.Date).alias("__date"), NULL_S.alias("__date_error"))
    else:
        frame = frame.with_columns(
            [e.alias(n) for n, e in zip(("__date", "__date_error"), _date_column(frame), strict=True)]
        )
    if rule_id not in VECTORISED:
        return _row_by_row(rule, df, frame, ps, pack)
    v = V(rule, ps)
    result = VECTORISED[rule_id](v)
    in_force_table = v.in_force_table()
    seg, parameter_columns = v.columns()
    converted = {f.name: _fact_column(frame, rule, f.name) for f in rule.facts}
    frame = frame.with_columns(
        [value.alias(f"__f_{name}") for name, (value, _e) in converted.items()]
        + [error.alias(f"__e_{name}") for name, (_v, error) in converted.items()]
        + [seg]
    )
    frame = frame.with_columns(
        [
            _validation(frame, rule).alias("error"),
            pl.lit(pl.Series(in_force_table, dtype=pl.Boolean)).gather(pl.col("__seg")).alias("__in_force"),
            *parameter_columns,
        ]
    )
    # Each expression of the rule is evaluated once, into a column; the steps below read the columns
    # (eager polars does not share common subexpressions between the output expressions).
    frame = frame.lazy().with_columns([expr.alias(f"__r_{key}") for key, expr in result.items()]).collect()
    r = {key: pl.col(f"__r_{key}") for key in result}
    good = pl.col("__in_force") & pl.col("error").is_null()
    # A zero amount is not eligible, as on the Decimal path (Case._outcome): one meaning in every rule.
    # Most tables have no zero amount at all; one pass over the amounts says so, and spares the rest.
    committed_zero = pl.coalesce(r["amount_fen"], r["max_fen"]) == 0
    if frame.select(committed_zero.any()).item():
        zero = (
            r["eligible"].fill_null(False)
            & (r["basis"] != "none")  # two comparisons cost a third of an is_in over the strings
            & (r["basis"] != "case_by_case")
            & committed_zero
        ).fill_null(False)
        frame = frame.with_columns((good & ~zero).alias("__ok"), (good & zero).alias("__zero"))
    else:
        frame = frame.with_columns(good.alias("__ok"), pl.lit(False).alias("__zero"))
    ok, zero_row = pl.col("__ok"), pl.col("__zero")
    # Facts before validity, as one case at a time: a row with an error is refused as bad input
    # (in_force true, as the row-by-row path reports a BadFacts), whatever its date.
    frame = frame.with_columns(
        [
            pl.when(pl.col("error").is_not_null())
            .then(True)
            .otherwise(pl.col("__in_force"))
            .alias("in_force"),
            pl.when(ok)
            .then(r["eligible"].cast(pl.Boolean))
            .when(zero_row)
            .then(False)
            .otherwise(None)
            .alias("eligible"),
            pl.when(ok)
            .then(r["basis"].cast(pl.Utf8))
            .when(zero_row)
            .then(pl.lit("none"))
            .otherwise(None)
            .alias("basis"),
            pl.when(ok).then(r["amount_fen"].cast(pl.Int64)).otherwise(None).alias("amount_fen"),
            pl.when(ok).then(r["min_fen"].cast(pl.Int64)).otherwise(None).alias("min_fen"),
            pl.when(ok).then(r["max_fen"].cast(pl.Int64)).otherwise(None).alias("max_fen"),
            pl.when(ok).then(r["payee"].cast(pl.Utf8)).otherwise(None).alias("payee"),
        ]
    )
    return frame.select([*df.columns, *OUT])


def _date_column(frame: pl.DataFrame) -> tuple[pl.Expr, pl.Expr]:
    """The event date of each row and its error: text is read by the one-at-a-time date parser."""
    dtype, col = frame.schema["date"], pl.col("date")
    missing = pl.when(col.is_null()).then(pl.lit("缺少日期"))
    if dtype == pl.Date:
        return col, missing.otherwise(None)
    if isinstance(dtype, pl.Datetime):
        return col.dt.date(), missing.otherwise(None)
    if dtype == pl.Utf8:
        day, error = read_values(col, frame.get_column("date").unique().to_list(), parse_iso_date, pl.Date)
        return day, missing.otherwise(error)
    raise E.BadFacts("bad_date", f"date 列应为日期，不能是 {dtype}", {"date": "应为日期列"})


def _fen(value: Decimal | None) -> int | None:
    return None if value is None else int(value * 100)


def _row_by_row(
    rule: E.Rule,
    df: pl.DataFrame,
    frame: pl.DataFrame,
    ps: Mapping[str, P.Parameter],
    pack: str | None = None,
) -> pl.DataFrame:
    rows: dict[str, list[Any]] = {k: [] for k in OUT}
    fact_names = [f.name for f in rule.facts]
    raw_date = pl.col("date") if "date" in frame.columns else pl.col("__date")
    for record in frame.select(
        [*fact_names, "__date", raw_date.alias("__raw_date"), "__date_error"]
    ).iter_rows(named=True):
        day, raw, date_error = record.pop("__date"), record.pop("__raw_date"), record.pop("__date_error")
        facts = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in record.items() if v is not None}
        for k, val in list(facts.items()):
            if isinstance(val, datetime.date):
                facts[k] = val.isoformat()
            elif isinstance(val, tuple):
                facts[k] = list(val)
        try:
            # A date that cannot be read goes in as written: the engine names it with the facts.
            o = E.evaluate(
                rule.id, day if date_error is None else str(raw), facts, parameter_set=ps, pack=pack
            )
        except E.NotInForce:
            values: list[Any] = [False, None, None, None, None, None, None, None]
        except E.BadFacts as exc:
            values = [
                True,
                None,
                None,
                None,
                None,
                None,
                None,
                "; ".join(f"{k}: {v}" for k, v in exc.fields.items()),
            ]
        else:
            values = [True, o.eligible, o.basis, _fen(o.amount), _fen(o.min), _fen(o.max), o.payee, None]
        for key, value in zip(OUT, values, strict=True):
            rows[key].append(value)
    schema = {
        "in_force": pl.Boolean,
        "eligible": pl.Boolean,
        "basis": pl.Utf8,
        "amount_fen": pl.Int64,
        "min_fen": pl.Int64,
        "max_fen": pl.Int64,
        "payee": pl.Utf8,
        "error": pl.Utf8,
    }
    return df.with_columns(pl.DataFrame(rows, schema=schema))


def fen_to_decimal(fen: int | None) -> Decimal | None:
    return None if fen is None else (Decimal(fen) / 100).quantize(Decimal("0.01"))
