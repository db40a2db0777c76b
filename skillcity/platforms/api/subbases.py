"""API of the platforms' subbases part."""

from __future__ import annotations

from ninja import Router

router = Router()
