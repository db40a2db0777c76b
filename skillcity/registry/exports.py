"""The registry's large lists as background exports (skillcity.core.exports): the worker and the
organisation lists, rebuilt when the job runs from the owner's visibility and the list's filters. A
full worker export (ID numbers in full) is recorded as a personal-data export when it is asked for, as
the immediate one is."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from skillcity.core.exports import ExportKind, register_export
from skillcity.core.models import Export
from skillcity.registry import imports, services


def _worker_rows(export: Export) -> tuple[Any, Any]:
    from skillcity.registry.views import worker_queryset_for

    workers, _f, _bad = worker_queryset_for(export.owner, export.filters)
    return workers, lambda qs: imports.worker_export_rows(qs, full=export.full)


def _organisation_rows(export: Export) -> tuple[Any, Any]:
    from skillcity.registry.views import organisation_queryset_for

    organisations, _f, _bad = organisation_queryset_for(export.owner, export.filters)
    return organisations, imports.organisation_export_rows


def _record_full(export: Export) -> None:
    if export.full:
        services.personal_data_export_record(actor=export.owner, what=export.kind, filters=export.filters)


WORKERS = register_export(
    ExportKind(
        name="workers",
        label=_("劳动者名单"),
        sheet_title="劳动者",
        header=imports.WORKER_EXPORT_HEADER,
        rows=_worker_rows,
        list_url=lambda e: reverse("registry:worker_list"),
        on_request=_record_full,
    )
)
ORGANISATIONS = register_export(
    ExportKind(
        name="organisations",
        label=_("单位名单"),
        sheet_title="单位",
        header=imports.ORGANISATION_EXPORT_HEADER,
        rows=_organisation_rows,
        list_url=lambda e: reverse("registry:organisation_list"),
    )
)
