"""Results import from .xlsx: all or nothing, every bad row listed (row, column, reason).

Columns (first row): 身份证号码, 姓名, 理论知识成绩, 操作技能成绩. Each row is a candidate already in the
session, found by ID number; the name must match the registry (a guard against a shifted column).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from skillcity.certification import services
from skillcity.certification.models import Candidate, Session
from skillcity.core.audit import audit_record
from skillcity.core.errors import Conflict, DomainError
from skillcity.core.spreadsheets import new_workbook, workbook_bytes
from skillcity.registry.imports import FormulaCells, ImportResult, RowError, column_positions, read_rows

COLUMNS = {
    "身份证号码": "id_number",
    "姓名": "name",
    "理论知识成绩": "theory_score",
    "操作技能成绩": "practical_score",
}


def template_workbook(session: Session | None = None) -> bytes:
    workbook = new_workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "成绩"
    sheet.append(list(COLUMNS))
    if session is not None:
        for candidate in session.candidates.select_related("worker").order_by("id"):
            sheet.append([candidate.worker.id_number, candidate.worker.name, None, None])
    return workbook_bytes(workbook)


@transaction.atomic
def results_template_download(*, session: Session, actor: Any) -> bytes:
    """The template for the evaluator to fill. It carries each candidate's full ID number, because the
    import matches rows by it (a name is not unique); so only the session's evaluator may download
    it, and each download is recorded as a full view of those candidates' numbers (PIPL)."""
    services.require_evaluator_actor(actor, session.evaluator)
    workers = list(session.candidates.order_by("id").values_list("worker_id", flat=True))
    audit_record(
        actor=actor,
        action="personal_data.view",
        target=session,
        after={
            "field": "id_number",
            "document": "results_template",
            "count": len(workers),
            "workers": workers,
        },
    )
    return template_workbook(session)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


@transaction.atomic
def results_import(*, session: Session, filename: str, content: bytes, actor: Any) -> ImportResult:
    """Validate every row first; write only when all are good (then the whole file in one transaction)."""
    services.require_evaluator_actor(actor, session.evaluator)
    session = Session.objects.select_for_update().get(pk=session.pk)
    try:
        rows = list(read_rows(filename, content))
    except FormulaCells as error:
        return ImportResult(errors=error.errors)
    if not rows:
        return ImportResult(errors=[RowError(1, "", "文件为空")])
    header = [_text(cell) for cell in rows[0]]
    index, errors = column_positions(header, COLUMNS)
    if errors:
        return ImportResult(errors=errors)
    candidates = {
        c.worker.id_number: c
        for c in session.candidates.select_related("worker").select_for_update(of=("self",))
    }
    seen: dict[str, int] = {}
    cleaned: list[tuple[Candidate, Decimal, Decimal]] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {key: _text(row[pos]) if pos < len(row) else "" for key, pos in index.items()}
        if not any(cells.values()):
            continue
        id_number = cells["id_number"].upper()
        candidate = candidates.get(id_number)
        if candidate is None:
            errors.append(RowError(number, "身份证号码", "不是本考核批次的考生"))
            continue
        if id_number in seen:
            errors.append(RowError(number, "身份证号码", f"与第{seen[id_number]}行重复"))
            continue
        seen[id_number] = number
        if cells["name"] != candidate.worker.name:
            errors.append(RowError(number, "姓名", f"与登记姓名“{candidate.worker.name}”不一致"))
        if hasattr(candidate, "certificate"):
            errors.append(RowError(number, "身份证号码", "该考生已发证，成绩不能修改"))
        scores: list[Decimal] = []
        for key, label in (("theory_score", "理论知识成绩"), ("practical_score", "操作技能成绩")):
            try:
                scores.append(services.parse_score(cells[key], key))
            except DomainError as error:
                errors.append(RowError(number, label, str(error.message)))
        if len(scores) == 2:
            cleaned.append((candidate, scores[0], scores[1]))
    if errors:
        return ImportResult(errors=errors)
    if not cleaned:
        return ImportResult(errors=[RowError(2, "", "文件中没有数据行")])
    if session.state != Session.State.OPEN:
        raise Conflict("session_closed", "该考核批次已发证")
    for candidate, theory, practical in cleaned:
        candidate.theory_score, candidate.practical_score = theory, practical
        candidate.result, candidate.overall_score = services.result_of(theory, practical)
    Candidate.objects.bulk_update(
        [c for c, _t, _p in cleaned], ["theory_score", "practical_score", "overall_score", "result"]
    )
    audit_record(
        actor=actor,
        action="certification_result.import",
        target=session,
        after={
            "filename": filename,
            "rows": len(cleaned),
            "passed": sum(1 for c, _t, _p in cleaned if c.result == "passed"),
        },
    )
    return ImportResult(created=len(cleaned))
