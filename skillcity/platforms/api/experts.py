"""API of the platforms' experts part."""

from __future__ import annotations

from ninja import Router

router = Router()
