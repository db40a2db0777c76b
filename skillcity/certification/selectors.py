"""Reads: lists scoped through core.access, the public verification, and the bureau's volumes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, QuerySet

from skillcity.certification import signing
from skillcity.certification.models import Candidate, Certificate, Evaluator, EvaluatorKind, Session
from skillcity.core.access import visible_to
from skillcity.core.errors import DomainError, NotFound
from skillcity.registry.models import Worker

# Public lookups per client address per minute: enough for a person checking a stack of certificates,
# too few to enumerate numbers (the 6-digit serial alone has a million values per prefix).
VERIFY_PER_MINUTE = 30


def evaluator_list(user: Any, *, state: str = "") -> QuerySet[Evaluator]:
    evaluators = visible_to(user, Evaluator.objects.select_related("organisation__town")).annotate(
        certificate_count=Count("certificates", distinct=True)
    )
    return evaluators.filter(state=state) if state else evaluators


def session_list(user: Any, *, evaluator: Evaluator | None = None) -> QuerySet[Session]:
    sessions = visible_to(
        user, Session.objects.select_related("evaluator__organisation", "occupation")
    ).annotate(candidate_count=Count("candidates", distinct=True))
    return sessions.filter(evaluator=evaluator) if evaluator else sessions


def candidate_list(session: Session) -> QuerySet[Candidate]:
    return session.candidates.select_related("worker", "certificate").order_by("id")


def candidate_workers(session: Session) -> QuerySet[Worker]:
    """The workers this session's evaluator may take as candidates: an enterprise its own employees
    only (D002: 企业自主评价 is of the enterprise's staff), any other evaluator anyone registered."""
    workers = Worker.objects.all()
    if session.evaluator.kind == EvaluatorKind.ENTERPRISE:
        workers = workers.filter(employer_id=session.evaluator.organisation_id)
    return workers


def candidate_worker(session: Session, *, message: Any, pk: Any = None, id_number: str = "") -> Worker:
    """The worker to add to `session`, found by ID (API) or ID number (page). A worker the evaluator
    may not take is answered exactly as one that does not exist: the answer must not tell an
    enterprise who else is registered, nor their name."""
    workers = candidate_workers(session)
    worker = workers.filter(pk=pk).first() if pk is not None else workers.filter(id_number=id_number).first()
    if worker is None:
        raise NotFound(message)
    return worker


def certificate_list(user: Any, *, q: str = "", evaluator: Evaluator | None = None) -> QuerySet[Certificate]:
    certificates = visible_to(
        user, Certificate.objects.select_related("worker", "occupation", "evaluator__organisation")
    )
    if evaluator is not None:
        certificates = certificates.filter(evaluator=evaluator)
    if q:
        certificates = certificates.filter(number=q.upper()) | certificates.filter(holder_name=q)
    return certificates


def _rows(rows: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in rows]


def certificate_volumes(user: Any) -> dict[str, list[dict[str, Any]]]:
    """Certificates (valid) by occupation, level, town and year, within what the user may see."""
    valid = visible_to(user, Certificate.objects.filter(status=Certificate.Status.VALID)).order_by()
    return {
        "by_occupation": _rows(
            valid.values("occupation__code", "occupation__name")
            .annotate(count=Count("id"))
            .order_by("-count")[:20]
        ),
        "by_level": _rows(valid.values("level").annotate(count=Count("id")).order_by("level")),
        "by_town": _rows(valid.values("worker__town__name").annotate(count=Count("id")).order_by("-count")),
        "by_year": _rows(
            valid.values("issued_on__year").annotate(count=Count("id")).order_by("issued_on__year")
        ),
    }


@dataclass
class Verification:
    """What the public may learn: no more than the national lookup shows (the ID number masked)."""

    status: str  # valid | revoked | not_found | tampered
    message: str
    certificate: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "message": self.message, "certificate": self.certificate or None}


def _public_view(certificate: Certificate) -> dict[str, Any]:
    view = {
        "number": certificate.number,
        "name": certificate.holder_name,
        "id_number_masked": certificate.id_number_masked,
        "occupation_code": certificate.occupation.code,
        "occupation": certificate.occupation.name,
        "level": certificate.level,
        "level_name": certificate.level_name,
        "evaluator": certificate.evaluator.organisation.name,
        "issued_on": certificate.issued_on.isoformat(),
        "status": certificate.status,
        "status_name": str(certificate.get_status_display()),
    }
    if certificate.status == Certificate.Status.REVOKED:
        view["revoked_on"] = certificate.revoked_on.isoformat() if certificate.revoked_on else None
        view["revoked_reason"] = certificate.revoked_reason
    return view


def _verdict(certificate: Certificate) -> Verification:
    if certificate.status == Certificate.Status.REVOKED:
        return Verification(
            "revoked",
            f"该证书已撤销（{certificate.revoked_on:%Y-%m-%d}）：{certificate.revoked_reason}",
            _public_view(certificate),
        )
    return Verification("valid", "证书有效", _public_view(certificate))


def _lookup() -> QuerySet[Certificate]:
    return Certificate.objects.select_related("worker", "occupation", "evaluator__organisation")


def verify_by_number(*, number: str, name: str) -> Verification:
    """Both must match, as on the national lookup: a number alone does not reveal whose it is."""
    number, name = number.strip().upper(), name.strip()
    errors = {}
    if not number:
        errors["number"] = "请输入证书编号"
    if not name:
        errors["name"] = "请输入姓名"
    if errors:
        raise DomainError("invalid", "请输入证书编号和姓名", errors)
    certificate = _lookup().filter(number=number, holder_name=name).first()
    if certificate is None:
        return Verification("not_found", "未查询到该证书，请核对证书编号和姓名")
    return _verdict(certificate)


def verify_qr(token: str) -> Verification:
    check = signing.verify_token(token)
    if not check.valid or check.payload is None:
        return Verification("tampered", "二维码签名无效，可能被篡改")
    if check.payload_type != "certificate":
        # A title's QR (competitions.Title) is signed with the same key; it is never read as a certificate.
        return Verification(
            "not_found", "这是称号证书的二维码，请在称号查验页面（/competitions/titles/verify/）查验"
        )
    certificate = _lookup().filter(number=str(check.payload.get("n", ""))).first()
    if certificate is None:
        return Verification("not_found", "二维码签名有效，但平台中没有该证书")
    if certificate.holder_name != check.payload.get("nm"):
        return Verification("tampered", "二维码签名无效，可能被篡改")
    return _verdict(certificate)


def verify_rate_limited(address: str) -> bool:
    """True when this address has used up its lookups for the current minute (counted here)."""
    key = f"cert-verify:{address}"
    if cache.add(key, 1, timeout=60):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=60)
        return False
    return count > VERIFY_PER_MINUTE
