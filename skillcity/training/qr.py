"""A voucher as the worker shows it at the counter: its code, readable and as a QR code.

The QR carries the voucher's code and nothing else (D-18): the code is already unguessable (80
random bits) and checksummed, the counter redeems it only through the provider's own login, and a
plain code is what a typed entry, a handheld scanner and the phone camera all read the same way.
Unlike a certificate's QR, which must be verifiable offline by anyone, a voucher's needs no
signature; a signed payload would only make the code denser and harder to scan from a phone screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import segno
from django.utils import timezone

from skillcity.training.codes import voucher_code_display
from skillcity.training.models import Voucher, VoucherState


def voucher_qr_data_uri(code: str) -> str:
    """A PNG data: URI (the CSP allows data: images), with error correction M and a quiet zone."""
    return str(segno.make(code, error="m", micro=False).png_data_uri(scale=6, border=4))


def voucher_cards(vouchers: Iterable[Voucher]) -> list[dict[str, Any]]:
    """What a worker's voucher card shows: the state as of today, and a QR only while usable."""
    today = timezone.localdate()
    cards = []
    for v in vouchers:
        state = v.state_now(today)
        usable = state == VoucherState.ISSUED and v.valid_from <= today
        cards.append(
            {
                "voucher": v,
                "state": state,
                "state_label": VoucherState(state).label,
                "display_code": voucher_code_display(v.code),
                "qr": voucher_qr_data_uri(v.code) if usable else "",
                "not_yet_valid": state == VoucherState.ISSUED and v.valid_from > today,
                "days_left": (v.valid_to - today).days if state == VoucherState.ISSUED else None,
            }
        )
    return cards
