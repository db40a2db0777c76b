"""Demo data of matching (issue 19)."""

from __future__ import annotations

from typing import Any


def matching_demo(seed: int, stdout: Any) -> None:
    return None
