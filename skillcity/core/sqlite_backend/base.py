"""Django's SQLite backend, with writers queued on a lock file instead of SQLite's busy loop.

SQLite lets one writer in at a time. A second writer's BEGIN IMMEDIATE fails with SQLITE_BUSY and
the busy handler sleeps and retries (1, 2, 5, 10 … 100 ms), so under load the lock stands free
while the writers that want it are asleep: at the voucher counter that meant seconds of p99 and a
tenth of the throughput. Here every write transaction (Django's `atomic`, begun IMMEDIATE in
settings) first takes an exclusive flock(2) on `<database>.writer-lock`, and the kernel wakes the
next writer the moment the previous one commits or rolls back.

The lock file only orders our own writers: SQLite's own locking still decides, so correctness
never rests on it, and another program writing to the database still meets the busy timeout.
In-memory databases (the test suite's default) are private to a process and take no lock.

The WAL is copied back into the database file by a thread of its own (`Checkpointer`), not by
whichever commit happens to cross SQLite's 1,000-page mark.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
import urllib.parse
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db.backends.sqlite3 import base
from django.db.backends.sqlite3.operations import DatabaseOperations as BaseOperations


class DatabaseOperations(BaseOperations):
    def execute_sql_flush(self, sql_list: Iterable[str]) -> None:
        # The audit log's DELETE trigger (core migration 0004) lets a flush through, nothing else.
        wrapper: Any = self.connection
        wrapper.flushing = True
        try:
            super().execute_sql_flush(sql_list)
        finally:
            wrapper.flushing = False


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    _writer_lock_fd: int | None = None
    _writer_lock_held = False
    flushing = False

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        connection.create_function("skillcity_flushing", 0, lambda: int(self.flushing))
        if not self.is_in_memory_db():
            if self._writer_lock_fd is not None:  # a reconnect without a clean close
                os.close(self._writer_lock_fd)
                self._writer_lock_held = False
            path = f"{self.settings_dict['NAME']}.writer-lock"
            self._writer_lock_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            if settings.SQLITE_CHECKPOINTER:  # off while the demo builds its fresh file alone
                Checkpointer.ensure(str(self.settings_dict["NAME"]))
            # A fallback only: the checkpointer keeps the WAL far below this.
            connection.execute(f"PRAGMA wal_autocheckpoint={Checkpointer.FALLBACK_PAGES}")
        return connection

    def _start_transaction_under_autocommit(self) -> None:
        self._writer_lock_acquire()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private in django-stubs
        except BaseException:
            self._writer_lock_release()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]  # private in django-stubs
        finally:
            self._writer_lock_release()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]  # private in django-stubs
        finally:
            self._writer_lock_release()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]  # private in django-stubs
        finally:
            self._writer_lock_release()
            if self._writer_lock_fd is not None:
                os.close(self._writer_lock_fd)
                self._writer_lock_fd = None

    def _writer_lock_acquire(self) -> None:
        if self._writer_lock_fd is not None and not self._writer_lock_held:
            # Blocks without the GIL until the writer before us is done.
            fcntl.flock(self._writer_lock_fd, fcntl.LOCK_EX)
            self._writer_lock_held = True

    def _writer_lock_release(self) -> None:
        if self._writer_lock_held and self._writer_lock_fd is not None:
            fcntl.flock(self._writer_lock_fd, fcntl.LOCK_UN)
            self._writer_lock_held = False


class Checkpointer(threading.Thread):
    """Copies the WAL back into the database file from a thread of its own.

    By SQLite's default the commit that takes the WAL past 1,000 pages copies them all back itself
    and syncs the file. At the voucher counter (about 18 pages a redemption) every 55th
    redemption paid for the 54 before it, and the p99 showed it. Here one daemon thread per
    process and database file runs a PASSIVE checkpoint every `EVERY` seconds: it never blocks a
    writer or a reader, and Python's sqlite3 lets go of the GIL while it runs, so the copying and
    syncing happen beside the requests instead of inside one. Request connections keep SQLite's
    own checkpoint at `FALLBACK_PAGES` in case the thread ever falls that far behind.

    A process that forks (Granian starting its workers, the synthetic-city loader) waits until no
    checkpoint is inside SQLite, so the child never inherits a lock SQLite holds; the child starts
    its own checkpointer with its first connection. The thread ends with `stop()`, or by itself
    when its file is deleted or replaced.
    """

    EVERY = 0.1
    FALLBACK_PAGES = 10_000
    _running: dict[tuple[int, str], Checkpointer] = {}
    _lock = threading.Lock()

    def __init__(self, path: str):
        super().__init__(name="sqlite-checkpointer", daemon=True)
        self.path = path
        self.frames_copied = 0
        self._file = _file_identity(path)
        self._stopping = threading.Event()
        self._in_sqlite = threading.Lock()  # held around every call into SQLite (see the fork hooks)

    @classmethod
    def ensure(cls, path: str) -> Checkpointer:
        """The running checkpointer of `path` in this process (after a fork, a new one)."""
        key = (os.getpid(), path)
        with cls._lock:
            found = cls._running.get(key)
            if found is None or not found.is_alive() or found._file != _file_identity(path):
                if found is not None:
                    found._stopping.set()
                found = cls._running[key] = cls(path)
                found.start()
            return found

    @classmethod
    def stop_all(cls) -> None:
        """Stop this process's checkpointers (and wait for them): before serving from workers."""
        with cls._lock:
            running = [c for (pid, _path), c in cls._running.items() if pid == os.getpid()]
            cls._running.clear()
        for checkpointer in running:
            checkpointer.stop()

    @classmethod
    @contextlib.contextmanager
    def paused(cls, path: str) -> Iterator[None]:
        """This process's checkpointer of `path` stopped for the block (a bulk load that needs the
        database alone to leave WAL: SQLite gives no busy wait to that lock), started again after."""
        with cls._lock:
            found = cls._running.pop((os.getpid(), path), None)
        if found is not None:
            found.stop()
        try:
            yield
        finally:
            if found is not None:
                cls.ensure(path)

    def stop(self) -> None:
        self._stopping.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join()

    def run(self) -> None:
        # A connection for each checkpoint, not one kept open: between checkpoints the thread holds
        # nothing, so whatever needs the database alone (leaving WAL for a bulk load, say) is never
        # kept waiting by it. `mode=rw`: a deleted file is not created again.
        uri = f"file:{urllib.parse.quote(self.path)}?mode=rw"
        while not self._stopping.wait(self.EVERY) and _file_identity(self.path) == self._file:
            with self._in_sqlite:
                try:
                    connection = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=0)
                except sqlite3.Error:
                    return  # the file is gone
                try:
                    _busy, _log, copied = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                except sqlite3.Error:
                    copied = 0  # busy: another process's checkpoint, or a writer needing the file alone
                finally:
                    connection.close()
            self.frames_copied += max(copied, 0)

    # --- fork hooks: the parent holds every checkpointer outside SQLite while it forks

    @classmethod
    def _before_fork(cls) -> None:
        cls._lock.acquire()
        for checkpointer in cls._running.values():
            checkpointer._in_sqlite.acquire()

    @classmethod
    def _after_fork_in_parent(cls) -> None:
        for checkpointer in cls._running.values():
            checkpointer._in_sqlite.release()
        cls._lock.release()

    @classmethod
    def _after_fork_in_child(cls) -> None:
        cls._after_fork_in_parent()  # the child's copies of the locks are held: free them
        cls._running.clear()  # the threads did not come along


def _file_identity(path: str) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


os.register_at_fork(
    before=Checkpointer._before_fork,
    after_in_parent=Checkpointer._after_fork_in_parent,
    after_in_child=Checkpointer._after_fork_in_child,
)
