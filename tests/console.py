"""The `skillcity` console command for tests that run it as a subprocess, found on this machine.

Never a path written into a test: the script beside the running interpreter (the virtualenv's
bin folder), else the one on PATH, else the module itself run by this interpreter.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def skillcity_command() -> list[str]:
    beside = Path(sys.executable).with_name("skillcity")
    if beside.exists():
        return [str(beside)]
    on_path = shutil.which("skillcity")
    if on_path:
        return [on_path]
    return [sys.executable, "-m", "skillcity.cli"]
