"""Settlement lines for completed enrolments: TRN-PROJECT, TRN-UPSKILL and TRN-PAYEE, decided by the
policy engine's vectorised path (`skillcity.policy.batch.evaluate_table`), on each enrolment's
completion date — the amounts, caps, demo values and uplift live in the engine's dated parameters.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from skillcity.policy.batch import evaluate_table

_FEN = 100
# The engine's payee names → the settlement line's payee choices.
PAYEES = {"training_provider": "provider", "enterprise": "enterprise", "worker": "individual"}
LINE_COLUMNS = ["enrolment_id", "worker_id", "rule", "payee", "amount_fen"]
ERROR_COLUMNS = ["enrolment_id", "rule", "error"]


def evaluate_enrolments(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Settlement lines for completed enrolments, and the enrolments the engine refused.

    A refused enrolment (a stored standard past the money ceiling, …) gets no line and one row in the
    errors (enrolment_id, rule, error naming the fact); the others are settled.

    `frame` columns: enrolment_id, worker_id, date (completion date), project_standard (decimal string),
    completed (bool), certified_level (int|null), in_shortage_catalog (bool), provider_is_enterprise
    (bool), trainee_is_provider_employee (bool). Returns enrolment_id, worker_id, rule, payee, amount_fen.
    Enrolments completed on a date when no version of a rule is in force get no line for that rule.
    """
    ids = frame.select("enrolment_id")
    # TRN-PROJECT (D002 item 8): paid to the training unit, whoever the trainee is.
    project = evaluate_table("TRN-PROJECT", frame.select("date", "project_standard", "completed"))
    project_lines = pl.concat([frame.select("enrolment_id", "worker_id"), project], how="horizontal").filter(
        pl.col("eligible").fill_null(False)
    )
    # TRN-UPSKILL for those who obtained a skill-level certificate; TRN-PAYEE (D004 二(八)) decides who is paid.
    certified = frame.filter(pl.col("completed") & pl.col("certified_level").is_not_null())
    upskill = evaluate_table(
        "TRN-UPSKILL",
        certified.select(
            "date",
            pl.lit("skill_level").alias("certificate_kind"),
            pl.col("certified_level").cast(pl.Int64).alias("level"),
            "in_shortage_catalog",
        ),
    )
    payee = evaluate_table(
        "TRN-PAYEE",
        certified.select(
            "date",
            pl.when(pl.col("provider_is_enterprise"))
            .then(pl.lit("enterprise"))
            .otherwise(pl.lit("institution"))
            .alias("provider_kind"),
            "trainee_is_provider_employee",
        ),
    )
    upskill_lines = pl.concat(
        [
            certified.select("enrolment_id", "worker_id"),
            upskill.select("eligible", "amount_fen"),
            payee.select(pl.col("payee").alias("upskill_payee")),
        ],
        how="horizontal",
    ).filter(pl.col("eligible").fill_null(False))
    errors = pl.concat(
        [
            pl.concat([ids, project.select("error")], how="horizontal").with_columns(
                pl.lit("TRN-PROJECT").alias("rule")
            ),
            pl.concat(
                [certified.select("enrolment_id"), upskill.select("error")], how="horizontal"
            ).with_columns(pl.lit("TRN-UPSKILL").alias("rule")),
            pl.concat(
                [certified.select("enrolment_id"), payee.select("error")], how="horizontal"
            ).with_columns(pl.lit("TRN-PAYEE").alias("rule")),
        ]
    ).filter(pl.col("error").is_not_null())
    lines = pl.concat(
        [
            project_lines.select(
                "enrolment_id", "worker_id", pl.lit("TRN-PROJECT").alias("rule"), "payee", "amount_fen"
            ),
            upskill_lines.select(
                "enrolment_id",
                "worker_id",
                pl.lit("TRN-UPSKILL").alias("rule"),
                pl.col("upskill_payee").alias("payee"),
                "amount_fen",
            ),
        ]
    )
    lines = lines.with_columns(pl.col("payee").replace_strict(PAYEES, return_dtype=pl.Utf8)).filter(
        pl.col("amount_fen") > 0
    )
    return lines, errors.select(ERROR_COLUMNS)


def fen_to_decimal(fen: int) -> Decimal:
    return (Decimal(fen) / _FEN).quantize(Decimal("0.01"))
