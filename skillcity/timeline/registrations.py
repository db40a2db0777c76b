"""What timeline registers with other apps (issue 19)."""

from __future__ import annotations
