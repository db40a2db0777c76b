"""What alliance pages share: running a service and turning its DomainError into a message, the
.xlsx response, and the detail page's context."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header

from skillcity.alliances.excel.layout import XLSX_CONTENT_TYPE
from skillcity.alliances.services.common import field_label
from skillcity.core.errors import DomainError

STAFF_ROLES = ("bureau_officer", "town_officer", "organisation_user")


def error_lines(error: DomainError) -> list[str]:
    """The message and, when the fields say more than it, each field's reasons."""
    lines = []
    for name, reasons in error.as_dict()["fields"].items():
        for reason in reasons:
            lines.append(
                f"{field_label(name)}：{reason}"
                if name not in ("members", "initiator", "lead", "charter", "cooperation_agreement", "annex1")
                else reason
            )
    return lines


def run(request: HttpRequest, action: Callable[[], Any], *, success: str, back: str) -> HttpResponse:
    """POST actions without a form of their own: do it, say what happened, go back."""
    try:
        action()
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, success)
    return redirect(back)


def run_with_reason(
    request: HttpRequest,
    form: Any,
    action: Callable[[str], Any],
    *,
    success: str,
    back: str,
    page: Callable[[Any], HttpResponse],
) -> HttpResponse:
    """A decision with a reason (a ReasonForm): done, or the page again with the error next to the
    reason's field (the service's refusal that names no field at the form's top)."""
    if form.is_valid():
        try:
            action(form.cleaned_data["reason"])
        except DomainError as error:
            form.show_domain_error(error)
            form.mark_invalid()
        else:
            messages.success(request, success)
            return redirect(back)
    return page(form)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
