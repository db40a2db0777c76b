"""Every planter, imported so it registers itself in PLANTERS (kind → planter)."""

from skillcity.supervision.planting import (  # noqa: F401
    assessment,
    burst,
    ghost,
    learning,
    no_attendance,
    not_yet,
    schedule,
    threshold,
    twice,
    voucher,
)
