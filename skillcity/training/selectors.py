"""Reads of the training app, each through `visible_to`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from skillcity.core.access import visible_to
from skillcity.training.models import Enrolment, Settlement, SettlementLine, TrainingProject, Voucher


def vouchers_for(user: Any) -> QuerySet[Voucher]:
    return visible_to(user, Voucher.objects.select_related("batch", "worker")).order_by("-valid_to", "id")


def enrolments_for(user: Any) -> QuerySet[Enrolment]:
    return visible_to(user, Enrolment.objects.select_related("training_class__project", "worker", "provider"))


def projects_for(user: Any) -> QuerySet[TrainingProject]:
    return visible_to(user, TrainingProject.objects.select_related("occupation", "provider", "town"))


def settlements_for(user: Any) -> QuerySet[Settlement]:
    return visible_to(user, Settlement.objects.select_related("provider"))


def subsidies_for(user: Any) -> QuerySet[SettlementLine]:
    return visible_to(user, SettlementLine.objects.select_related("settlement", "enrolment"))


def voucher_use_by_town(user: Any) -> list[dict[str, Any]]:
    rows = vouchers_for(user).order_by().values("town__name", "state").annotate(n=Count("id"))
    return [dict(row) for row in rows]


def workers_for_issue(
    *, town_code: str | None, level: int | None, occupation_code: str | None
) -> QuerySet[Any]:
    """The workers a voucher batch goes to: by town, highest level and an occupation they hold.

    Raises DomainError naming `occupation_code` when the code is unknown."""
    from skillcity.core.errors import DomainError
    from skillcity.registry.models import Occupation, Worker

    workers = Worker.objects.all()
    if town_code:
        workers = workers.filter(town__code=town_code)
    if level is not None:
        workers = workers.filter(highest_level=level)
    if occupation_code:
        occupation = Occupation.objects.filter(code=occupation_code.strip()).first()
        if occupation is None:
            raise DomainError("bad_occupation", "未知的职业编码", {"occupation_code": "未知的职业编码"})
        workers = workers.filter(skill_records__occupation=occupation).distinct()
    return workers


def worker_by_id_number(raw: str) -> Any:
    """The registered worker with this resident ID number; DomainError naming `id_number` otherwise."""
    from skillcity.core.errors import DomainError
    from skillcity.core.validators import parse_resident_id
    from skillcity.registry.models import Worker

    try:
        number = parse_resident_id(raw).number
    except ValueError as exc:
        raise DomainError("bad_id_number", "身份证号码有误", {"id_number": str(exc)}) from None
    worker = Worker.objects.filter(id_number=number).first()
    if worker is None:
        raise DomainError("unknown_worker", "登记库中没有该身份证号码的劳动者", {"id_number": "未登记"})
    return worker


def settlement_refused(*, settlement: Settlement) -> list[dict[str, Any]]:
    """The enrolments the policy engine refused in this settlement (enrolment_id, rule, error)."""
    from skillcity.core.models import AuditEvent

    events = AuditEvent.objects.filter(
        action="settlement.rows_refused",
        target_type=Settlement._meta.label_lower,
        target_id=str(settlement.pk),
    ).order_by("id")
    return [row for event in events for row in (event.after or {}).get("refused", [])]


def redemptions_for(user: Any) -> QuerySet[Any]:
    """Redemptions the user may see (a provider: its own), newest first, with what the counter shows."""
    from skillcity.training.models import Redemption

    return visible_to(
        user,
        Redemption.objects.select_related(
            "voucher__worker", "voucher__batch", "enrolment__training_class", "reversal"
        ),
    ).order_by("-redeemed_at", "-id")


def enrolment_for_redemption(*, provider_id: int, code: str) -> Any:
    """The holder's one open enrolment at this provider, for a voucher scanned without a class chosen;
    None when there is none or more than one (then the redemption is recorded without a class)."""
    rows = list(
        Enrolment.objects.filter(
            provider_id=provider_id,
            worker__vouchers__code=code,
            status__in=[Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED],
        ).select_related("training_class")[:2]
    )
    return rows[0] if len(rows) == 1 else None
