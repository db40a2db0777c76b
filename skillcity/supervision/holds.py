"""The one question grants asks supervision before paying: is the organisation's money on hold?"""

from __future__ import annotations

from skillcity.supervision.models import PaymentHold


def active_hold(organisation_id: int) -> PaymentHold | None:
    """The oldest active hold on the organisation's payments (暂停拨付), or None."""
    return (
        PaymentHold.objects.filter(organisation_id=organisation_id, released_at__isnull=True)
        .order_by("created_at", "id")
        .first()
    )
