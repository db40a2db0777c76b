"""Reads for titles and promotions: the holder's titles, officials' lists, the public verification."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from skillcity.certification import signing
from skillcity.competitions.models import Competition, ContestProject, Promotion, Title
from skillcity.core.access import _role, visible_to
from skillcity.core.errors import DomainError
from skillcity.core.masking import mask_id_number, mask_name
from skillcity.registry.models import Worker


def _titles() -> QuerySet[Title]:
    return Title.objects.select_related("worker", "result__project__competition")


def titles_for(worker: Worker) -> QuerySet[Title]:
    """A worker's titles, newest first (revoked ones included: the page shows them as revoked)."""
    return _titles().filter(worker=worker)


def title_list(user: Any, *, q: str = "", status: str = "", honour: str = "") -> QuerySet[Title]:
    """Titles the user may see: the bureau all, a town its residents', a worker their own; an
    organisation the titles of its employees and of the competitions it organised."""
    titles = visible_to(user, _titles())
    if _role(user) == "organisation_user":
        titles = _titles().filter(
            Q(worker__employer_id=user.organisation_id)
            | Q(result__project__competition__organiser_id=user.organisation_id)
        )
    if q:
        titles = titles.filter(Q(number=q.strip().upper()) | Q(holder_name=q.strip()))
    if status:
        titles = titles.filter(status=status)
    if honour:
        titles = titles.filter(honour=honour)
    return titles


def actionable_projects(user: Any) -> QuerySet[ContestProject]:
    """Confirmed projects of non-external competitions the user may award titles and promotions for."""
    projects = ContestProject.objects.filter(
        state=ContestProject.State.CONFIRMED, competition__external=False
    ).select_related("competition", "occupation")
    role = _role(user)
    if role == "bureau_officer":
        return projects.order_by("-competition__year", "competition_id", "id")
    if role == "organisation_user":
        return projects.filter(competition__organiser_id=user.organisation_id).order_by(
            "-competition__year", "competition_id", "id"
        )
    return projects.none()


def project_counts(projects: list[ContestProject]) -> dict[int, dict[str, int]]:
    """Titles and promotions already issued per project (for the action page)."""
    counts: dict[int, dict[str, int]] = {p.pk: {"titles": 0, "promotions": 0} for p in projects}
    for project_id in Title.objects.filter(result__project__in=projects).values_list(
        "result__project_id", flat=True
    ):
        counts[project_id]["titles"] += 1
    for project_id in Promotion.objects.filter(result__project__in=projects).values_list(
        "result__project_id", flat=True
    ):
        counts[project_id]["promotions"] += 1
    return counts


def competition_of(title: Title) -> Competition | None:
    return title.result.project.competition if title.result is not None else None


# --- public verification ----------------------------------------------------------------------------


@dataclass
class TitleVerification:
    """What the public may learn: the name masked (张*明), the ID number masked, the title and its basis."""

    status: str  # valid | revoked | not_found | tampered
    message: str
    title: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "message": self.message, "title": self.title or None}


def public_view(title: Title) -> dict[str, Any]:
    competition = competition_of(title)
    view: dict[str, Any] = {
        "number": title.number,
        "name_masked": mask_name(title.holder_name),
        "id_number_masked": mask_id_number(title.worker.id_number),
        "honour": title.honour,
        "honour_name": str(title.get_honour_display()),
        "awarded_on": title.awarded_on.isoformat(),
        "competition": competition.name if competition else "",
        "project": title.result.project.name if title.result is not None else "",
        "document": title.document,
        "signed": bool(title.qr_token),
        "status": title.status,
        "status_name": str(title.get_status_display()),
        "revoked_on": title.revoked_on.isoformat() if title.revoked_on else None,
        "revoked_reason": title.revoked_reason or None,
    }
    return view


def _verdict(title: Title) -> TitleVerification:
    if title.status == Title.Status.REVOKED:
        return TitleVerification(
            "revoked",
            f"该称号已撤销（{title.revoked_on:%Y-%m-%d}）：{title.revoked_reason}",
            public_view(title),
        )
    return TitleVerification("valid", "称号有效", public_view(title))


def verify_title_by_number(*, number: str, name: str) -> TitleVerification:
    """Both must match, as for certificates: a number alone does not reveal whose it is."""
    number, name = number.strip().upper(), name.strip()
    errors = {}
    if not number:
        errors["number"] = "请输入称号证书编号"
    if not name:
        errors["name"] = "请输入姓名"
    if errors:
        raise DomainError("invalid", "请输入称号证书编号和姓名", errors)
    title = _titles().filter(number=number, holder_name=name).first()
    if title is None:
        return TitleVerification("not_found", "未查询到该称号，请核对编号和姓名")
    return _verdict(title)


def verify_title_qr(token: str) -> TitleVerification:
    check = signing.verify_token(token)
    if not check.valid or check.payload is None:
        return TitleVerification("tampered", "二维码签名无效，可能被篡改")
    if check.payload_type != "title":
        return TitleVerification("not_found", "这不是称号证书的二维码；职业技能等级证书请在证书查询页面查验")
    title = _titles().filter(number=str(check.payload.get("n", ""))).first()
    if title is None:
        return TitleVerification("not_found", "二维码签名有效，但平台中没有该称号")
    if title.holder_name != check.payload.get("nm"):
        return TitleVerification("tampered", "二维码签名无效，可能被篡改")
    return _verdict(title)
