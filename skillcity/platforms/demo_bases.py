"""Demo data of the platforms' bases part (issue 17 §8)."""

from __future__ import annotations

from typing import Any


def bases_demo(seed: int, stdout: Any) -> None:
    """Filled in by the bases part."""
