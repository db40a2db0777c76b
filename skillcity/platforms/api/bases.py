"""API of the platforms' bases part."""

from __future__ import annotations

from ninja import Router

router = Router()
