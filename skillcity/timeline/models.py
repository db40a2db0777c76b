"""Records of timeline (issue 19)."""

from __future__ import annotations
