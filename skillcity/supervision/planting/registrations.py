"""Every planter, imported so it registers itself in PLANTERS (kind → planter)."""

from skillcity.supervision.planting import (  # noqa: F401
    assessment,
    burst,
    employment_claim,
    ghost,
    learning,
    no_attendance,
    schedule,
    threshold,
    twice,
    voucher,
)
