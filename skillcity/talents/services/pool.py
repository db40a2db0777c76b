"""The pool's export as a background export (core.exports) when it is large; always masked."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from skillcity.core.exports import ExportKind, register_export
from skillcity.core.models import Export
from skillcity.talents.selectors.pool import POOL_EXPORT_HEADER, POOL_FILTERS, pool_export_rows, pool_queryset


def _rows(export: Export) -> tuple[Any, Any]:
    filters = {k: v for k, v in export.filters.items() if k in POOL_FILTERS}
    return pool_queryset(export.owner, filters), pool_export_rows


POOL_EXPORT = register_export(
    ExportKind(
        name="talent_pool",
        label=_("高技能人才库"),
        sheet_title="高技能人才库",
        header=POOL_EXPORT_HEADER,
        rows=_rows,
        list_url=lambda e: reverse("talents:pool"),
    )
)
