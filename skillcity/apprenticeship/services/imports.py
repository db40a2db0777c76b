"""Importing apprentices from an .xlsx or .csv (the page's template): all rows or none, every bad row
listed with its row number, column and reason. Each row goes through the same check as an enrolment on
the page (services.check_terms), so an import cannot record what the page would refuse."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from skillcity.apprenticeship.models import Apprenticeship, StudyMode
from skillcity.apprenticeship.selectors import mentor_not_employee
from skillcity.apprenticeship.services import Terms, _create, check_terms, may_manage
from skillcity.core.audit import audit_record
from skillcity.core.errors import DomainError
from skillcity.registry.imports import ImportResult, RowError
from skillcity.registry.models import Occupation, Organisation, Worker
from skillcity.registry.sheet_rows import ID, NAME, duplicate, match_worker, parse, text, workers_for

ENTERPRISE = "企业统一社会信用代码"
SCHOOL = "院校统一社会信用代码"
OCCUPATION = "职业编码"
LEVEL = "目标等级"
CONTRACT_START = "学徒合同开始日期"
CONTRACT_END = "学徒合同结束日期"
NUMBER = "学籍号"
MODE = "学习形式"
REG_START = "学籍注册开始日期"
REG_END = "学籍注册结束日期"
MENTOR = "企业导师身份证号码"
TEACHER = "学校导师"
COLUMNS = {
    ID: "id_number",
    NAME: "name",
    ENTERPRISE: "enterprise",
    SCHOOL: "school",
    OCCUPATION: "occupation",
    LEVEL: "level",
    CONTRACT_START: "contract_start",
    CONTRACT_END: "contract_end",
    NUMBER: "registration_number",
    MODE: "study_mode",
    REG_START: "registration_start",
    REG_END: "registration_end",
    MENTOR: "enterprise_mentor",
    TEACHER: "school_mentor",
}
REQUIRED = tuple(COLUMNS)
# A service error's field → the column it is about.
FIELD_COLUMNS = {
    "worker": ID,
    "enterprise": ENTERPRISE,
    "school": SCHOOL,
    "occupation": OCCUPATION,
    "level": LEVEL,
    "contract_start": CONTRACT_START,
    "contract_end": CONTRACT_END,
    "registration_number": NUMBER,
    "study_mode": MODE,
    "registration_start": REG_START,
    "registration_end": REG_END,
    "enterprise_mentor": MENTOR,
    "school_mentor": TEACHER,
}
MODES = {"非全日制": StudyMode.NON_FULL_TIME, "全日制": StudyMode.FULL_TIME}
LEVELS = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "一级": 1, "二级": 2, "三级": 3, "四级": 4, "五级": 5}
MAX_ROWS = 20_000
TEMPLATE_EXAMPLE = [
    "441900200305170014",
    "陈小明",
    "91441900MA5XXXXXXX",
    "12441900MB2XXXXXXX",
    "6-18-01-01",
    "4",
    "2026-03-01",
    "2027-08-31",
    "XJ2026001",
    "非全日制",
    "2026-03-01",
    "2027-08-31",
    "441900198503120017",
    "李老师",
]


def _date(value: Any, row: int, label: str, errors: list[RowError]) -> datetime.date | None:
    """A date cell or YYYY-MM-DD; contract and registration ends lie in the future, so no upper bound
    here (the enrolment's check bounds them)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = text(value)
    try:
        return datetime.date.fromisoformat(raw.replace("/", "-"))
    except ValueError:
        errors.append(
            RowError(
                row,
                label,
                _("请填写日期，格式 YYYY-MM-DD")
                if not raw
                else _("“%(raw)s”不是有效日期（YYYY-MM-DD）") % {"raw": raw},
            )
        )
        return None


def read_file(filename: str, content: bytes) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    return parse(filename, content, COLUMNS, REQUIRED, csv_too=True)


@transaction.atomic
def apprenticeships_import(*, actor: Any, filename: str, content: bytes) -> ImportResult:
    """Apprentices from a file, all rows or none. The bureau imports for any enterprise; a town officer
    for the enterprises of their town; an enterprise's user for their own; the operator's CLI
    (actor "cli") for any."""
    data, errors = read_file(filename, content)
    if errors:
        return ImportResult(errors=errors)
    if len(data) > MAX_ROWS:
        return ImportResult(
            errors=[RowError(MAX_ROWS + 2, "", _("超过单次导入上限 %(n)s 行") % {"n": MAX_ROWS})]
        )
    workers = workers_for(data)
    mentors = workers_for([(n, {"id_number": c.get("enterprise_mentor")}) for n, c in data])
    usccs = sorted({text(c.get(k)).upper() for _n, c in data for k in ("enterprise", "school")})
    organisations: dict[str, Organisation] = {}
    for i in range(0, len(usccs), 2000):
        organisations.update({o.uscc: o for o in Organisation.objects.filter(uscc__in=usccs[i : i + 2000])})
    codes = sorted({text(c.get("occupation")) for _n, c in data})
    occupations = {o.code: o for o in Occupation.objects.filter(code__in=codes)}
    seen: dict[Any, int] = {}
    rows: list[tuple[Worker, Organisation, Terms]] = []
    for number, cells in data:
        before = len(errors)
        worker = match_worker(cells, number, workers, errors)
        enterprise = organisations.get(text(cells.get("enterprise")).upper())
        if enterprise is None:
            errors.append(RowError(number, ENTERPRISE, _("平台登记中没有该统一社会信用代码的单位")))
        elif getattr(actor, "is_authenticated", False) and not may_manage(actor, enterprise):
            # A person imports for the enterprises in their scope; the operator's CLI for any.
            errors.append(RowError(number, ENTERPRISE, _("您无权为该企业登记学徒")))
        school = organisations.get(text(cells.get("school")).upper())
        if school is None:
            errors.append(RowError(number, SCHOOL, _("平台登记中没有该统一社会信用代码的单位")))
        occupation = occupations.get(text(cells.get("occupation")))
        if occupation is None:
            errors.append(RowError(number, OCCUPATION, _("职业分类大典中没有该职业编码")))
        level = LEVELS.get(text(cells.get("level")))
        if level is None:
            errors.append(RowError(number, LEVEL, _("应为1-5（一级至五级）")))
        mode = MODES.get(text(cells.get("study_mode")))
        if mode is None:
            errors.append(RowError(number, MODE, _("应为“非全日制”")))
        dates = {
            key: _date(cells.get(key), number, label, errors)
            for key, label in (
                ("contract_start", CONTRACT_START),
                ("contract_end", CONTRACT_END),
                ("registration_start", REG_START),
                ("registration_end", REG_END),
            )
        }
        mentor_id = text(cells.get("enterprise_mentor")).upper()
        mentor = mentors.get(mentor_id)
        if mentor is None:
            errors.append(RowError(number, MENTOR, mentor_not_employee()))
        if (
            worker is not None
            and enterprise is not None
            and duplicate((worker.pk, enterprise.pk), number, seen, ID, errors)
        ):
            continue
        if len(errors) > before or worker is None or enterprise is None or school is None:
            continue
        assert occupation is not None and level is not None and mode is not None
        terms = Terms(
            school=school,
            occupation=occupation,
            level=level,
            contract_start=dates["contract_start"],
            contract_end=dates["contract_end"],
            registration_number=text(cells.get("registration_number")),
            study_mode=mode,
            registration_start=dates["registration_start"],
            registration_end=dates["registration_end"],
            enterprise_mentor=mentor,
            school_mentor=text(cells.get("school_mentor")),
        )
        try:
            check_terms(worker=worker, enterprise=enterprise, terms=terms)
        except DomainError as exc:
            for field, message in exc.fields.items():
                errors.append(RowError(number, FIELD_COLUMNS.get(field, ""), str(message)))
            continue
        if Apprenticeship.objects.filter(
            worker=worker, enterprise=enterprise, left_on__isnull=True, candidate__isnull=True
        ).exists():
            errors.append(RowError(number, ID, _("%(w)s已是该企业在培学徒") % {"w": worker.name}))
            continue
        rows.append((worker, enterprise, terms))
    if errors:
        return ImportResult(errors=errors)
    for worker, enterprise, terms in rows:
        _create(worker=worker, enterprise=enterprise, terms=terms, actor=actor, dual_class=None)
    audit_record(
        actor=actor,
        action="apprenticeship.import",
        target_type="apprenticeship.apprenticeship",
        target_label=filename,
        after={"file": filename, "rows": len(rows)},
    )
    return ImportResult(created=len(rows))
