"""Demo data of the schools (issue 17 §8): 8 technical schools with about 27,000 students."""

from __future__ import annotations

from typing import Any


def schools_demo(seed: int, stdout: Any) -> None:
    """Filled in by the schools part."""
