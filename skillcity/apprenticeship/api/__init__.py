"""/api/v1/apprenticeship/ (issue 19)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["apprenticeship"])
