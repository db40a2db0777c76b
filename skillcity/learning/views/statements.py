"""/learning/statements/export/: the statement log as one xAPI JSON file, for the pages' download
links (a learner's own, a course's for its provider, any for the bureau)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.access import acting_user
from skillcity.core.audit import audit_record
from skillcity.core.bounds import parse_optional_id
from skillcity.core.errors import DomainError
from skillcity.learning.selectors.statements import (
    XAPI_VERSION,
    parse_moment,
    statements_for,
    statements_stream,
)


@login_required
def statements_export(request: HttpRequest) -> HttpResponseBase:
    """GET ?learner=<worker id>&course=<id>&since=&until= → statements.json (xAPI StatementResult)."""
    user = acting_user(request)
    try:
        filters: dict[str, Any] = {
            "learner": parse_optional_id(request.GET.get("learner")),
            "course": parse_optional_id(request.GET.get("course")),
            "since": parse_moment(request.GET.get("since"), "since"),
            "until": parse_moment(request.GET.get("until"), "until"),
        }
        selection = statements_for(user, **filters)
    except (DomainError, ValueError) as refused:
        messages.error(request, str(getattr(refused, "message", refused)))
        return redirect(request.META.get("HTTP_REFERER") or "/")
    with transaction.atomic():
        # Learners' activity leaves the platform: every export is recorded, with what it asked for.
        audit_record(
            actor=user,
            action="learning.statements_export",
            target_type="learning.statement",
            target_label=_("学习语句导出"),
            after={k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in filters.items()},
        )
    response = StreamingHttpResponse(
        statements_stream(selection), content_type="application/json; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="statements-{stamp}.json"'
    response["X-Experience-API-Version"] = XAPI_VERSION
    return response


urlpatterns = [path("statements/export/", statements_export, name="statements_export")]
