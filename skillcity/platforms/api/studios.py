"""API of the platforms' studios part."""

from __future__ import annotations

from ninja import Router

router = Router()
