"""What every part of the training services shares."""

from __future__ import annotations

from typing import Any


def _actor_label(actor: Any) -> str:
    return str(getattr(actor, "username", actor) or "")
