"""Demo data of timeline (issue 19)."""

from __future__ import annotations

from typing import Any


def timeline_demo(seed: int, stdout: Any) -> None:
    return None
