"""/api/v1/notifications: the caller's own notifications, and marking one read."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from skillcity.core.access import acting_user
from skillcity.core.bounds import Id
from skillcity.core.errors import DomainError
from skillcity.notifications import selectors, services
from skillcity.notifications.models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    text: str
    url: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class NotificationsOut(Schema):
    unread: int
    items: list[NotificationOut]


def _out(n: Notification) -> dict[str, object]:
    return {
        "id": n.pk,
        "kind": n.kind,
        "kind_label": n.get_kind_display(),
        "title": n.title,
        "text": n.text,
        "url": n.url,
        "created_at": n.created_at,
        "read_at": n.read_at,
    }


@router.get("", response=NotificationsOut)
def notifications(request: HttpRequest) -> dict[str, object]:
    """The newest 100 notifications of the caller, and how many are unread."""
    user = acting_user(request)
    return {
        "unread": selectors.unread_count(user),
        "items": [_out(n) for n in selectors.notifications_for(user)[:100]],
    }


@router.post("/{id}/read", response=NotificationOut)
def notification_read(request: HttpRequest, id: Id) -> dict[str, object]:
    """Mark one of the caller's notifications read; again, it stays read (idempotent)."""
    user = acting_user(request)
    notification = selectors.notifications_for(user).filter(pk=id).first()
    if notification is None:
        raise DomainError("not_found", "消息不存在", status=404)
    return _out(services.notification_mark_read(notification=notification, user=user))
