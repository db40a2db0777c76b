"""Records of apprenticeship (issue 19)."""

from __future__ import annotations
