#!/usr/bin/env python3
"""SkillCity developer entry point: needs only Python 3.11; makes its own virtualenv.

    python3 dev.py demo    start the platform with the demo city (SQLite) and print the address
    python3 dev.py test    run the whole test suite: on SQLite, then on a PostgreSQL server it starts itself
    python3 dev.py lint    ruff (lint + format check) and mypy
    python3 dev.py lock    re-resolve requirements.lock from pyproject.toml (a reviewed change)

Extra arguments after `test` go to pytest (e.g. `python3 dev.py test -k voucher`).
Environment: SKILLCITY_TEST_DATABASES=sqlite,postgres (which runs to do).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
# Every dependency, runtime and dev, pinned with the hashes of PyPI's files (see `lock` and
# docs/decisions.md D-LOCK): a fresh machine next year installs exactly what was tested.
LOCK = ROOT / "requirements.lock"
# The lock is resolved against PyPI alone, so its hashes are PyPI's whatever mirror a machine adds.
LOCK_INDEX = "https://pypi.org/simple"


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def ensure_venv() -> None:
    """Create .venv and install the locked dependencies and the project; reinstall when either changes."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs on whatever python3 the machine has
        sys.exit("SkillCity needs Python 3.11 or newer")
    stamp = VENV / ".installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + b"\0" + LOCK.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted and PY.exists():
        return
    if not PY.exists():
        say("creating .venv")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    say(f"installing the locked dependencies ({LOCK.name}) into .venv (first run only)")
    # Hash-checking mode: every package, and every package it needs, must be in the lock with a
    # matching hash, so nothing unpinned or altered gets in. The project itself goes in after, with
    # no dependencies of its own to resolve and built with the locked setuptools.
    pip = [str(PY), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "--require-hashes", "-r", str(LOCK)], check=True)
    subprocess.run([*pip, "--no-deps", "--no-build-isolation", "-e", str(ROOT)], check=True)
    stamp.write_text(wanted)


def pyproject() -> dict[str, Any]:
    import tomllib  # here, not at the top: Python 3.10 must reach ensure_venv's message

    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def lock() -> int:
    """Re-resolve requirements.lock: the newest versions pyproject.toml allows, for every platform.

    uv resolves once for Linux, macOS and Windows on x86_64 and aarch64 and every Python from 3.11
    (`--universal`, with markers where they differ) and keeps the versions already in the lock
    unless pyproject.toml no longer allows them (`--upgrade` moves everything to the newest).
    """
    ensure_venv()
    build_requires = "".join(f"{r}\n" for r in pyproject()["build-system"]["requires"])
    command = [
        str(BIN / "uv"),
        "pip",
        "compile",
        "pyproject.toml",
        "-",  # the build backend's packages (pyproject's [build-system]), for --no-build-isolation
        "--extra",
        "dev",
        "--universal",
        "--python-version",
        "3.11",
        "--generate-hashes",
        "--index-url",
        LOCK_INDEX,
        "--custom-compile-command",
        "python3 dev.py lock",
        "--output-file",
        LOCK.name,
        "--quiet",
        *sys.argv[2:],
    ]
    done = subprocess.run(command, cwd=ROOT, input=build_requires, text=True)
    if done.returncode == 0:
        say(f"{LOCK.name} written: review `git diff {LOCK.name}`, run `python3 dev.py test`, commit both")
    return done.returncode


def apt_install(packages: list[str]) -> bool:
    """Install Debian packages when we can (root with apt-get); say so when we can't."""
    if not shutil.which("apt-get") or os.geteuid() != 0:
        say(f"cannot install {' '.join(packages)} here (needs root and apt-get)")
        return False
    say(f"installing Debian packages: {' '.join(packages)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    done = subprocess.run(
        ["apt-get", "install", "-y", "-qq", *packages], check=False, env=env, stdout=subprocess.DEVNULL
    )
    return done.returncode == 0


def ensure_browser() -> None:
    have_fonts = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc").exists()
    if not shutil.which("chromium") or not have_fonts:
        apt_install(["chromium", "fonts-wqy-microhei"])


