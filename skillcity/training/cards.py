"""The e-SSC (电子社保卡) adapter: the card system is told of every voucher issued and revoked.

`SKILLCITY_ESSC_BACKEND` names the implementation (dotted path); the default is the simulated card
service, which keeps its cards in a table so the demo and the tests need no network.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class CardService(Protocol):
    def issue(self, *, voucher_code: str, id_number: str) -> None: ...
    def revoke(self, *, voucher_code: str) -> None: ...
    def query(self, *, voucher_code: str) -> str | None: ...


class SimulatedCardService:
    def issue(self, *, voucher_code: str, id_number: str) -> None:
        from skillcity.training.models import CardEntry

        CardEntry.objects.update_or_create(
            voucher_code=voucher_code, defaults={"id_number": id_number, "status": "issued"}
        )

    def issue_many(self, rows: list[tuple[str, str]]) -> None:
        from skillcity.training.models import CardEntry

        CardEntry.objects.bulk_create(
            [CardEntry(voucher_code=c, id_number=i, status="issued") for c, i in rows], batch_size=2000
        )

    def revoke(self, *, voucher_code: str) -> None:
        from skillcity.training.models import CardEntry

        CardEntry.objects.filter(voucher_code=voucher_code).update(status="revoked")

    def query(self, *, voucher_code: str) -> str | None:
        from skillcity.training.models import CardEntry

        return CardEntry.objects.filter(voucher_code=voucher_code).values_list("status", flat=True).first()


class HttpCardService:
    """The real card system over HTTP (JSON), at SKILLCITY_ESSC_URL. Not exercised in tests."""

    def __init__(self) -> None:
        self.url = getattr(settings, "SKILLCITY_ESSC_URL", "").rstrip("/")

    def _post(self, path: str, payload: dict[str, str]) -> dict[str, str]:
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(payload).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return dict(json.loads(response.read() or b"{}"))

    def issue(self, *, voucher_code: str, id_number: str) -> None:
        self._post("/vouchers", {"code": voucher_code, "id_number": id_number})

    def revoke(self, *, voucher_code: str) -> None:
        self._post("/vouchers/revoke", {"code": voucher_code})

    def query(self, *, voucher_code: str) -> str | None:
        return self._post("/vouchers/query", {"code": voucher_code}).get("status")


def card_service() -> CardService:
    path = getattr(settings, "SKILLCITY_ESSC_BACKEND", "skillcity.training.cards.SimulatedCardService")
    return import_string(path)()  # type: ignore[no-any-return]
