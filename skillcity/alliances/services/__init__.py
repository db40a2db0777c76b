"""Every write of the alliances app: one transaction, one audit row, one line of the alliance's history."""

from skillcity.alliances.services.documents import UploadedDocument, document_upload
from skillcity.alliances.services.lifecycle import (
    alliance_accept,
    alliance_create,
    alliance_dissolve,
    alliance_file,
    alliance_return,
    alliance_update,
)
from skillcity.alliances.services.members import (
    member_add,
    member_annex1_update,
    member_register,
    member_remove,
    member_set_lead,
)
from skillcity.alliances.services.reminders import ReminderRun, reminders_send
from skillcity.alliances.services.reports import (
    report_accept,
    report_create,
    report_lines_update,
    report_return,
    report_submit,
)
from skillcity.alliances.services.uploads import member_annex1_upload, report_annex3_upload

__all__ = [
    "ReminderRun",
    "UploadedDocument",
    "alliance_accept",
    "alliance_create",
    "alliance_dissolve",
    "alliance_file",
    "alliance_return",
    "alliance_update",
    "document_upload",
    "member_add",
    "member_annex1_update",
    "member_annex1_upload",
    "member_register",
    "member_remove",
    "member_set_lead",
    "reminders_send",
    "report_accept",
    "report_annex3_upload",
    "report_create",
    "report_lines_update",
    "report_return",
    "report_submit",
]
