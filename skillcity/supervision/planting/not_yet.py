"""Kinds not planted yet: their checks (SUP-EMPLOYMENT-CLAIM, SUP-LEARNING) read records whose shape
this part did not reach — employment claimed after training (a claim next to the insured-employment
contributions) and online-learning statements (beats faster than real time, two lessons at once, long
play with no interaction). Registered so the truth file and the bench name them as skipped."""

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
register_planter(
    Planter(
        kind="learning",
        check_id="SUP-LEARNING",
        describes="在线学习心跳快于实际时间、两节课同时播放、长时间无互动（未植入）",
        counts={s: (0, 0) for s in ("city", "demo", "day")},
        plant=_skip("online-learning statements (刷课): planter not written yet"),
    )
)
