"""The SMS adapter: notifications also go out as text messages through `SKILLCITY_SMS_BACKEND`.

Like the e-SSC card service (skillcity.training.cards) the default is simulated: it records each
message in a table, so the demo and the tests send nothing. A real gateway is one class with `send`.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class SmsSender(Protocol):
    def send(self, *, phone: str, text: str, notification_id: int | None = None) -> None: ...


class SimulatedSmsSender:
    def send(self, *, phone: str, text: str, notification_id: int | None = None) -> None:
        from skillcity.notifications.models import SmsMessage

        SmsMessage.objects.create(phone=phone, text=text[:500], notification_id=notification_id)


class HttpSmsSender:
    """A gateway taking JSON over HTTP at SKILLCITY_SMS_URL. Not exercised in tests."""

    def send(self, *, phone: str, text: str, notification_id: int | None = None) -> None:
        request = urllib.request.Request(
            str(getattr(settings, "SKILLCITY_SMS_URL", "")),
            data=json.dumps({"phone": phone, "text": text}).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10):
            pass


def sms_sender() -> SmsSender:
    return import_string(settings.SMS_BACKEND)()  # type: ignore[no-any-return]
