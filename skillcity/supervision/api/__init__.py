"""/api/v1/supervision/ (issue 20)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["supervision"])
