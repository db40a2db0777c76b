"""dev.py, the quick start's entry point: the PostgreSQL half of `python3 dev.py test`."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _dev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("skillcity_dev", ROOT / "dev.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_postgresql_half_starts_its_server_from_a_folder_only_root_may_enter(monkeypatch, capfd):
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("the 0700-folder case is about running as root (PostgreSQL then runs as 'postgres')")
    dev = _dev()
    bindir = dev.find_pg_bin()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries (Debian's 'postgresql' package) on this machine")
    import psycopg

    # A clone inside a folder only root may enter, as `mktemp -d` makes: the current folder too.
    clone = Path(tempfile.mkdtemp(prefix="skillcity-clone-"))
    assert clone.stat().st_mode & 0o777 == 0o700
    monkeypatch.chdir(clone)
    server = dev.Postgres(bindir)
    try:
        url = server.start()
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=10) as connection:
            assert connection.execute("select 1").fetchone() == (1,)
    finally:
        server.stop()
        shutil.rmtree(clone, ignore_errors=True)
    assert not server.dir.exists()
    # initdb and pg_ctl ran as 'postgres' from a folder it may enter: none of them complained of ours.
    said = capfd.readouterr()
    assert "could not change directory" not in said.err + said.out
    assert str(clone) not in said.err + said.out


def test_the_postgresql_half_leaves_the_browser_tests_to_the_sqlite_half(monkeypatch):
    dev = _dev()
    monkeypatch.delenv("SKILLCITY_PG_BROWSER", raising=False)
    assert dev.postgres_arguments(["-k", "voucher"]) == ["-m", "not browser", "-k", "voucher"]
    # A marker choice of one's own wins, and so does asking for pages on PostgreSQL too.
    assert dev.postgres_arguments(["-m", "browser"]) == ["-m", "browser"]
    monkeypatch.setenv("SKILLCITY_PG_BROWSER", "1")
    assert dev.postgres_arguments([]) == []
