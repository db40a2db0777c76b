"""Demo data of the platforms' studios part (issue 17 §8)."""

from __future__ import annotations

from typing import Any


def studios_demo(seed: int, stdout: Any) -> None:
    """Filled in by the studios part."""
