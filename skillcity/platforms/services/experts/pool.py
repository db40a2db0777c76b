"""The pool's records: the .xlsx import of experts (all rows or none, every bad row listed, the header
read by registry.imports.column_positions), the audited full view of a phone, declared conflicts."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from skillcity.core.access import require_role
from skillcity.core.audit import audit_personal_data_view, audit_record
from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.core.spreadsheets import new_workbook, workbook_bytes
from skillcity.platforms.models.experts import Expert, ExpertSector
from skillcity.registry.imports import FormulaCells, ImportResult, RowError, column_positions, read_rows
from skillcity.registry.models import Occupation, Organisation, Worker

BUREAU = "bureau_officer"

# The template's header, label → key. The labels are the published layout (Chinese in every language,
# like the other import templates), so they are not translated.
EXPERT_COLUMNS = {
    "身份证号码": "id_number",
    "姓名": "name",
    "行业领域": "sector",
    "职称": "title",
    "所在单位统一社会信用代码": "organisation",
    "职业编码": "occupations",
    "联系电话": "phone",
    "电子邮箱": "email",
    "回避单位统一社会信用代码": "conflicts",
}
EXPERT_REQUIRED = ("身份证号码", "姓名", "行业领域", "职称", "所在单位统一社会信用代码", "联系电话")
ROWS_MAX = 5_000  # the whole pool is 1,141; one file of more is a mistake
_PHONE = re.compile(r"(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})")
_LIST_SPLIT = re.compile(r"[、,，;；\s]+")
SECTOR_BY_LABEL = {str(label): value for value, label in ExpertSector.choices}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def experts_template() -> bytes:
    workbook = new_workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "专家库"
    sheet.append(list(EXPERT_COLUMNS))
    sheet.append(
        [
            "441900198001011234",
            "张三",
            "电子信息",
            "高级工程师",
            "91441900MA4UXXXXXX",
            "6-25-04-00",
            "13800138000",
            "",
            "",
        ]
    )
    return workbook_bytes(workbook)


def _rows(filename: str, content: bytes) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    if not filename.lower().endswith(".xlsx"):
        return [], [RowError(1, "", _("只支持 .xlsx 文件，请使用页面提供的模板"))]
    try:
        rows = list(read_rows(filename, content))
    except FormulaCells as error:
        return [], error.errors
    if not rows:
        return [], [RowError(1, "", _("文件为空"))]
    index, errors = column_positions([_text(c) for c in rows[0]], EXPERT_COLUMNS, EXPERT_REQUIRED)
    data = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {key: _text(row[pos]) if pos < len(row) else "" for key, pos in index.items()}
        if any(cells.values()):
            data.append((number, cells))
    if not errors and not data:
        errors.append(RowError(2, "", _("文件中没有数据行")))
    if len(data) > ROWS_MAX:
        errors.append(RowError(1, "", _("一次最多导入 %(n)d 行") % {"n": ROWS_MAX}))
    return data, errors


def _split(raw: str) -> list[str]:
    return [part for part in _LIST_SPLIT.split(raw.upper() if raw else "") if part]


def _check_row(
    number: int, cells: dict[str, str], known: dict[str, Any], seen: dict[int, int], errors: list[RowError]
) -> dict[str, Any] | None:
    before = len(errors)

    def bad(label: str, reason: str) -> None:
        errors.append(RowError(number, label, reason))

    worker = known["workers"].get(cells.get("id_number", "").upper())
    if not cells.get("id_number"):
        bad("身份证号码", _("请填写身份证号码"))
    elif worker is None:
        bad("身份证号码", _("平台登记中没有该身份证号码的劳动者"))
    elif cells.get("name") != worker.name:
        bad("姓名", _("与登记姓名“%(n)s”不一致") % {"n": worker.name})
    elif worker.pk in known["experts"]:
        bad("身份证号码", _("%(n)s已在专家库中") % {"n": worker.name})
    elif worker.pk in seen:
        bad("身份证号码", _("与第%(r)d行重复") % {"r": seen[worker.pk]})
    else:
        seen[worker.pk] = number
    sector = SECTOR_BY_LABEL.get(cells.get("sector", ""))
    if sector is None:
        bad("行业领域", _("应为以下之一：%(s)s") % {"s": "、".join(SECTOR_BY_LABEL)})
    title = cells.get("title", "")
    if not title:
        bad("职称", _("请填写职称"))
    elif len(title) > 50:
        bad("职称", _("不超过50个字"))
    organisation = known["organisations"].get(cells.get("organisation", "").upper())
    if organisation is None:
        bad(
            "所在单位统一社会信用代码",
            _("请填写统一社会信用代码")
            if not cells.get("organisation")
            else _("平台登记中没有该统一社会信用代码的单位"),
        )
    occupations = []
    for code in _split(cells.get("occupations", "")):
        occupation = known["occupations"].get(code)
        if occupation is None:
            bad("职业编码", _("没有职业编码“%(c)s”") % {"c": code[:20]})
        else:
            occupations.append(occupation)
    phone = cells.get("phone", "")
    if not _PHONE.fullmatch(phone):
        bad("联系电话", _("请填写11位手机号码或带区号的固定电话"))
    email = cells.get("email", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            bad("电子邮箱", _("电子邮箱格式不正确"))
    conflicts = []
    for uscc in _split(cells.get("conflicts", "")):
        other = known["organisations"].get(uscc)
        if other is None:
            bad("回避单位统一社会信用代码", _("平台登记中没有单位“%(c)s”") % {"c": uscc[:20]})
        else:
            conflicts.append(other)
    if len(errors) > before:
        return None
    return {
        "worker": worker,
        "sector": sector,
        "title": title,
        "organisation": organisation,
        "occupations": list(dict.fromkeys(occupations)),
        "phone": phone,
        "email": email,
        "conflicts": list(dict.fromkeys(conflicts)),
    }


@transaction.atomic
def experts_import(*, actor: Any, filename: str, content: bytes) -> ImportResult:
    """Each row an expert of the pool (a registered worker not yet in it); all rows or none."""
    require_role(actor, BUREAU)
    data, errors = _rows(filename, content)
    if errors:
        return ImportResult(errors=errors)
    numbers = {c.get("id_number", "").upper() for _n, c in data}
    usccs = {u for _n, c in data for u in _split(c.get("organisation", "")) + _split(c.get("conflicts", ""))}
    codes = {code for _n, c in data for code in _split(c.get("occupations", ""))}
    workers = {w.id_number: w for w in Worker.objects.filter(id_number__in=numbers)}
    known = {
        "workers": workers,
        "experts": set(
            Expert.objects.filter(worker__in=list(workers.values())).values_list("worker_id", flat=True)
        ),
        "organisations": {o.uscc: o for o in Organisation.objects.filter(uscc__in=usccs)},
        "occupations": {o.code: o for o in Occupation.objects.filter(code__in=codes)},
    }
    seen: dict[int, int] = {}
    rows = [r for n, c in data if (r := _check_row(n, c, known, seen, errors)) is not None]
    if errors:
        return ImportResult(errors=errors)
    experts = Expert.objects.bulk_create(
        [
            Expert(
                worker=r["worker"],
                sector=r["sector"],
                title=r["title"],
                organisation=r["organisation"],
                phone=r["phone"],
                email=r["email"],
                created_by=actor,
            )
            for r in rows
        ]
    )
    Expert.occupations.through.objects.bulk_create(
        [
            Expert.occupations.through(expert_id=e.pk, occupation_id=o.pk)
            for e, r in zip(experts, rows, strict=True)
            for o in r["occupations"]
        ]
    )
    Expert.conflicts.through.objects.bulk_create(
        [
            Expert.conflicts.through(expert_id=e.pk, organisation_id=o.pk)
            for e, r in zip(experts, rows, strict=True)
            for o in r["conflicts"]
        ]
    )
    audit_record(
        actor=actor,
        action="platforms.expert.import",
        target_type="platforms.expert",
        target_label=filename[:100],
        after={"filename": filename, "rows": len(experts), "experts": [e.pk for e in experts]},
    )
    return ImportResult(created=len(experts))


def _own(actor: Any, expert: Expert) -> bool:
    return getattr(actor, "worker_id", None) == expert.worker_id and actor.worker_id is not None


def expert_phone_view(*, actor: Any, expert: Expert) -> str:
    """The full phone: to the expert themself, or (audited) to an officer whose work needs it."""
    if _own(actor, expert):
        return expert.phone
    if not getattr(actor, "sees_personal_data", False):
        raise PermissionDenied(_("您的角色无权查看完整号码"))
    audit_personal_data_view(actor=actor, target=expert, field="phone")
    if expert.email:  # the page shows the full e-mail with the full phone: each view is audited
        audit_personal_data_view(actor=actor, target=expert, field="email")
    return expert.phone


def _require_bureau_or_self(actor: Any, expert: Expert) -> None:
    if not _own(actor, expert):
        require_role(actor, BUREAU)


@transaction.atomic
def expert_conflict_declare(*, actor: Any, expert: Expert, organisation: Organisation | None) -> Expert:
    """A declared conflict of interest (the expert, or the bureau on their word): never drawn for it."""
    _require_bureau_or_self(actor, expert)
    if organisation is None:
        raise DomainError(
            "organisation_required", _("回避单位：请选择"), {"organisation": _("回避单位：请选择")}
        )
    if expert.conflicts.filter(pk=organisation.pk).exists():
        raise Conflict("conflict_exists", _("已申报回避%(o)s") % {"o": organisation.name})
    expert.conflicts.add(organisation)
    audit_record(
        actor=actor,
        action="platforms.expert.conflict_declare",
        target=expert,
        after={"organisation": organisation.pk},
    )
    return expert


@transaction.atomic
def expert_conflict_withdraw(*, actor: Any, expert: Expert, organisation: Organisation) -> Expert:
    _require_bureau_or_self(actor, expert)
    expert.conflicts.remove(organisation)
    audit_record(
        actor=actor,
        action="platforms.expert.conflict_withdraw",
        target=expert,
        before={"organisation": organisation.pk},
    )
    return expert