def find_pg_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), reverse=True)
    return candidates[0].parent if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Postgres:
    """A throw-away PostgreSQL server in a temporary folder, on a free loopback port."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="skillcity-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        # PostgreSQL refuses to run as root: run it as the 'postgres' system user then. Its commands
        # run from this folder (the user's own), not from the caller's: a clone inside a folder only
        # root may enter (mode 0700, as `mktemp -d` makes) is no folder 'postgres' may change back to.
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
            self.prefix = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run([*self.prefix, *args], check=True, stdout=subprocess.DEVNULL, cwd=self.dir)

    def start(self) -> str:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.dir / "log"),
            "-w",
            "start",
        )
        say(f"PostgreSQL started on 127.0.0.1:{self.port} ({self.data})")
        return f"postgres://postgres@127.0.0.1:{self.port}/skillcity"

    def stop(self) -> None:
        subprocess.run(
            [*self.prefix, str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
            cwd=self.dir,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


def run_pytest(database: str, extra: list[str], env: dict[str, str]) -> int:
    say(f"pytest on {database}")
    # The slowest tests are named at the end of each half, so a slow CI run says where its time went.
    # Whole files to each process, in the order tests/conftest.py puts them (the longest first).
    workers = os.environ.get("SKILLCITY_TEST_WORKERS", "3")
    parallel = ["-n", workers, "--dist", "loadfile", "--no-loadscope-reorder", "--durations=20"]
    if "no:xdist" in extra:  # `python3 dev.py test -p no:xdist …` runs in one process
        parallel = []
    args = [str(PY), "-m", "pytest", *parallel, *extra]
    started = time.monotonic()
    code = subprocess.run(args, env=env, cwd=ROOT).returncode
    say(f"pytest on {database}: exit {code} in {time.monotonic() - started:.0f}s")
    return code


def postgres_arguments(extra: list[str]) -> list[str]:
    """The PostgreSQL half runs every test except the browser ones: a page drives the same views on
    either database, and Chromium is the slowest part of the suite, so pages are tested once (on SQLite)
    and the database's own behaviour (locks, constraints, queries) on both. `-m …` of your own, or
    SKILLCITY_PG_BROWSER=1, runs them there too (docs/decisions.md D-4)."""
    if "-m" in extra or os.environ.get("SKILLCITY_PG_BROWSER") == "1":
        return extra
    return ["-m", "not browser", *extra]


def test(extra: list[str]) -> int:
    ensure_venv()
    ensure_browser()
    wanted = [
        d.strip()
        for d in os.environ.get("SKILLCITY_TEST_DATABASES", "sqlite,postgres").split(",")
        if d.strip()
    ]
    base_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    data_dir = Path(tempfile.mkdtemp(prefix="skillcity-test-data-"))
    base_env["SKILLCITY_DATA_DIR"] = str(data_dir)
    results: dict[str, int] = {}
    try:
        if "sqlite" in wanted:
            results["sqlite"] = run_pytest("SQLite", extra, base_env)
        if "postgres" in wanted:
            bindir = find_pg_bin()
            if bindir is None and apt_install(["postgresql"]):
                bindir = find_pg_bin()
            if bindir is None:
                say(
                    "PostgreSQL server binaries not found: install Debian's 'postgresql' to run the PostgreSQL half"
                )
                results["postgres"] = 1
            else:
                server = Postgres(bindir)
                try:
                    url = server.start()
                    results["postgres"] = run_pytest(
                        "PostgreSQL", postgres_arguments(extra), {**base_env, "DATABASE_URL": url}
                    )
                finally:
                    server.stop()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    failed = [name for name, code in results.items() if code != 0]
    say("results: " + ", ".join(f"{k}={'ok' if v == 0 else 'FAILED'}" for k, v in results.items()))
    return 1 if failed or not results else 0


def lint() -> int:
    ensure_venv()
    codes = [
        subprocess.run(
            [str(BIN / "ruff"), "check", "skillcity", "tests", "bench", "dev.py"], cwd=ROOT
        ).returncode,
        subprocess.run(
            [str(BIN / "ruff"), "format", "--check", "skillcity", "tests", "bench", "dev.py"], cwd=ROOT
        ).returncode,
        subprocess.run([str(BIN / "mypy"), "skillcity"], cwd=ROOT).returncode,
    ]
    return 0 if not any(codes) else 1


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test", "lint", "lock", "skillcity"}:
        print(__doc__)
        return 2
    command, rest = sys.argv[1], sys.argv[2:]
    if command == "test":
        return test(rest)
    if command == "lint":
        return lint()
    if command == "lock":
        return lock()
    ensure_venv()
    args = rest if command == "skillcity" else ["demo", *rest]
    os.execv(str(BIN / "skillcity"), [str(BIN / "skillcity"), *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
