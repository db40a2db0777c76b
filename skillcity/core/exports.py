"""Background exports, for every app: a list of more than EXPORT_BACKGROUND_ROWS rows is built by the
task worker into a file in the data folder (`exports/`), with its progress on the Export row, and
downloaded from a link only its owner sees.

An app registers each of its large lists once (`register_export(ExportKind(...))`): how to rebuild the
rows from the owner and the filters (with the owner's own visibility, when the job runs), its header
and sheet title, the list it came from. Its view then calls `export_or_background`, which answers at
once for a small list and queues the job for a large one. The rows go through core.spreadsheets
(formula-safe, never a live formula), exactly as an immediate export's do. An export with full
personal data is recorded as a personal-data export when it is asked for (the kind's `on_request`),
as the immediate one is; every request and every download has an audit row.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.access import acting_user
from skillcity.core.audit import audit_record
from skillcity.core.errors import NotFound
from skillcity.core.models import Export
from skillcity.core.spreadsheets import table_workbook

PROGRESS_EVERY = 2000  # rows between two progress writes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The rows of an export: (queryset, the function turning it into rows).
RowSource = tuple[Any, Callable[[Any], Iterable[list[Any]]]]


@dataclass(frozen=True)
class ExportKind:
    name: str  # stored on Export.kind; also the downloaded file's name
    label: Any  # what the page calls it (lazily translated)
    sheet_title: str
    header: list[str]
    # The rows for this export, rebuilt from its owner and filters when the job runs.
    rows: Callable[[Export], RowSource]
    # The list the export came from (the breadcrumb's link).
    list_url: Callable[[Export], str]
    # Called inside the request's transaction (e.g. record a personal-data export).
    on_request: Callable[[Export], None] | None = None


EXPORT_KINDS: dict[str, ExportKind] = {}


def register_export(kind: ExportKind) -> ExportKind:
    EXPORT_KINDS[kind.name] = kind
    return kind


def background_rows() -> int:
    return int(settings.EXPORT_BACKGROUND_ROWS)


def export_dir() -> Path:
    path = Path(settings.DATA_DIR) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_request(*, owner: Any, kind: str, filters: dict[str, Any], full: bool = False) -> Export:
    """Queue the export; the job starts once this transaction commits."""
    from skillcity.core.tasks import export_run_task

    found = EXPORT_KINDS[kind]
    with transaction.atomic():
        export = Export.objects.create(owner=owner, kind=kind, filters=filters, full=full)
        if found.on_request is not None:
            found.on_request(export)
        audit_record(
            actor=owner,
            action="export.request",
            target=export,
            after={"kind": kind, "filters": filters, "full": full},
        )
        transaction.on_commit(lambda: export_run_task.enqueue(export.pk))
    return export


def export_or_background(
    request: HttpRequest,
    *,
    kind: str,
    rows: int,
    immediate: Callable[[], HttpResponse],
    full: bool = False,
) -> HttpResponse:
    """A list of more than EXPORT_BACKGROUND_ROWS rows goes to the task worker (the page shows its
    progress); a smaller one is answered at once by `immediate`."""
    if rows <= background_rows():
        return immediate()
    export = export_request(owner=acting_user(request), kind=kind, filters=request.GET.dict(), full=full)
    return redirect("exports:detail", pk=export.pk)


def _counted(export: Export, rows: Iterable[list[Any]]) -> Iterator[list[Any]]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % PROGRESS_EVERY == 0:
            Export.objects.filter(pk=export.pk).update(rows_done=done)
    Export.objects.filter(pk=export.pk).update(rows_done=done)


def export_run(export: Export) -> Export:
    """Build the file (a rerun of a finished export does nothing)."""
    export = Export.objects.select_related("owner").get(pk=export.pk)
    if export.status == Export.Status.DONE:
        return export
    kind = EXPORT_KINDS[export.kind]
    queryset, rows = kind.rows(export)
    total = queryset.count() if hasattr(queryset, "count") else len(queryset)
    Export.objects.filter(pk=export.pk).update(status=Export.Status.RUNNING, rows_total=total, rows_done=0)
    try:
        content = table_workbook(kind.sheet_title, kind.header, _counted(export, rows(queryset)))
        name = f"{export.pk}-{uuid.uuid4().hex}.xlsx"
        (export_dir() / name).write_bytes(content)
    except Exception as exc:
        Export.objects.filter(pk=export.pk).update(status=Export.Status.FAILED, error=str(exc)[:500])
        raise
    Export.objects.filter(pk=export.pk).update(
        status=Export.Status.DONE, file_name=name, finished_at=timezone.now()
    )
    export.refresh_from_db()
    return export


def _mine(request: HttpRequest, pk: int) -> Export:
    export = Export.objects.filter(pk=pk, owner=acting_user(request)).first()
    if export is None:
        raise NotFound(_("记录不存在或您无权查看"))
    return export


def _page(export: Export) -> dict[str, Any]:
    kind = EXPORT_KINDS.get(export.kind)
    return {"export": export, "list_url": kind.list_url(export) if kind else ""}


@login_required
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "core/export_detail.html", _page(_mine(request, pk)))


@login_required
def export_progress(request: HttpRequest, pk: int) -> HttpResponse:
    export = _mine(request, pk)
    response = render(request, "core/_export_progress.html", {"export": export})
    if export.status in (Export.Status.DONE, Export.Status.FAILED):
        response["HX-Refresh"] = "true"
    return response


@login_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    """Only the owner, only a finished file; every download is recorded."""
    export = _mine(request, pk)
    if export.status != Export.Status.DONE or not export.file_name:
        raise NotFound(_("文件尚未生成"))
    path = export_dir() / Path(export.file_name).name
    if not path.exists():
        raise NotFound(_("文件尚未生成"))
    with transaction.atomic():
        audit_record(actor=acting_user(request), action="export.download", target=export)
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=f"{export.kind}-{export.pk}.xlsx", content_type=XLSX
    )
