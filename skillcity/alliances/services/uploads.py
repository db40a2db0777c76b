"""Filled Annex 1 and Annex 3 forms uploaded as .xlsx: every cell checked first, then written in one
transaction by the same services the forms use — all of the file or nothing."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from skillcity.alliances.excel.annex1 import annex1_read
from skillcity.alliances.excel.annex3_upload import annex3_read
from skillcity.alliances.models import HalfYearReport, Membership
from skillcity.alliances.services.members import member_annex1_update
from skillcity.alliances.services.reports import (
    alliance_members,
    locked_report,
    report_lines_update,
    sync_lines,
)
from skillcity.core.errors import Conflict


@transaction.atomic
def member_annex1_upload(*, membership: Membership, content: bytes, actor: Any) -> Membership:
    data = annex1_read(content, membership)
    return member_annex1_update(membership=membership, data=data, actor=actor)


@transaction.atomic
def report_annex3_upload(*, report: HalfYearReport, content: bytes, actor: Any) -> HalfYearReport:
    report = locked_report(report)
    if not report.is_editable:
        raise Conflict(
            "invalid_state",
            _("报告当前状态为“%(status)s”，不能修改") % {"status": report.get_status_display()},
        )
    sync_lines(report, alliance_members(report.alliance))
    lines = list(report.lines.select_related("organisation"))
    values = annex3_read(content, lines)
    return report_lines_update(report=report, lines=values, actor=actor, source="Excel 上传")
