"""/api/v1/certification/: public verification, evaluators, sessions, results, certificates, volumes.

Lookups through core.access; writes through services; the public endpoints are rate-limited per address.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile

from skillcity.certification import imports, pdf, selectors, services, signing
from skillcity.certification.models import Candidate, Certificate, Evaluator, Session
from skillcity.core.access import acting_user, get_for
from skillcity.core.bounds import Id, IsoDate, Level, Limit
from skillcity.core.errors import DomainError
from skillcity.core.schemas import InputSchema
from skillcity.core.uploads import read_upload
from skillcity.registry.models import Occupation, Organisation

router = Router(tags=["certification"])


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _limit(request: HttpRequest) -> None:
    if selectors.verify_rate_limited(client_address(request)):
        raise DomainError("rate_limited", "查询过于频繁，请一分钟后再试", status=429)


# --- public --------------------------------------------------------------------------------------


class CertificatePublic(Schema):
    number: str
    name: str
    id_number_masked: str
    occupation_code: str
    occupation: str
    level: int
    level_name: str
    evaluator: str
    issued_on: str
    status: str
    status_name: str
    revoked_on: str | None = None
    revoked_reason: str | None = None


class VerificationOut(Schema):
    status: str = Field(description="valid | revoked | not_found | tampered")
    message: str
    certificate: CertificatePublic | None


@router.get("/verify", response=VerificationOut, auth=None, summary="Verify by certificate number and name")
def verify(request: HttpRequest, number: str = "", name: str = "") -> Any:
    _limit(request)
    return selectors.verify_by_number(number=number, name=name).as_dict()


class QrIn(InputSchema):
    qr: str = Field(max_length=4000, description="the scanned QR string (payload.signature) or the whole URL")


@router.post("/verify-qr", response=VerificationOut, auth=None, summary="Verify a scanned QR payload")
def verify_qr(request: HttpRequest, payload: QrIn) -> Any:
    _limit(request)
    return selectors.verify_qr(payload.qr).as_dict()


class PublicKeyOut(Schema):
    algorithm: str
    key_id: str
    public_key_pem: str
    trusted_key_ids: list[str]


@router.get("/public-key", response=PublicKeyOut, auth=None, summary="The bureau's Ed25519 public key")
def public_key(request: HttpRequest) -> Any:
    current = signing.signing_key().public_key()
    return {
        "algorithm": "Ed25519",
        "key_id": signing.key_id(current),
        "public_key_pem": signing.public_key_pem(current),
        "trusted_key_ids": sorted(signing.trusted_public_keys()),
    }


# --- evaluators --------------------------------------------------------------------------------


class ScopeOut(Schema):
    occupation_code: str = Field(alias="occupation.code")
    occupation: str = Field(alias="occupation.name")
    highest_level: int
    lowest_level: int


class EvaluatorOut(Schema):
    id: int
    organisation_id: int
    organisation: str = Field(alias="organisation.name")
    town: str = Field(alias="organisation.town.name")
    kind: str
    state: str
    provincial: bool
    qbank_filed: bool
    organisation_code: str
    site_serial: str
    review_note: str
    scopes: list[ScopeOut]

    @staticmethod
    def resolve_scopes(obj: Evaluator) -> list[Any]:
        return list(obj.scopes.select_related("occupation"))


class ScopeIn(InputSchema):
    occupation: str = Field(description="occupation code")
    highest_level: Level
    lowest_level: Level


class EvaluatorIn(InputSchema):
    organisation_id: Id
    kind: str
    scope: list[ScopeIn]
    provincial: bool = False
    qbank_filed: bool = False


def _occupation(code: str, field: str = "occupation") -> Occupation:
    occupation = Occupation.objects.filter(code=code).first()
    if occupation is None:
        raise DomainError("unknown_occupation", f"未知职业编码：{code}", {field: "未知职业编码"})
    return occupation


@router.get("/evaluators", response=list[EvaluatorOut])
def list_evaluators(request: HttpRequest, state: str = "") -> Any:
    return selectors.evaluator_list(acting_user(request), state=state)


@router.post("/evaluators", response={201: EvaluatorOut})
def file_evaluator(request: HttpRequest, payload: EvaluatorIn) -> Any:
    user = acting_user(request)
    organisation = get_for(user, Organisation.objects.all(), payload.organisation_id)
    scope = [(_occupation(s.occupation, "scope"), s.highest_level, s.lowest_level) for s in payload.scope]
    evaluator = services.evaluator_file(
        organisation=organisation,
        kind=payload.kind,
        scope=scope,
        actor=user,
        provincial=payload.provincial,
        qbank_filed=payload.qbank_filed,
    )
    return 201, evaluator


class ReviewIn(InputSchema):
    decision: str = Field(description="approve | return | reject")
    note: str = ""


@router.post("/evaluators/{pk}/review", response=EvaluatorOut)
def review_evaluator(request: HttpRequest, pk: Id, payload: ReviewIn) -> Any:
    user = acting_user(request)
    evaluator = get_for(user, Evaluator.objects.all(), pk)
    return services.evaluator_review(
        evaluator=evaluator, decision=payload.decision, note=payload.note, actor=user
    )


class ReasonIn(InputSchema):
    reason: str


@router.post("/evaluators/{pk}/suspend", response=EvaluatorOut)
def suspend_evaluator(request: HttpRequest, pk: Id, payload: ReasonIn) -> Any:
    user = acting_user(request)
    evaluator = get_for(user, Evaluator.objects.all(), pk)
    return services.evaluator_suspend(evaluator=evaluator, reason=payload.reason, actor=user)


class CertificateOut(Schema):
    id: int
    number: str
    holder_name: str
    id_number_masked: str
    worker_id: int
    evaluator_id: int
    evaluator: str = Field(alias="evaluator.organisation.name")
    occupation_code: str = Field(alias="occupation.code")
    occupation: str = Field(alias="occupation.name")
    level: int
    level_name: str
    issued_on: datetime.date
    status: str
    revoked_on: datetime.date | None
    revoked_reason: str
    qr_token: str


# --- sessions, candidates, results ---------------------------------------------------------------


class SessionOut(Schema):
    id: int
    evaluator_id: int
    occupation_code: str = Field(alias="occupation.code")
    occupation: str = Field(alias="occupation.name")
    direction: str
    level: int
    kind: str
    date: datetime.date
    site: str
    state: str
    standard_id: int | None


class SessionIn(InputSchema):
    evaluator_id: Id
    occupation: str
    level: Level
    kind: str = Field(description="grading | promotion")
    date: IsoDate
    site: str
    direction: str = ""
    standard_id: Id | None = None  # a certified training and evaluation standard (issue 17 §4)


class CandidateOut(Schema):
    id: int
    worker_id: int
    name: str = Field(alias="worker.name")
    id_number_masked: str = Field(alias="worker.id_number_masked")
    theory_score: str | None
    practical_score: str | None
    overall_score: str | None
    result: str
    exceptional_grounds: str
    exceptional_note: str
    certificate_number: str | None

    @staticmethod
    def resolve_certificate_number(obj: Candidate) -> str | None:
        certificate = getattr(obj, "certificate", None)
        return certificate.number if certificate else None

    @staticmethod
    def resolve_theory_score(obj: Candidate) -> str | None:
        return None if obj.theory_score is None else str(obj.theory_score)

    @staticmethod
    def resolve_practical_score(obj: Candidate) -> str | None:
        return None if obj.practical_score is None else str(obj.practical_score)

    @staticmethod
    def resolve_overall_score(obj: Candidate) -> str | None:
        return None if obj.overall_score is None else str(obj.overall_score)


class SessionDetailOut(SessionOut):
    candidates: list[CandidateOut]

    @staticmethod
    def resolve_candidates(obj: Session) -> list[Any]:
        return list(selectors.candidate_list(obj))


@router.get("/sessions", response=list[SessionOut])
def list_sessions(request: HttpRequest, evaluator_id: Id | None = None) -> Any:
    user = acting_user(request)
    evaluator = get_for(user, Evaluator.objects.all(), evaluator_id) if evaluator_id else None
    return selectors.session_list(user, evaluator=evaluator)[:500]


@router.post("/sessions", response={201: SessionOut})
def create_session(request: HttpRequest, payload: SessionIn) -> Any:
    user = acting_user(request)
    evaluator = get_for(user, Evaluator.objects.select_related("organisation"), payload.evaluator_id)
    session = services.session_create(
        evaluator=evaluator,
        occupation=_occupation(payload.occupation),
        level=payload.level,
        kind=payload.kind,
        date=payload.date,
        site=payload.site,
        direction=payload.direction,
        actor=user,
        standard=payload.standard_id,
    )
    return 201, session


def _session(request: HttpRequest, pk: Id) -> Session:
    return get_for(
        acting_user(request), Session.objects.select_related("evaluator__organisation", "occupation"), pk
    )


@router.get("/sessions/{pk}", response=SessionDetailOut)
def get_session(request: HttpRequest, pk: Id) -> Any:
    return _session(request, pk)


class CandidateIn(InputSchema):
    worker_id: Id
    exceptional_grounds: str = ""
    exceptional_note: str = ""


@router.post("/sessions/{pk}/candidates", response={201: CandidateOut})
def add_candidate(request: HttpRequest, pk: Id, payload: CandidateIn) -> Any:
    session = _session(request, pk)
    worker = selectors.candidate_worker(session, pk=payload.worker_id, message="劳动者不存在")
    candidate = services.candidate_add(
        session=session,
        worker=worker,
        actor=acting_user(request),
        exceptional_grounds=payload.exceptional_grounds,
        exceptional_note=payload.exceptional_note,
    )
    return 201, candidate


class ResultIn(InputSchema):
    theory_score: str
    practical_score: str


@router.post("/candidates/{pk}/result", response=CandidateOut)
def record_result(request: HttpRequest, pk: Id, payload: ResultIn) -> Any:
    candidate = get_for(acting_user(request), Candidate.objects.select_related("session__evaluator"), pk)
    return services.result_record(
        candidate=candidate,
        theory=payload.theory_score,
        practical=payload.practical_score,
        actor=acting_user(request),
    )


class RowErrorOut(Schema):
    row: int
    column: str
    reason: str


class ImportOut(Schema):
    imported: int
    errors: list[RowErrorOut]


@router.post("/sessions/{pk}/results-import", response={200: ImportOut, 400: ImportOut})
def import_results(request: HttpRequest, pk: Id, file: File[UploadedFile]) -> Any:
    session = _session(request, pk)
    result = imports.results_import(
        session=session,
        filename=file.name or "results.xlsx",
        content=read_upload(file, label="成绩文件"),
        actor=acting_user(request),
    )
    body = {"imported": result.created, "errors": [vars(e) for e in result.errors]}
    return (200 if result.ok else 400), body


class IssueIn(InputSchema):
    issued_on: IsoDate | None = None


@router.post("/sessions/{pk}/issue", response={201: list[CertificateOut]})
def issue_certificates(request: HttpRequest, pk: Id, payload: IssueIn) -> Any:
    session = _session(request, pk)
    return 201, services.certificates_issue(
        session=session, actor=acting_user(request), issued_on=payload.issued_on
    )


# --- certificates ---------------------------------------------------------------------------------


@router.get("/certificates", response=list[CertificateOut])
def list_certificates(
    request: HttpRequest, q: str = "", evaluator_id: Id | None = None, limit: Limit = 100
) -> Any:
    user = acting_user(request)
    evaluator = get_for(user, Evaluator.objects.all(), evaluator_id) if evaluator_id else None
    return selectors.certificate_list(user, q=q, evaluator=evaluator)[:limit]


def _certificate(request: HttpRequest, pk: Id) -> Certificate:
    return get_for(acting_user(request), selectors.certificate_list(acting_user(request)), pk)


@router.get("/certificates/{pk}", response=CertificateOut)
def get_certificate(request: HttpRequest, pk: Id) -> Any:
    return _certificate(request, pk)


@router.get("/certificates/{pk}/pdf", summary="The certificate PDF (shows the full ID number)")
def certificate_pdf(request: HttpRequest, pk: Id) -> HttpResponse:
    certificate = _certificate(request, pk)
    response = HttpResponse(
        pdf.certificate_pdf_download(
            certificate, actor=acting_user(request), verify_url=pdf.verify_url_for(request)
        ),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
    return response


@router.post("/certificates/{pk}/revoke", response=CertificateOut)
def revoke_certificate(request: HttpRequest, pk: Id, payload: ReasonIn) -> Any:
    certificate = _certificate(request, pk)
    return services.certificate_revoke(
        certificate=certificate, reason=payload.reason, actor=acting_user(request)
    )


class VolumeOut(Schema):
    by_occupation: list[dict[str, Any]]
    by_level: list[dict[str, Any]]
    by_town: list[dict[str, Any]]
    by_year: list[dict[str, Any]]


@router.get("/volumes", response=VolumeOut, summary="Valid certificates by occupation, level, town and year")
def volumes(request: HttpRequest) -> Any:
    return selectors.certificate_volumes(acting_user(request))
