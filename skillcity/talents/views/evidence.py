"""Opening an uploaded proof: served here after the access check and with an audit row, never from a
public media URL."""

from __future__ import annotations

import mimetypes

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest
from django.urls import path

from skillcity.core.access import acting_user
from skillcity.core.audit import audit_record
from skillcity.talents.selectors.evidence import evidence_for


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    user = acting_user(request)
    evidence = evidence_for(user, pk)
    if evidence is None:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    with transaction.atomic():
        audit_record(
            actor=user,
            action="talents.evidence.download",
            target=evidence,
            after={"name": evidence.name, "sha256": evidence.sha256},
        )
    content_type = mimetypes.guess_type(evidence.name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=evidence.name, content_type=content_type)
    response["X-Content-SHA256"] = evidence.sha256
    return response


urlpatterns = [
    path("evidence/<int:pk>/", evidence_download, name="evidence"),
]
