"""Supervision's fixtures: the training app's institution, lathe project and class (tests/training)."""

from __future__ import annotations

from tests.training.conftest import institution, lathe, project, training_class, welder  # noqa: F401
