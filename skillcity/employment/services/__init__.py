"""Writing employment records (issue 19 §2): social-insurance contributions, from an .xlsx/.csv
import or from the social-insurance system's adapter (services.adapter), through one check.

An import writes all its rows or none: every bad row is listed with its row number, its column and
why. A page of the feed writes its good rows and holds the bad ones aside on its batch. A row for a (worker, employer, month) that already has the same figures is left
alone, so sending a file twice writes it once. A different row for a month already recorded must say
it is a correction (记录类型 更正), and then supersedes the row it corrects; 作废 withdraws a row.
Nothing is ever edited or deleted.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.access import require_role
from skillcity.core.audit import audit_record
from skillcity.core.bounds import column_money_max, parse_money, text_length_errors
from skillcity.core.validators import validate_uscc
from skillcity.employment.models import Contribution, ContributionBatch, Kind, Source
from skillcity.employment.selectors import CHUNK
from skillcity.registry.imports import ImportResult, RowError
from skillcity.registry.models import Organisation, Worker
from skillcity.registry.sheet_rows import ID, NAME, match_worker, parse, text, workers_for

USCC = "用人单位统一社会信用代码"
EMPLOYER = "用人单位名称"
MONTH = "缴费月份"
REGION = "参保地行政区划代码"
BASE = "缴费基数"
KIND = "记录类型"
COLUMNS = {
    ID: "id_number",
    NAME: "name",
    USCC: "uscc",
    EMPLOYER: "employer_name",
    MONTH: "month",
    REGION: "region",
    BASE: "base",
    KIND: "kind",
}
REQUIRED = (ID, NAME, USCC, EMPLOYER, MONTH, REGION, BASE)
KIND_LABELS = {"": Kind.NEW, "新增": Kind.NEW, "更正": Kind.CORRECTION, "作废": Kind.VOID}
FIRST_MONTH = datetime.date(1990, 1, 1)
MAX_ROWS = 100_000
_MONTH = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?(?:[-/.]\d{1,2}日?)?$")


@dataclass(frozen=True)
class Row:
    number: int
    worker: Worker
    uscc: str
    employer_name: str
    month: datetime.date
    region: str
    base: Decimal
    kind: str

    @property
    def key(self) -> tuple[int, str, datetime.date]:
        return (self.worker.pk, self.uscc, self.month)


def parse_month(value: Any, *, future: bool = False) -> datetime.date:
    """A month as a spreadsheet holds it: a date cell, 2024-06, 2024/6, 2024年6月, 202406. The one month
    parser of the platform; `future` lets a month after this one through (a hire's start month: its
    service bounds it)."""
    if isinstance(value, datetime.datetime):
        return value.date().replace(day=1)
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    raw = text(value)
    match = _MONTH.match(raw) or (re.match(r"^(\d{4})(\d{2})$", raw) if raw else None)
    if not match:
        raise ValueError(
            _("请按 YYYY-MM 填写月份") if not raw else _("“%(raw)s”不是有效月份（YYYY-MM）") % {"raw": raw}
        )
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(_("“%(raw)s”不是有效月份（YYYY-MM）") % {"raw": raw})
    day = datetime.date(year, month, 1)
    if day < FIRST_MONTH:
        raise ValueError(_("不能早于1990年1月"))
    if not future and day > timezone.localdate().replace(day=1):
        raise ValueError(_("不能晚于本月"))
    return day


def _check(
    number: int, cells: dict[str, Any], workers: dict[str, Worker], errors: list[RowError]
) -> Row | None:
    before = len(errors)
    worker = match_worker(cells, number, workers, errors)
    uscc = ""
    try:
        uscc = validate_uscc(text(cells.get("uscc")))
    except ValueError as exc:
        errors.append(RowError(number, USCC, str(exc)))
    employer_name = text(cells.get("employer_name"))
    if not employer_name:
        errors.append(RowError(number, EMPLOYER, _("请填写用人单位名称")))
    for reason in text_length_errors(Contribution, {"employer_name": employer_name}).values():
        errors.append(RowError(number, EMPLOYER, reason))
    month = None
    try:
        month = parse_month(cells.get("month"))
    except ValueError as exc:
        errors.append(RowError(number, MONTH, str(exc)))
    region = text(cells.get("region"))
    if not re.fullmatch(r"\d{6}", region):
        errors.append(RowError(number, REGION, _("应为6位数字（东莞为441900）")))
    base = None
    try:
        base = parse_money(cells.get("base"), high=column_money_max(Contribution._meta.get_field("base")))
    except ValueError as exc:
        errors.append(RowError(number, BASE, str(exc)))
    label = text(cells.get("kind"))
    kind = KIND_LABELS.get(label)
    if kind is None:
        errors.append(
            RowError(
                number,
                KIND,
                _("“%(label)s”不是有效记录类型（应为新增、更正或作废，空白为新增）") % {"label": label},
            )
        )
    if len(errors) > before or worker is None or month is None or base is None or kind is None:
        return None
    return Row(number, worker, uscc, employer_name, month, region, base, kind)


def _chain_ends(rows: list[Row]) -> dict[tuple[int, str, datetime.date], Contribution]:
    """The last row of each key's chain (the one no row supersedes, void or not), as recorded now,
    locked (PostgreSQL) until the import's transaction ends."""
    ends: dict[tuple[int, str, datetime.date], Contribution] = {}
    keys = {r.key for r in rows}
    months = sorted({r.month for r in rows})  # a file covers a few months; a worker's history, years
    worker_ids = sorted({r.worker.pk for r in rows})
    for i in range(0, len(worker_ids), CHUNK):
        found = Contribution.objects.select_for_update(of=("self",)).filter(
            worker_id__in=worker_ids[i : i + CHUNK], month__in=months, superseded_by__isnull=True
        )
        for row in found:
            key = (row.worker_id, row.employer_uscc, row.month)
            if key in keys:
                ends[key] = row
    return ends


