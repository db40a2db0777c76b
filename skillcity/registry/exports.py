"""Background exports: a registry list of more than EXPORT_BACKGROUND_ROWS rows is built by the task
worker into a file in the data folder (`exports/`), with its progress on the Export row, and downloaded
from a link only its owner sees. The rows go through core.spreadsheets (formula-safe), exactly as the
immediate export's do; a full export (ID numbers in full) is recorded as a personal-data export when it
is asked for, as the immediate one is."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.access import acting_user
from skillcity.core.audit import audit_record
from skillcity.core.errors import NotFound
from skillcity.registry import imports, services
from skillcity.registry.models import Export

PROGRESS_EVERY = 2000  # rows between two progress writes


def export_dir() -> Path:
    path = Path(settings.DATA_DIR) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def export_request(*, owner: Any, kind: str, filters: dict[str, Any], full: bool) -> Export:
    """Queue the export; the job starts once this transaction commits."""
    from skillcity.registry.tasks import export_run_task

    with transaction.atomic():
        export = Export.objects.create(owner=owner, kind=kind, filters=filters, full=full)
        if full:
            services.personal_data_export_record(actor=owner, what=kind, filters=filters)
        audit_record(
            actor=owner,
            action="registry.export.request",
            target=export,
            after={"kind": kind, "filters": filters, "full": full},
        )
        transaction.on_commit(lambda: export_run_task.enqueue(export.pk))
    return export


def _rows(export: Export) -> tuple[list[str], str, Any, Any]:
    from skillcity.registry.views import organisation_queryset_for, worker_queryset_for

    if export.kind == Export.Kind.WORKERS:
        workers, _f, _bad = worker_queryset_for(export.owner, export.filters)
        return (
            imports.WORKER_EXPORT_HEADER,
            "劳动者",
            workers,
            lambda qs: imports.worker_export_rows(qs, full=export.full),
        )
    organisations, _f, _bad = organisation_queryset_for(export.owner, export.filters)
    return imports.ORGANISATION_EXPORT_HEADER, "单位", organisations, imports.organisation_export_rows


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
    header, title, queryset, rows = _rows(export)
    Export.objects.filter(pk=export.pk).update(
        status=Export.Status.RUNNING, rows_total=queryset.count(), rows_done=0
    )
    try:
        content = imports.export_workbook(title, header, _counted(export, rows(queryset)))
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


@login_required
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "registry/export_detail.html", {"export": _mine(request, pk)})


@login_required
def export_progress(request: HttpRequest, pk: int) -> HttpResponse:
    export = _mine(request, pk)
    response = render(request, "registry/_export_progress.html", {"export": export})
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
        audit_record(actor=acting_user(request), action="registry.export.download", target=export)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"{export.kind}-{export.pk}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
