"""Processes the `skillcity` command starts beside itself.

The web server's parent process forks Granian's workers, so it runs nothing that starts threads
(polars' pool, a SQLite checkpointer) before the fork: migrating and building the demo happen in
child processes, and the background-task worker and scheduler run in a process of their own.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import CommandError


def console(*args: str) -> list[str]:
    """The `skillcity` command as run by this interpreter (whatever folder or virtualenv it is in)."""
    return [sys.executable, "-m", "skillcity.cli", *args]


def run_console(*args: str, env: dict[str, str] | None = None) -> None:
    """Run `skillcity ARGS` to the end in a child process; its output goes to ours."""
    done = subprocess.run(console(*args), env=env, check=False)
    if done.returncode != 0:
        raise CommandError(f"`skillcity {' '.join(args)}` failed (exit {done.returncode})", returncode=1)


@contextmanager
def background_worker(enabled: bool) -> Iterator[subprocess.Popen[bytes] | None]:
    """`skillcity worker` (tasks and the scheduler) beside the block; stopped when it ends. The
    worker also stops by itself if this process dies without stopping it."""
    if not enabled:
        yield None
        return
    worker = subprocess.Popen(console("worker", "--parent", str(os.getpid())))
    try:
        yield worker
    finally:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
