"""Reads of the notifications app: a user sees their own notifications only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from skillcity.notifications.models import Notification


def notifications_for(user: Any) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def unread_count(user: Any) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()
