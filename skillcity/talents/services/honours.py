"""TAL-HONOUR-SHARE: import a list of city-level award winners (五一劳动奖章, 三八红旗手 …); the share
report (selectors.pool.honour_share) matches them to the registry by ID number."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from skillcity.core.access import require_role
from skillcity.core.audit import audit_record
from skillcity.core.validators import parse_resident_id
from skillcity.registry.imports import ImportResult, RowError
from skillcity.registry.sheet_rows import parse, template, text
from skillcity.talents.models import HonourList, HonourWinner

COLUMNS = {"姓名": "name", "身份证号码": "id_number", "工作单位": "unit"}
REQUIRED = ("姓名", "身份证号码")


def honours_template() -> bytes:
    return template(COLUMNS, "获得者名单", ["陈长安", "441900199001011234", "东莞市长安精密制造有限公司"])


@transaction.atomic
def honours_import(*, award: str, year: int, filename: str, content: bytes, actor: Any) -> ImportResult:
    """All or nothing. A winner not in the registry is not an error: they count as not a skilled worker."""
    require_role(actor, "bureau_officer")
    award = award.strip()
    errors: list[RowError] = []
    if not award or len(award) > 60:
        errors.append(RowError(0, "荣誉名称", _("请填写荣誉名称（不超过60个字）")))
    if not 2000 <= int(year) <= 2100:
        errors.append(RowError(0, "年度", _("年度应在2000–2100之间")))
    if award and HonourList.objects.filter(award=award, year=year).exists():
        errors.append(
            RowError(0, "荣誉名称", _("%(year)s年“%(award)s”名单已导入过") % {"year": year, "award": award})
        )
    if errors:
        return ImportResult(errors=errors)
    data, errors = parse(filename, content, COLUMNS, REQUIRED)
    if errors:
        return ImportResult(errors=errors)
    seen: dict[str, int] = {}
    winners: list[HonourWinner] = []
    for row, cells in data:
        name = text(cells.get("name"))
        if not name:
            errors.append(RowError(row, "姓名", _("请填写姓名")))
        elif len(name) > 50:
            errors.append(RowError(row, "姓名", _("不超过50个字")))
        unit = text(cells.get("unit"))
        if len(unit) > 100:
            errors.append(RowError(row, "工作单位", _("不超过100个字")))
        try:
            number = parse_resident_id(text(cells.get("id_number"))).number
        except ValueError as exc:
            errors.append(RowError(row, "身份证号码", str(exc)))
            continue
        if number in seen:
            errors.append(RowError(row, "身份证号码", _("与第%(n)s行重复") % {"n": seen[number]}))
            continue
        seen[number] = row
        winners.append(HonourWinner(row=row, name=name, id_number=number, unit=unit))
    if errors:
        return ImportResult(errors=errors)
    honour_list = HonourList.objects.create(
        award=award,
        year=year,
        source_file=filename[:200],
        imported_by=actor if actor.is_authenticated else None,
    )
    for winner in winners:
        winner.honour_list = honour_list
    HonourWinner.objects.bulk_create(winners)
    audit_record(
        actor=actor,
        action="honour_list.import",
        target=honour_list,
        after={"award": award, "year": year, "filename": filename, "rows": len(winners)},
    )
    return ImportResult(created=len(winners))
