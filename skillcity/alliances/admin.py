"""Read-only admin views of the alliance records; every change goes through the services and pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from skillcity.alliances.models import (
    Alliance,
    AllianceDocument,
    AllianceEvent,
    HalfYearReport,
    Membership,
    Notice,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Alliance)
class AllianceAdmin(ReadOnlyAdmin):
    list_display = ["name", "status", "industry", "initiator", "accepted_on"]
    list_filter = ["status", "industry"]
    search_fields = ["name", "initiator__name"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["alliance", "organisation", "role", "is_lead", "joined_on", "left_on"]


@admin.register(AllianceDocument)
class AllianceDocumentAdmin(ReadOnlyAdmin):
    list_display = ["alliance", "kind", "original_name", "sha256", "size", "uploaded_at"]


@admin.register(HalfYearReport)
class HalfYearReportAdmin(ReadOnlyAdmin):
    list_display = ["alliance", "year", "half", "status", "first_submitted_at"]
    list_filter = ["status", "year", "half"]


@admin.register(AllianceEvent)
class AllianceEventAdmin(ReadOnlyAdmin):
    list_display = ["alliance", "at", "actor_label", "action", "message"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["alliance", "year", "half", "kind", "on_date", "due_on"]
