"""Building the .xlsx downloads of Annex 1, 2 and 3 from an alliance's records.

Annex 2 of a submitted report is its snapshot; of a draft report (or without a report) it is
computed from the members' current Annex 1 data. Every download names the policy version governing
the period.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from skillcity.alliances import annexes
from skillcity.alliances.excel.annex1 import annex1_workbook
from skillcity.alliances.excel.annex2 import annex2_workbook, annex3_workbook
from skillcity.alliances.models import Alliance, HalfYearReport, Membership
from skillcity.alliances.policy_versions import label_for_period
from skillcity.alliances.selectors import memberships_of
from skillcity.core.audit import audit_personal_data_view, personal_number_for
from skillcity.core.periods import HalfYear


def _policy_note(period: HalfYear, version_id: str = "") -> str:
    # The annexes are the bureau's Chinese forms: their note stays Chinese whatever the reader's language.
    with translation.override(settings.LANGUAGE_CODE):
        return f"适用政策：{label_for_period(period, version_id)}"


def annex1_download(membership: Membership, *, viewer: Any = None) -> bytes:
    """Annex 1 as .xlsx: the contact mobile in full only to a role whose work needs it, and that full
    view is audited (PIPL); masked for everyone else."""
    filled = timezone.localdate(membership.annex1_filled_at) if membership.annex1_filled_at else None
    full = bool(getattr(viewer, "sees_personal_data", False)) and bool(membership.organisation.mobile)
    if full:
        audit_personal_data_view(actor=viewer, target=membership.organisation, field="mobile")
    return annex1_workbook(membership, filled_on=filled, full_mobile=full)


def annex2_data(alliance: Alliance, report: HalfYearReport | None) -> dict:
    if report is not None and report.annex2_snapshot:
        return report.annex2_snapshot
    members = memberships_of(alliance)
    if report is not None:
        return annexes.annex2_compute(annexes.members_in_period(members, report.period))
    return annexes.annex2_compute([m for m in members if m.left_on is None])


def report_phone_for(report: HalfYearReport, viewer: Any) -> str:
    """The report's contact phone: in full to the initiator's own users, in full and audited to the
    bureau and towns, masked for the other members (PIPL)."""
    own = getattr(viewer, "organisation_id", None) == report.alliance.initiator_id
    return personal_number_for(
        viewer, target=report, field="contact_phone", value=report.contact_phone, own=own
    )


def annex2_download(
    alliance: Alliance,
    report: HalfYearReport | None,
    *,
    viewer: Any = None,
    on: datetime.date | None = None,
) -> bytes:
    on = on or timezone.localdate()
    period = report.period if report is not None else HalfYear.containing(on)
    filled = timezone.localdate(report.submitted_at) if report is not None and report.submitted_at else None
    notes = [_policy_note(period, report.policy_version if report else "")]
    if report is not None and report.annex2_snapshot:
        notes.append(f"说明：{period} 报告报送时按各成员单位登记表（附件1）数据生成的快照。")
    else:
        notes.append(f"说明：按各成员单位登记表（附件1）当前数据生成（{on.isoformat()}），报送时形成快照。")
    return annex2_workbook(
        alliance_name=alliance.name,
        data=annex2_data(alliance, report),
        filled_on=filled,
        contact=report.contact_person if report else "",
        phone=report_phone_for(report, viewer) if report else "",
        notes=notes,
    )


def annex3_data(report: HalfYearReport) -> dict:
    lines = list(report.lines.select_related("organisation"))
    return annexes.annex3_compute(lines, memberships_of(report.alliance))


def annex3_download(report: HalfYearReport, *, viewer: Any = None) -> bytes:
    return annex3_workbook(
        alliance_name=report.alliance.name,
        year=report.year,
        half=report.half,
        data=annex3_data(report),
        contact=report.contact_person,
        phone=report_phone_for(report, viewer),
        notes=[_policy_note(report.period, report.policy_version)],
    )
