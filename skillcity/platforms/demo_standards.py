"""Demo data of the platforms' standards part (issue 17 §8)."""

from __future__ import annotations

from typing import Any


def standards_demo(seed: int, stdout: Any) -> None:
    """Filled in by the standards part."""
