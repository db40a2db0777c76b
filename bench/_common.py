"""What the load benchmarks (bench/vouchers.py, bench/learning.py) share: the real server on
loopback, a throw-away PostgreSQL database, and the CPU and memory of a process tree from /proc."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def _stat_fields(pid: int | str) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name: state, ppid, pgrp, …"""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def group_pids(pgid: int) -> list[int]:
    """Every live process of a process group (the server, Granian's workers, the task worker)."""
    pids = []
    for entry in Path("/proc").glob("[0-9]*"):
        fields = _stat_fields(entry.name)
        if fields is not None and int(fields[2]) == pgid:
            pids.append(int(entry.name))
    return pids


def children_pids(parent: int) -> list[int]:
    """A process and its direct children (PostgreSQL's postmaster and its backends)."""
    pids = [parent]
    for entry in Path("/proc").glob("[0-9]*"):
        fields = _stat_fields(entry.name)
        if fields is not None and int(fields[1]) == parent:
            pids.append(int(entry.name))
    return pids


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU these processes have used so far."""
    ticks = 0
    for pid in pids:
        fields = _stat_fields(pid)
        if fields is not None:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / CLK_TCK


def server_cpu_seconds(pgid: int) -> float:
    """User + system CPU of every process in the server's process group (Granian's workers)."""
    return cpu_seconds(group_pids(pgid))


def memory_bytes(pids: list[int]) -> tuple[int, int]:
    """(RSS summed, PSS summed) of these processes: forked workers share pages, which RSS counts
    once per process and PSS divides between them."""
    rss = pss = 0
    for pid in pids:
        try:
            rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1]) * 1024
                    break
        except (OSError, IndexError, ValueError):
            continue
    return rss, pss


def machine_busy_seconds() -> float:
    """CPU time every core of the machine has spent busy so far (all processes, /proc/stat)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    values = [int(x) for x in fields]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / CLK_TCK


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    import httpx

    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("server did not become ready")


@contextmanager
def serving(
    env: dict[str, str], *, workers: int, threads: int, embedded_worker: bool, port_from: int
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`skillcity serve` on loopback in a process group of its own; (base URL, process); stopped
    (SIGTERM to the group, then SIGKILL) when the block ends."""
    sys.path.insert(0, str(ROOT))
    from skillcity.core.server import free_port

    port = free_port("127.0.0.1", port_from)
    # `python -m skillcity.cli` from this checkout: the virtualenv's `skillcity` script would import
    # the package it was installed from, which may be another checkout.
    command = [
        str(PY),
        "-m",
        "skillcity.cli",
        "serve",
        "--no-migrate",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    command += ["--workers", str(workers), "--threads", str(threads)]
    if not embedded_worker:
        command.append("--no-worker")
    server = subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield f"http://127.0.0.1:{port}", server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@contextmanager
def postgres_database() -> Iterator[tuple[str, int] | None]:
    """A throw-away PostgreSQL server (the test harness's `Postgres`, dev.py) with an empty database
    `skillcity`: (DATABASE_URL, the postmaster's pid), or None when no server binaries are found."""
    sys.path.insert(0, str(ROOT))
    from dev import Postgres, find_pg_bin

    bindir = find_pg_bin()
    if bindir is None:
        yield None
        return
    server = Postgres(bindir)
    try:
        url = server.start()
        subprocess.run(
            [
                *server.prefix,
                str(bindir / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(server.port),
                "-U",
                "postgres",
                "skillcity",
            ],
            check=True,
        )
        postmaster = int((server.data / "postmaster.pid").read_text().split("\n", 1)[0])
        yield url, postmaster
    finally:
        server.stop()
