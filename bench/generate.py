#!/usr/bin/env python3
"""bench/generate: city-scale synthetic generation into SQLite and into PostgreSQL.

    .venv/bin/python bench/generate.py [--scale city|demo] [--seed N] [--only sqlite|postgres]

Each database is fresh (a temporary SQLite file; a throw-away PostgreSQL server started with the
same harness as the tests). Prints worker rows/s, wall time and peak memory per database.
Target (issue 2): >= 50,000 worker rows/s into SQLite.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKILLCITY = ROOT / ".venv" / "bin" / "skillcity"


def run(label: str, env: dict[str, str], scale: str, seed: int) -> None:
    subprocess.run([str(SKILLCITY), "migrate", "-v0"], env=env, check=True)
    started = time.perf_counter()
    out = subprocess.run(
        [
            "/usr/bin/time",
            "-f",
            "peak_rss_kb=%M",
            str(SKILLCITY),
            "generate",
            "--seed",
            str(seed),
            "--scale",
            scale,
            "--no-progress",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    peak = next(
        (line.split("=")[1] for line in out.stderr.splitlines() if line.startswith("peak_rss_kb=")), "?"
    )
    print(f"[{label}] {out.stdout.strip()}")
    print(
        f"[{label}] process wall time {wall:.1f}s, peak RSS {int(peak) / 1024:.0f} MiB" if peak != "?" else ""
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="city", choices=["city", "demo"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"date {time.strftime('%Y-%m-%d')}"
    )
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory(prefix="bench-generate-") as data:
            run("sqlite", {**base, "SKILLCITY_DATA_DIR": data}, args.scale, args.seed)
    if args.only in (None, "postgres"):
        sys.path.insert(0, str(ROOT))
        from dev import Postgres, find_pg_bin

        bindir = find_pg_bin()
        if bindir is None:
            print("[postgres] skipped: no PostgreSQL server binaries")
            return 0
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
            with tempfile.TemporaryDirectory(prefix="bench-generate-") as data:
                run(
                    "postgres",
                    {**base, "SKILLCITY_DATA_DIR": data, "DATABASE_URL": url},
                    args.scale,
                    args.seed,
                )
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