def _same(row: Row, recorded: Contribution) -> bool:
    return (
        recorded.kind != Kind.VOID
        and recorded.employer_name == row.employer_name
        and recorded.region == row.region
        and recorded.base == row.base
    )


def _against_ledger(
    rows: list[Row], ends: dict[Any, Contribution], errors: list[RowError]
) -> list[tuple[Row, Contribution | None]]:
    """What each row does to its key's chain: (row, the row it supersedes); rows already recorded
    with the same figures drop out."""
    writes: list[tuple[Row, Contribution | None]] = []
    for row in rows:
        end = ends.get(row.key)
        if row.kind == Kind.NEW:
            if end is None:
                writes.append((row, None))
            elif end.kind == Kind.VOID:
                errors.append(
                    RowError(row.number, KIND, _("该月的缴费记录已作废，如需恢复请将记录类型填“更正”"))
                )
            elif not _same(row, end):
                errors.append(
                    RowError(
                        row.number,
                        KIND,
                        _(
                            "%(name)s %(month)s 在该单位已有缴费记录（缴费基数 %(base)s），如需更正请将记录类型填“更正”"
                        )
                        % {"name": row.worker.name, "month": f"{row.month:%Y-%m}", "base": end.base},
                    )
                )
        elif end is None:
            errors.append(RowError(row.number, KIND, _("该月在该单位没有缴费记录，不能更正或作废")))
        elif (row.kind == Kind.VOID and end.kind == Kind.VOID) or (
            row.kind == Kind.CORRECTION and _same(row, end)
        ):
            continue  # already so: a file or a page sent again writes nothing
        else:
            writes.append((row, end))
    return writes


@dataclass
class IngestResult(ImportResult):
    unchanged: int = 0
    batch: ContributionBatch | None = None


