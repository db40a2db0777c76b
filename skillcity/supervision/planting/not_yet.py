"""Kinds not planted yet: SUP-EMPLOYMENT-CLAIM reads employment claimed after training next to the
insured-employment contributions, a record this part did not reach. Registered so the truth file and
the bench name it as skipped."""

from __future__ import annotations

from skillcity.supervision.planting import Planted, Planter, register_planter
from skillcity.supervision.planting.build import Plant


def _skip(note: str):  # type: ignore[no-untyped-def]
    def plant(p: Plant, cases: int, near: int) -> Planted:
        return Planted(skipped=[note])

    return plant


register_planter(
    Planter(
        kind="employment_claim",
        check_id="SUP-EMPLOYMENT-CLAIM",
        describes="声称培训后就业，却无参保就业记录（未植入）",
        counts={s: (0, 0) for s in ("city", "demo", "day")},
        plant=_skip("employment claimed without an insured record: planter not written yet"),
    )
)
