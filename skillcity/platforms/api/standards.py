"""API of the platforms' standards part."""

from __future__ import annotations

from ninja import Router

router = Router()
