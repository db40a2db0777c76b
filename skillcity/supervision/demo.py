"""Demo data of supervision (issue 20 §6)."""

from __future__ import annotations

from typing import Any


def supervision_demo(seed: int, stdout: Any) -> None:
    return None
