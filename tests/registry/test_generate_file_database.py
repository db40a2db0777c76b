"""The generator on a SQLite file, as `skillcity generate` and the quick start's demo run it.

The suite's own database is in memory; this runs the commands in a child process on a real file,
where the server's SQLite machinery (writer lock, WAL checkpointer thread) is in play.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.console import skillcity_command

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]


def test_generate_loads_a_file_database_with_the_checkpointer_running(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SKILLCITY_DATA_DIR=str(tmp_path), SKILLCITY_DEBUG="0")
    subprocess.run([*skillcity_command(), "migrate", "-v0"], env=env, check=True)
    # One process: migrate's connection starts a checkpointer, then the bulk load leaves WAL.
    script = (
        "import django, os, threading\n"
        "django.setup()\n"
        "from django.core.management import call_command\n"
        "from django.db import connection\n"
        "connection.ensure_connection()\n"
        "assert any(t.name == 'sqlite-checkpointer' for t in threading.enumerate())\n"
        "call_command('generate', seed=7, scale='demo', no_progress=True)\n"
        "from skillcity.registry.models import Worker\n"
        "print(Worker.objects.count())\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode')\n"
        "    print(c.fetchone()[0])\n"
        "print(any(t.name == 'sqlite-checkpointer' and t.is_alive() for t in threading.enumerate()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "DJANGO_SETTINGS_MODULE": "skillcity.settings"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    workers, journal, checkpointing = done.stdout.split()[-3:]
    assert int(workers) == 20_000
    assert (journal, checkpointing) == ("wal", "True")  # back in WAL, checkpointed by the thread again
