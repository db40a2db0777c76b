"""Writers on a SQLite file queue on the lock file (skillcity.core.sqlite_backend), in order."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections, transaction

from skillcity.core.sqlite_backend.base import Checkpointer, DatabaseWrapper

ALIAS = "queue"


@pytest.fixture
def queue_database(tmp_path, db):
    """A SQLite file database under the alias 'queue'; each thread opens its own connection."""
    if connection.vendor != "sqlite":
        pytest.skip("the lock file belongs to the SQLite backend")
    settings = {**connections.settings["default"], "NAME": str(tmp_path / "queue.sqlite3")}
    opened: list[DatabaseWrapper] = []

    def open_here() -> DatabaseWrapper:
        wrapper = DatabaseWrapper(settings, alias=ALIAS)
        connections[ALIAS] = wrapper  # thread-local, as Django's own connections are
        opened.append(wrapper)
        return wrapper

    with open_here().cursor() as cursor:
        cursor.execute("CREATE TABLE log (n INTEGER)")
    yield open_here
    for wrapper in opened:
        wrapper.inc_thread_sharing()  # some were opened in the tests' threads
        wrapper.close()
    del connections[ALIAS]
    Checkpointer.stop_all()


def _rows(wrapper: DatabaseWrapper) -> list[int]:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT n FROM log ORDER BY rowid")
        return [row[0] for row in cursor.fetchall()]


def test_a_second_writer_waits_for_the_first_and_then_goes_ahead(queue_database):
    holding, release = threading.Event(), threading.Event()

    def first_writer() -> None:
        wrapper = queue_database()
        with transaction.atomic(using=ALIAS), wrapper.cursor() as cursor:
            cursor.execute("INSERT INTO log VALUES (1)")
            holding.set()
            release.wait(5)
            time.sleep(0.2)

    thread = threading.Thread(target=first_writer)
    thread.start()
    holding.wait(5)
    second = queue_database()
    release.set()
    began = time.monotonic()
    with transaction.atomic(using=ALIAS), second.cursor() as cursor:
        waited = time.monotonic() - began
        cursor.execute("INSERT INTO log VALUES (2)")
    thread.join()
    assert waited >= 0.15  # it queued on the lock file behind the first writer …
    assert _rows(second) == [1, 2]  # … and went ahead once the first had committed


def test_the_lock_is_let_go_on_rollback_and_on_close(queue_database):
    wrapper = queue_database()
    with pytest.raises(ZeroDivisionError), transaction.atomic(using=ALIAS):
        assert wrapper._writer_lock_held
        raise ZeroDivisionError
    assert not wrapper._writer_lock_held
    wrapper._start_transaction_under_autocommit()
    assert wrapper._writer_lock_held
    wrapper.close()
    assert not wrapper._writer_lock_held
    other = queue_database()
    done = threading.Event()

    def write() -> None:
        queue_database()
        with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
            cursor.execute("INSERT INTO log VALUES (3)")
        done.set()

    threading.Thread(target=write).start()
    assert done.wait(5)  # would wait for ever if the closed connection still held the lock
    assert _rows(other) == [3]


def test_an_in_memory_database_takes_no_lock(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert connection.is_in_memory_db()
    assert connection._writer_lock_fd is None


def test_a_thread_of_its_own_copies_the_wal_back_into_the_database(queue_database, tmp_path):
    wrapper = queue_database()
    path = str(tmp_path / "queue.sqlite3")
    checkpointer = Checkpointer.ensure(path)
    assert checkpointer.is_alive() and Checkpointer.ensure(path) is checkpointer  # one per process
    with wrapper.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == Checkpointer.FALLBACK_PAGES  # commits no longer do it themselves
    before = checkpointer.frames_copied
    for n in range(20):
        with transaction.atomic(using=ALIAS), wrapper.cursor() as cursor:
            cursor.execute("INSERT INTO log VALUES (%s)", [n])
    deadline = time.monotonic() + 5
    while checkpointer.frames_copied == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert checkpointer.frames_copied > before
    assert _rows(wrapper) == list(range(20))


def test_the_checkpointer_stops_on_request_and_when_its_file_is_replaced(queue_database, tmp_path):
    queue_database()
    path = str(tmp_path / "queue.sqlite3")
    first = Checkpointer.ensure(path)
    first.stop()
    assert not first.is_alive()
    second = Checkpointer.ensure(path)  # a stopped one is replaced
    assert second is not first and second.is_alive()
    os.replace(path, path + ".old")
    Path(path).write_bytes(Path(path + ".old").read_bytes())  # another file under the same name
    second.join(timeout=5)
    assert not second.is_alive()
    third = Checkpointer.ensure(path)
    assert third is not second and third.is_alive()


def test_a_forked_child_starts_its_own_checkpointer_and_can_use_sqlite(queue_database, tmp_path):
    queue_database()
    path = str(tmp_path / "queue.sqlite3")
    parent = Checkpointer.ensure(path)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: SQLite must work, and a checkpointer of its own must start
        try:
            child = Checkpointer.ensure(path)
            with sqlite3.connect(path) as db:
                count = db.execute("SELECT count(*) FROM log").fetchone()[0]
            ok = child is not parent and child.is_alive() and count >= 0
            os.write(write, b"ok" if ok else b"no")
        finally:
            os._exit(0)
    os.close(write)
    assert os.read(read, 2) == b"ok"
    os.waitpid(pid, 0)
    assert parent.is_alive()  # the parent's went on
