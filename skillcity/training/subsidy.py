"""TRN-PROJECT, TRN-UPSKILL and TRN-PAYEE over a table of completed enrolments (vectorised, polars).

The seam to the policy engine: `skillcity.policy` is being written alongside this app. Until its
batch evaluator is usable here, this module evaluates the three rules exactly as the catalog states
them, with the parameters below; `evaluate_enrolments` is the one function settlement calls, so
switching to the engine's batch is a change in this file only.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

# TRN-PROJECT, D002 item 8: "按每个项目每人最高3000元标准给予培训单位补贴" — a cap per trainee.
PROJECT_CAP = Decimal("3000")
# TRN-UPSKILL base amounts by skill level: not set by the documents — demo values.
UPSKILL_BASE_BY_LEVEL: dict[int, Decimal] = {
    5: Decimal("500"),
    4: Decimal("800"),
    3: Decimal("1200"),
    2: Decimal("1500"),
    1: Decimal("2000"),
}
UPSKILL_BASE_IS_DEMO_VALUE = True
# D002 item 8 / D003 §一(三)三: +30% for 高级工 (level 3) or higher in the shortage catalog.
SHORTAGE_UPLIFT = Decimal("1.3")

_FEN = 100  # amounts are computed in integer fen so no float ever touches money


def _fen(value: Decimal) -> int:
    return int((value * _FEN).to_integral_value())


def evaluate_enrolments(frame: pl.DataFrame) -> pl.DataFrame:
    """Settlement lines for completed enrolments.

    `frame` columns: enrolment_id, worker_id, project_standard_fen (int), completed (bool),
    certified_level (int|null), in_shortage_catalog (bool), provider_is_enterprise (bool),
    trainee_is_provider_employee (bool). Returns enrolment_id, worker_id, rule, payee, amount_fen.
    """
    cap = _fen(PROJECT_CAP)
    project = frame.filter(pl.col("completed")).select(
        "enrolment_id",
        "worker_id",
        pl.lit("TRN-PROJECT").alias("rule"),
        pl.lit("provider").alias("payee"),  # D002 item 8: paid to the training unit regardless
        pl.min_horizontal(pl.col("project_standard_fen"), pl.lit(cap)).cast(pl.Int64).alias("amount_fen"),
    )
    base = pl.col("certified_level").replace_strict(
        {level: _fen(amount) for level, amount in UPSKILL_BASE_BY_LEVEL.items()},
        default=None,
        return_dtype=pl.Int64,
    )
    uplift = pl.col("in_shortage_catalog") & (pl.col("certified_level") <= 3)
    # ×1.3 in integer fen: ×13 then /10, rounded half up (fen values are multiples of 100 here anyway).
    amount = pl.when(uplift).then((base * 13 + 5) // 10).otherwise(base)
    # TRN-PAYEE, D004 二(八): an enterprise training its own staff is paid; otherwise the individual.
    payee = (
        pl.when(pl.col("provider_is_enterprise") & pl.col("trainee_is_provider_employee"))
        .then(pl.lit("enterprise"))
        .otherwise(pl.lit("individual"))
    )
    upskill = frame.filter(pl.col("completed") & pl.col("certified_level").is_not_null()).select(
        "enrolment_id",
        "worker_id",
        pl.lit("TRN-UPSKILL").alias("rule"),
        payee.alias("payee"),
        amount.cast(pl.Int64).alias("amount_fen"),
    )
    return pl.concat([project, upskill]).filter(pl.col("amount_fen") > 0)


def fen_to_decimal(fen: int) -> Decimal:
    return (Decimal(fen) / _FEN).quantize(Decimal("0.01"))
