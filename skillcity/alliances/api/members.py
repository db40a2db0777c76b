"""Members, Annex 1 and the alliance's stored documents."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from skillcity.alliances import selectors, services
from skillcity.alliances.annexes import ANNEX1_FIELDS
from skillcity.alliances.api.schemas import (
    Annex1In,
    DocumentOut,
    MemberIn,
    MemberOut,
    _member,
)
from skillcity.alliances.downloads import (
    annex1_download,
)
from skillcity.alliances.services import UploadedDocument
from skillcity.alliances.views.common import xlsx_response
from skillcity.core.audit import audit_personal_data_view
from skillcity.core.bounds import Id
from skillcity.core.errors import DomainError, NotFound
from skillcity.core.uploads import read_upload
from skillcity.registry.models import Organisation

router = Router(tags=["alliances"])


@router.post("/{pk}/members", response={201: MemberOut}, summary="Add an organisation the registry holds")
def add_member(request: HttpRequest, pk: Id, payload: MemberIn) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk, write=True)
    organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
    if organisation is None:
        raise DomainError("invalid", _("未找到该单位"), {"organisation_id": _("未找到该单位")})
    return 201, services.member_add(
        alliance=alliance, organisation=organisation, actor=request.user, joined_on=payload.joined_on
    )


class RegisterForm(Schema):
    name: str
    category: str
    uscc: str
    town: str
    industry: str = ""
    legal_representative: str = ""
    contact_person: str = ""
    office_phone: str = ""


@router.post(
    "/{pk}/members/register",
    response={201: MemberOut},
    summary="Add an organisation by its details (multipart); a new one needs its business licence",
)
def register_member(
    request: HttpRequest,
    pk: Id,
    data: Form[RegisterForm],
    business_licence: File[UploadedFile | None] = None,
) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk, write=True)
    licence = (
        UploadedDocument.from_django(business_licence, field="business_licence", label=_("营业执照"))
        if business_licence is not None
        else None
    )
    return 201, services.member_register(
        alliance=alliance, data=data.dict(), actor=request.user, business_licence=licence
    )


@router.delete("/{pk}/members/{member_pk}", response={204: None})
def remove_member(request: HttpRequest, pk: Id, member_pk: Id) -> Any:
    _alliance, membership = _member(request, pk, member_pk, write=True)
    services.member_remove(membership=membership, actor=request.user)
    return 204, None


@router.post(
    "/{pk}/members/{member_pk}/lead", response=MemberOut, summary="Name this member the lead enterprise"
)
def set_lead(request: HttpRequest, pk: Id, member_pk: Id) -> Any:
    _alliance, membership = _member(request, pk, member_pk, write=True)
    return services.member_set_lead(membership=membership, actor=request.user)


@router.get("/{pk}/members/{member_pk}/annex1", summary="A member's Annex 1 values")
def get_annex1(request: HttpRequest, pk: Id, member_pk: Id) -> Any:
    _alliance, membership = _member(request, pk, member_pk)
    o = membership.organisation
    values = {name: getattr(o, name) for name in ANNEX1_FIELDS}
    # The mobile in full only to a role whose work needs it, audited; a PUT without it keeps it.
    if getattr(request.user, "sees_personal_data", False) and o.mobile:
        audit_personal_data_view(actor=request.user, target=o, field="mobile")
    else:
        values["mobile"] = o.mobile_masked
    return {
        "membership_id": membership.pk,
        "organisation_id": o.pk,
        "name": o.name,
        "role": membership.role,
        "filled_at": membership.annex1_filled_at,
        **values,
    }


@router.put("/{pk}/members/{member_pk}/annex1", response=MemberOut, summary="Fill a member's Annex 1")
def put_annex1(request: HttpRequest, pk: Id, member_pk: Id, payload: Annex1In) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk)
    membership = selectors.membership_get_for(request.user, alliance, member_pk, annex1=True)
    return services.member_annex1_update(
        membership=membership, data=payload.dict(exclude_none=True), actor=request.user
    )


@router.post(
    "/{pk}/members/{member_pk}/annex1/upload",
    response=MemberOut,
    summary="Upload a filled Annex 1 .xlsx; 400 lists every bad cell and nothing is written",
)
def upload_annex1(request: HttpRequest, pk: Id, member_pk: Id, file: File[UploadedFile]) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk)
    membership = selectors.membership_get_for(request.user, alliance, member_pk, annex1=True)
    return services.member_annex1_upload(
        membership=membership, content=read_upload(file, label=_("登记表")), actor=request.user
    )


@router.get("/{pk}/members/{member_pk}/annex1.xlsx", summary="Annex 1 in the official layout")
def download_annex1(request: HttpRequest, pk: Id, member_pk: Id) -> HttpResponse:
    _alliance, membership = _member(request, pk, member_pk)
    return xlsx_response(
        annex1_download(membership, viewer=request.user), f"annex1-{membership.organisation.uscc}.xlsx"
    )


class DocumentKindForm(Schema):
    kind: str


@router.post(
    "/{pk}/documents", response={201: DocumentOut}, summary="Upload the charter, agreement or other material"
)
def upload_document(
    request: HttpRequest, pk: Id, data: Form[DocumentKindForm], file: File[UploadedFile]
) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk, write=True)
    return 201, services.document_upload(
        alliance=alliance,
        kind=data.kind,
        upload=UploadedDocument.from_django(file, label=_("材料文件")),
        actor=request.user,
    )


@router.get("/{pk}/documents/{document_pk}", summary="Download a stored document (access-checked)")
def download_document(request: HttpRequest, pk: Id, document_pk: Id) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk)
    document = alliance.documents.filter(pk=document_pk).first()
    if document is None:
        raise NotFound(_("记录不存在或您无权查看"))
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-SHA256"] = document.sha256
    return response
