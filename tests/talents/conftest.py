"""Card fixtures: the certification evaluator (车工 levels 2–5) and helpers for records and imports."""

from __future__ import annotations

import datetime
import io

from openpyxl import Workbook

from skillcity.registry.models import SkillRecord, Worker
from skillcity.registry.services import skill_record_add
from tests.certification.conftest import certify, evaluator, lathe  # noqa: F401  (fixtures)

OBTAINED = datetime.date(2024, 3, 1)


def honour(worker: Worker, code: str, actor) -> SkillRecord:
    """A title as competitions or leading-talent recognition records it: a registry honour record."""
    return skill_record_add(
        worker=worker, kind=SkillRecord.Kind.HONOUR, actor=actor, obtained_on=OBTAINED, honour=code
    )


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


__all__ = ["OBTAINED", "certify", "honour", "xlsx"]
