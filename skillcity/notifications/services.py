"""Every write of the notifications app. Notifications are made inside the transaction of the
change they report (a rolled-back approval tells no one); the SMS goes out after it commits."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from skillcity.notifications.models import Notification, NotificationKind
from skillcity.notifications.sms import sms_sender


def _phone(user: Any) -> str:
    worker = getattr(user, "worker", None)
    if worker is not None and worker.phone:
        return str(worker.phone)
    organisation = getattr(user, "organisation", None)
    return str(getattr(organisation, "mobile", "") or "") if organisation is not None else ""


@transaction.atomic
def notifications_send(
    *, users: list[Any], kind: NotificationKind, key: str, params: dict[str, Any], url: str = ""
) -> list[Notification]:
    """Tell each of `users` once about the event `key` (a repeat of the same key tells no one again)."""
    made = []
    for user in {u.pk: u for u in users}.values():
        notification, created = Notification.objects.get_or_create(
            user=user, key=key[:100], defaults={"kind": kind, "params": params, "url": url[:200]}
        )
        if not created:
            continue
        made.append(notification)
        phone = _phone(user)
        if phone:
            with override("zh-hans"):  # the text message is written in Chinese
                text = f"【技能人才之都】{notification.text}"
            transaction.on_commit(_send_later(phone, text, notification.pk))
    return made


def _send_later(phone: str, text: str, notification_id: int) -> Callable[[], None]:
    def send() -> None:
        sms_sender().send(phone=phone, text=text, notification_id=notification_id)

    return send


def _applicant_users(application: Any) -> list[Any]:
    from skillcity.accounts.models import User

    users = []
    if application.worker_id:
        users += list(User.objects.filter(worker_id=application.worker_id, is_active=True))
    if application.organisation_id:
        users += list(User.objects.filter(organisation_id=application.organisation_id, is_active=True))
    if not users and application.created_by_id:
        users += list(User.objects.filter(pk=application.created_by_id, is_active=True))
    return users


_APPLICATION_KINDS = {
    "returned": NotificationKind.APPLICATION_RETURNED,
    "approved": NotificationKind.APPLICATION_APPROVED,
    "paid": NotificationKind.APPLICATION_PAID,
    # An official made the application from a programme's records and submitted it (a prize, a grant).
    "made": NotificationKind.APPLICATION_MADE,
}


def application_notify(*, application: Any, event: str, reason: str = "", amount: Any = None) -> None:
    """The applicant hears that their application was returned, approved or paid (grants services
    call this after the transition, inside its transaction). `event` names the transition."""
    kind = _APPLICATION_KINDS[event]
    # The event count makes the key unique per transition: an application returned twice is told twice.
    seq = application.events.count()
    notifications_send(
        users=_applicant_users(application),
        kind=kind,
        key=f"grant:{application.pk}:{event}:{seq}",
        params={
            "rule": application.rule_id,
            "id": application.pk,
            "reason": reason[:200],
            "amount": str(amount) if amount is not None else "",
        },
        url=reverse("grants:detail", args=[application.pk]),
    )


def vouchers_expiring_notify(*, today: datetime.date, days: int | None = None) -> int:
    """Tell each holder of an issued voucher that expires within `days` (the setting) of today, once
    per voucher. Chunked, each chunk its own transaction; a rerun tells no one twice."""
    from skillcity.accounts.models import User
    from skillcity.training.codes import voucher_code_display
    from skillcity.training.models import Voucher, VoucherState

    days = settings.VOUCHER_EXPIRY_NOTICE_DAYS if days is None else days
    vouchers = (
        Voucher.objects.filter(
            state=VoucherState.ISSUED,
            valid_to__gte=today,
            valid_to__lte=today + datetime.timedelta(days=days),
        )
        .select_related("batch")
        .order_by("id")
    )
    told = 0
    last = 0
    url = reverse("training:home")
    while True:
        chunk = list(vouchers.filter(id__gt=last)[:1000])
        if not chunk:
            return told
        last = chunk[-1].pk
        users: dict[int, list[Any]] = {}
        for user in User.objects.filter(worker_id__in={v.worker_id for v in chunk}, is_active=True):
            users.setdefault(user.worker_id, []).append(user)  # type: ignore[arg-type]
        with transaction.atomic():
            for v in chunk:
                if v.worker_id not in users:
                    continue
                told += len(
                    notifications_send(
                        users=users[v.worker_id],
                        kind=NotificationKind.VOUCHER_EXPIRING,
                        key=f"voucher_expiring:{v.pk}:{v.valid_to.isoformat()}",
                        params={
                            "batch": v.batch.name,
                            "code": voucher_code_display(v.code),
                            "amount": str(v.face_value),
                            "date": v.valid_to.isoformat(),
                        },
                        url=url,
                    )
                )


def notification_mark_read(*, notification: Notification, user: Any) -> Notification:
    """The reader's own view state: no audit row (it changes nothing anyone else relies on)."""
    if notification.user_id != user.pk:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
        notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
