"""/api/v1/schools/."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["schools"])
