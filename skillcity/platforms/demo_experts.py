"""Demo data of the platforms' experts part (issue 17 §8)."""

from __future__ import annotations

from typing import Any


def experts_demo(seed: int, stdout: Any) -> None:
    """Filled in by the experts part."""
