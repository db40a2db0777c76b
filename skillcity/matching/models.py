"""Records of matching (issue 19)."""

from __future__ import annotations