def ingest(
    *,
    data: list[tuple[int, dict[str, Any]]],
    source: str,
    actor: Any,
    file_name: str = "",
    hold_bad: bool = False,
) -> IngestResult:
    """Check every row (number, cells by key) and write in one transaction: all rows or none; with
    `hold_bad` (a page of the social-insurance feed) the good rows, the bad ones held aside and kept
    on the batch with their reasons. A row naming the same worker, employer and month as an earlier
    row of the same call is refused (a feed sends it in a later call: services.adapter)."""
    errors: list[RowError] = []
    if len(data) > MAX_ROWS:
        return IngestResult(
            errors=[RowError(MAX_ROWS + 2, "", _("超过单次导入上限 %(n)s 行") % {"n": MAX_ROWS})]
        )
    workers = workers_for(data)
    rows: list[Row] = []
    seen: dict[Any, int] = {}
    for number, cells in data:
        row = _check(number, cells, workers, errors)
        if row is None:
            continue
        if row.key in seen:
            errors.append(
                RowError(
                    number, MONTH, _("与第%(n)s行重复（同一人、同一单位、同一月份）") % {"n": seen[row.key]}
                )
            )
            continue
        seen[row.key] = number
        rows.append(row)
    if errors and not hold_bad:
        return IngestResult(errors=errors)
    if not rows and not errors:
        return IngestResult(errors=[RowError(2, "", _("文件中没有数据行"))])
    try:
        with transaction.atomic():
            writes = _against_ledger(rows, _chain_ends(rows), errors)
            if errors and not hold_bad:
                return IngestResult(errors=errors)
            bad = {e.row for e in errors}
            sent = dict(data)
            writes = [(row, end) for row, end in writes if row.number not in bad]
            unchanged = sum(1 for row in rows if row.number not in bad) - len(writes)
            batch = _write(
                writes,
                source=source,
                actor=actor,
                file_name=file_name,
                unchanged=unchanged,
                held=[_held(e, sent) for e in errors],
            )
    except IntegrityError:
        # Another import recorded one of these months meanwhile: nothing of this one was written.
        return IngestResult(errors=[RowError(0, MONTH, _("导入期间有相同月份的记录被写入，请重新导入"))])
    return IngestResult(created=batch.rows, errors=errors, unchanged=unchanged, batch=batch)


def _held(error: RowError, sent: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """A row held aside from a feed's page: where, why, and the record as sent (to import it corrected)."""
    record = sent.get(error.row, {})
    return {
        "row": error.row,
        "column": error.column,
        "reason": error.reason,
        "record": {k: text(v) for k, v in record.items()},
    }


def _write(
    writes: list[tuple[Row, Contribution | None]],
    *,
    source: str,
    actor: Any,
    file_name: str,
    unchanged: int,
    held: list[dict[str, Any]],
) -> ContributionBatch:
    batch = ContributionBatch.objects.create(
        errors=held,
        source=source,
        file_name=file_name[:200],
        rows=len(writes),
        unchanged=unchanged,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    usccs = sorted({r.uscc for r, _end in writes})
    employers: dict[str, int] = {}
    for i in range(0, len(usccs), CHUNK):
        employers.update(Organisation.objects.filter(uscc__in=usccs[i : i + CHUNK]).values_list("uscc", "pk"))
    Contribution.objects.bulk_create(
        (
            Contribution(
                worker=row.worker,
                employer_uscc=row.uscc,
                employer_name=row.employer_name,
                employer_id=employers.get(row.uscc),
                month=row.month,
                region=row.region,
                base=row.base,
                kind=row.kind,
                supersedes=end,
                batch=batch,
            )
            for row, end in writes
        ),
        batch_size=2000,
    )
    audit_record(
        actor=actor,
        action=f"employment.contributions.{source}",
        target=batch,
        after={
            "file": file_name,
            "rows": len(writes),
            "unchanged": unchanged,
            "corrections": sum(1 for r, _e in writes if r.kind == Kind.CORRECTION),
            "voided": sum(1 for r, _e in writes if r.kind == Kind.VOID),
            "held": len(held),
        },
    )
    return batch


def read_file(filename: str, content: bytes) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """The data rows of an .xlsx or .csv in the template's layout, and the header's problems."""
    return parse(filename, content, COLUMNS, REQUIRED, csv_too=True)


def contributions_import(*, actor: Any, filename: str, content: bytes) -> IngestResult:
    """The bureau's import of contribution records (.xlsx or .csv), all rows or none."""
    require_role(actor, "bureau_officer")
    data, errors = read_file(filename, content)
    if errors:
        return IngestResult(errors=errors)
    return ingest(data=data, source=Source.IMPORT, actor=actor, file_name=filename)


# The template's example row (services.COLUMNS' order), under the header on /employment/template.xlsx.
TEMPLATE_EXAMPLE = [
    "441900199005170019",
    "陈小明",
    "91441900MA5XXXXXXX",
    "东莞市示例精密制造有限公司",
    "2025-06",
    "441900",
    "4500.00",
    "",
]
