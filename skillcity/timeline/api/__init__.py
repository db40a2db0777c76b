"""/api/v1/timeline/ (issue 19)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["timeline"])
