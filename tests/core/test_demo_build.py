"""The demo build: a start that fails half-way leaves nothing half-built, and the next start recovers."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.console import skillcity_command

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SKILLCITY_DATA_DIR=str(data_dir), SKILLCITY_DEBUG="0", **extra)
    return env


def test_a_start_killed_half_way_leaves_no_database_and_the_next_start_builds_it(tmp_path):
    data = tmp_path / "data"
    first = subprocess.Popen(
        [*skillcity_command(), "demo", "--no-serve", "--size", "300"],
        env=_env(data),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    assert first.stdout is not None
    seen = []
    for line in first.stdout:
        seen.append(line)
        if line.startswith("Demo data:"):  # the city is loaded, the demo steps are under way
            os.killpg(first.pid, signal.SIGKILL)
            break
    first.wait(timeout=60)
    assert any(line.startswith("Demo data:") for line in seen), "".join(seen)
    database = data / "skillcity.sqlite3"
    assert not database.exists()  # nothing half-built is ever in place

    again = subprocess.run(
        [*skillcity_command(), "demo", "--no-serve", "--size", "300"],
        env=_env(data),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    # The banner lists every account of the README's table, `alliance` (made by a demo step) included.
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    accounts = re.findall(r"^\| `(\w+)` \|", readme, flags=re.MULTILINE)
    assert "alliance" in accounts
    banner = again.stdout[again.stdout.index("Demo accounts") :]
    assert [line.split()[0] for line in banner.splitlines()[1 : len(accounts) + 1]] == accounts
    assert not list(data.glob("skillcity.sqlite3.building*"))
    with sqlite3.connect(database) as db:
        # The city of 300, and the workers demo steps add to it (the planted supervision cases' own).
        assert db.execute("SELECT count(*) FROM registry_worker").fetchone()[0] >= 300
        assert db.execute("SELECT count(*) FROM accounts_user WHERE username = 'bureau'").fetchone() == (1,)


def test_the_build_opens_its_fresh_file_alone(tmp_path):
    """No checkpointer thread (the one other connection the process would open) in the build's process:
    leaving WAL for the bulk load cannot meet a lock, however loaded the machine."""
    script = (
        "import django, threading\n"
        "django.setup()\n"
        "from django.db import connection\n"
        "connection.ensure_connection()\n"
        "print(any(t.name == 'sqlite-checkpointer' for t in threading.enumerate()))\n"
    )
    for setting, expected in (("0", "False"), ("1", "True")):
        done = subprocess.run(
            [sys.executable, "-c", script],
            env=_env(
                tmp_path / setting,
                SKILLCITY_SQLITE_CHECKPOINTER=setting,
                DJANGO_SETTINGS_MODULE="skillcity.settings",
            ),
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.split()[-1] == expected
