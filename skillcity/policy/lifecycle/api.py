"""/api/v1/policy/drafts and /api/v1/policy/documents: the lifecycle for bureau officers (token or session).

The same services as the page and the CLI. Errors use the one error shape: 403 `permission_denied`
(not a bureau officer) or `own_draft` (maker–checker: the drafter approves or returns their own draft),
409 for a state that does not allow the action (`draft_not_submitted`, `draft_not_editable`,
`version_in_effect`), 422 for bad input (`invalid_version`: `fields` names the field, the message the
parameter and the problem).
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import BeforeValidator

from skillcity.core.access import acting_user, require_role
from skillcity.core.bounds import Id, IsoDate
from skillcity.core.errors import NotFound
from skillcity.policy.lifecycle import preview, selectors, services
from skillcity.policy.lifecycle.documents import document_records
from skillcity.policy.models import PolicyDraft

router = Router(tags=["policy lifecycle"])


class DocumentIn(Schema):
    key: str
    title: str
    issuer: str = ""
    number: str = ""
    issued: IsoDate | None = None
    effective_from: IsoDate
    effective_to: IsoDate | None = None
    supersedes: str = ""


def _as_text(raw: Any) -> Any:
    """A JSON number or true/false as the text a person would type: the parameter's unit judges it
    (validation.value_from_text), and a bad value is one error on `value`, never one per JSON type."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, int | float):
        return str(raw)
    return raw


# The value as text ("3000", "1.3", "true"); JSON numbers and booleans are accepted and read as text.
ParameterValue = Annotated[str, BeforeValidator(_as_text), Field(max_length=100)]


class VersionIn(Schema):
    parameter: str
    value: ParameterValue
    effective_from: IsoDate
    effective_to: IsoDate | None = None
    document: str
    clause: str = ""
    text: str = ""


class DraftIn(Schema):
    title: str
    note: str = ""
    documents: list[DocumentIn] = []
    versions: list[VersionIn] = []


class ContinuationIn(Schema):
    document: str
    until: IsoDate
    citation_document: str = ""
    clause: str = ""
    text: str = ""
    title: str = ""


class DecisionIn(Schema):
    note: str = ""


def _officer(request: HttpRequest) -> Any:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    return user


def _draft(pk: int) -> PolicyDraft:
    draft = PolicyDraft.objects.filter(pk=pk).first()
    if draft is None:
        raise NotFound(_("没有这个草稿"))
    return draft


@router.get("/documents", summary="Every policy document with its number, validity and status today")
def documents_endpoint(request: HttpRequest) -> list[dict[str, Any]]:
    _officer(request)
    today = timezone.localdate()
    return [
        {
            "key": d.key,
            "title": d.title,
            "number": d.number,
            "issuer": d.issuer,
            "issued": d.issued.isoformat() if d.issued else None,
            "effective_from": d.effective_from.isoformat(),
            "effective_to": d.valid_to.isoformat() if d.valid_to else None,
            "status": d.status_on(today),
            "status_label": d.status_label_on(today),
            "superseded_by": d.superseded_by.key if d.superseded_by else None,
            "origin": d.origin,
        }
        for d in document_records()
    ]


@router.get("/drafts", summary="The drafts of successor versions, newest first")
def drafts_endpoint(request: HttpRequest, state: str = "") -> list[dict[str, Any]]:
    _officer(request)
    return [selectors.draft_as_dict(d) for d in selectors.drafts(state=state or None)[:200]]


@router.post(
    "/drafts", response={201: dict}, summary="Draft successor versions (new documents and versions at once)"
)
def draft_create_endpoint(request: HttpRequest, payload: DraftIn) -> tuple[int, dict[str, Any]]:
    from django.db import transaction

    actor = _officer(request)
    with transaction.atomic():  # the draft, its documents and its versions: all or nothing
        draft = services.draft_create(actor=actor, title=payload.title, note=payload.note)
        for d in payload.documents:
            services.document_register(draft=draft, actor=actor, **d.dict())
        for v in payload.versions:
            services.draft_version_add(draft=draft, actor=actor, **v.dict())
    return 201, selectors.draft_as_dict(draft)


@router.post(
    "/drafts/continuation", response={201: dict}, summary="Draft a continuation (延续执行) of a document"
)
def continuation_endpoint(request: HttpRequest, payload: ContinuationIn) -> tuple[int, dict[str, Any]]:
    actor = _officer(request)
    draft = services.draft_continuation_create(
        actor=actor,
        document=payload.document,
        until=payload.until,
        citation_document=payload.citation_document or payload.document,
        clause=payload.clause,
        text=payload.text,
        title=payload.title,
    )
    return 201, selectors.draft_as_dict(draft)


@router.get(
    "/drafts/{draft_id}", summary="One draft with its diff against the versions in force and sample outcomes"
)
def draft_endpoint(request: HttpRequest, draft_id: Id) -> dict[str, Any]:
    _officer(request)
    draft = _draft(draft_id)
    return {
        **selectors.draft_as_dict(draft),
        "diff": [row.__dict__ for row in preview.draft_diff(draft)],
        "samples": [{**row.__dict__, "day": row.day.isoformat()} for row in preview.sample_outcomes(draft)],
    }


@router.post("/drafts/{draft_id}/versions", response={201: dict}, summary="Add a version to a draft")
def draft_version_endpoint(
    request: HttpRequest, draft_id: Id, payload: VersionIn
) -> tuple[int, dict[str, Any]]:
    actor = _officer(request)
    draft = _draft(draft_id)
    services.draft_version_add(draft=draft, actor=actor, **payload.dict())
    return 201, selectors.draft_as_dict(draft)


@router.post("/drafts/{draft_id}/submit", summary="Submit a draft for checking")
def submit_endpoint(request: HttpRequest, draft_id: Id) -> dict[str, Any]:
    return selectors.draft_as_dict(services.draft_submit(draft=_draft(draft_id), actor=_officer(request)))


@router.post("/drafts/{draft_id}/approve", summary="Approve and publish (a second bureau officer)")
def approve_endpoint(request: HttpRequest, draft_id: Id, payload: DecisionIn) -> dict[str, Any]:
    draft = services.draft_approve(draft=_draft(draft_id), actor=_officer(request), note=payload.note)
    return selectors.draft_as_dict(draft)


@router.post("/drafts/{draft_id}/return", summary="Return a draft to its drafter with a reason")
def return_endpoint(request: HttpRequest, draft_id: Id, payload: DecisionIn) -> dict[str, Any]:
    draft = services.draft_return(draft=_draft(draft_id), actor=_officer(request), note=payload.note)
    return selectors.draft_as_dict(draft)


@router.post(
    "/drafts/{draft_id}/withdraw", summary="Withdraw a draft (a published one only before its effective date)"
)
def withdraw_endpoint(request: HttpRequest, draft_id: Id) -> dict[str, Any]:
    return selectors.draft_as_dict(services.draft_withdraw(draft=_draft(draft_id), actor=_officer(request)))
