"""Demo data of the platforms' subbases part (issue 17 §8)."""

from __future__ import annotations

from typing import Any


def subbases_demo(seed: int, stdout: Any) -> None:
    """Filled in by the subbases part."""
