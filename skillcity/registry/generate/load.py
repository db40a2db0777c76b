"""Writing the generated workers and skill records fast: generation overlapped with writing.

At city scale the single writer connection is the bottleneck, and Python is slow at feeding it:
binding parameters row by row in `executemany` cost as much as generating the rows. So a child
process generates the chunks and hands each one over ready to load, while the parent writes the
previous one:

- SQLite: the child writes each chunk into its own small staging database (no indexes, no
  constraints, no journal); the parent attaches it and copies the rows with one
  `INSERT … SELECT`, which SQLite runs entirely in C.
- PostgreSQL: the child formats each chunk as `COPY` text; the parent sends it in one write.

The child is forked (it inherits the reference data and organisations already in memory) and never
touches the parent's database connection. Where fork is unavailable, or there is only one chunk,
the same steps run in-process, one after the other: the city is the same either way.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import sqlite3
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from skillcity.core.sqlite_backend.base import Checkpointer
from skillcity.registry.generate.city import (
    EXTRA_RECORD_COLUMNS,
    RECORD_COLUMNS,
    WORKER_COLUMNS,
    WorkerChunk,
)
from skillcity.registry.models import SkillRecord

STAGE = "generate_stage"  # the schema name a chunk's staging database is attached under


@dataclass(frozen=True)
class LoadPayload:
    """One chunk, ready for the parent to load: a staging database (SQLite) or COPY text (PostgreSQL)."""

    workers: int
    records: int
    first_worker_id: int
    first_record_id: int
    staging_path: str = ""
    worker_copy: bytes = b""
    record_copy: bytes = b""


def payloads(
    chunks: Iterator[WorkerChunk], *, vendor: str, staging_dir: Path, now: str
) -> Iterator[LoadPayload]:
    for number, chunk in enumerate(chunks):
        if vendor == "postgresql":
            yield _copy_payload(chunk, now)
        else:
            yield _staged_payload(chunk, staging_dir / f"chunk-{number}.sqlite3")


def _staged_payload(chunk: WorkerChunk, path: Path) -> LoadPayload:
    stage = sqlite3.connect(path, isolation_level=None)
    try:
        # A scratch file read once and deleted: no journal, no fsync, no constraints.
        stage.execute("PRAGMA journal_mode=OFF")
        stage.execute("PRAGMA synchronous=OFF")
        stage.execute("BEGIN")
        for table, columns, rows in (
            ("worker", WORKER_COLUMNS, zip(*chunk.workers, strict=True)),
            ("record", RECORD_COLUMNS, zip(*chunk.records, strict=True)),
            ("extra_record", EXTRA_RECORD_COLUMNS, iter(chunk.extra_records)),
        ):
            stage.execute(f"CREATE TABLE {table} ({', '.join(columns)})")
            marks = ", ".join("?" for _ in columns)
            stage.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
        stage.execute("COMMIT")
    finally:
        stage.close()
    return LoadPayload(
        chunk.size, chunk.record_count, chunk.first_worker_id, chunk.first_record_id, staging_path=str(path)
    )


def _copy_text(columns: list[list[Any]]) -> bytes:
    """Rows as PostgreSQL COPY text. The values come from this package's fixed alphabets and
    formats, so none needs escaping; the check keeps that assumption from failing silently."""
    text_columns = []
    for column in columns:
        strings = "".join(v for v in column if isinstance(v, str))
        if any(c in strings for c in "\t\n\r\\"):
            raise ValueError("a generated value needs COPY escaping")
        text_columns.append(["\\N" if v is None else str(v) for v in column])
    lines = map("\t".join, zip(*text_columns, strict=True))
    return ("\n".join(lines) + "\n").encode()


def _copy_payload(chunk: WorkerChunk, now: str) -> LoadPayload:
    n, first_record = chunk.size, chunk.first_record_id
    worker_ids = list(range(chunk.first_worker_id, chunk.first_worker_id + n))
    occupation, level, obtained = chunk.records
    worker_copy = _copy_text([worker_ids, *chunk.workers, [now] * n, [now] * n])
    extras: list[list[Any]] = [list(c) for c in zip(*chunk.extra_records, strict=True)]
    record_id, extra_worker, kind, title_grade, honour, name, extra_obtained = extras or [
        [] for _ in EXTRA_RECORD_COLUMNS
    ]
    record_copy = _copy_text(
        [
            [*range(first_record, first_record + n), *record_id],
            [*worker_ids, *extra_worker],
            [*(_record_kind(v) for v in level), *kind],
            [*occupation, *(None for _ in record_id)],
            [*level, *(None for _ in record_id)],
            [*([""] * n), *title_grade],
            [*([""] * n), *honour],
            [*([""] * n), *name],
            [*obtained, *extra_obtained],
            [""] * (n + len(record_id)),
        ]
    )
    return LoadPayload(
        n,
        chunk.record_count,
        chunk.first_worker_id,
        first_record,
        worker_copy=worker_copy,
        record_copy=record_copy,
    )


def _record_kind(level: int | None) -> str:
    return SkillRecord.Kind.SKILL_LEVEL.value if level else SkillRecord.Kind.SPECIAL_ABILITY.value


RECORD_TABLE_COLUMNS = (
    "id",
    "worker_id",
    "kind",
    "occupation_id",
    "level",
    "title_grade",
    "honour",
    "name",
    "obtained_on",
    "certificate_number",
)


def write_payload(payload: LoadPayload, *, now: str) -> None:
    """Load one chunk, in one transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with transaction.atomic():
                for table, columns, data in (
                    (
                        "registry_worker",
                        ("id", *WORKER_COLUMNS, "created_at", "updated_at"),
                        payload.worker_copy,
                    ),
                    ("registry_skillrecord", RECORD_TABLE_COLUMNS, payload.record_copy),
                ):
                    with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                        copy.write(data)
            return
        # ATTACH is refused inside a transaction, so it brackets the chunk's transaction.
        cursor.execute(f"ATTACH DATABASE %s AS {STAGE}", [payload.staging_path])
        try:
            with transaction.atomic():
                cursor.execute(
                    f"INSERT INTO registry_worker (id, {', '.join(WORKER_COLUMNS)}, created_at, updated_at) "
                    f"SELECT %s + rowid, {', '.join(WORKER_COLUMNS)}, %s, %s FROM {STAGE}.worker",
                    [payload.first_worker_id - 1, now, now],
                )
                # A new table's rowids run 1, 2, 3 … in insertion order (SQLite gives the first row 1,
                # then the largest + 1), so the record at a position belongs to the worker there.
                cursor.execute(
                    f"INSERT INTO registry_skillrecord ({', '.join(RECORD_TABLE_COLUMNS)}) "
                    "SELECT %s + rowid, %s + rowid, CASE WHEN level IS NULL THEN %s ELSE %s END, "
                    f"occupation_id, level, '', '', '', obtained_on, '' FROM {STAGE}.record",
                    [
                        payload.first_record_id - 1,
                        payload.first_worker_id - 1,
                        SkillRecord.Kind.SPECIAL_ABILITY.value,
                        SkillRecord.Kind.SKILL_LEVEL.value,
                    ],
                )
                cursor.execute(
                    f"INSERT INTO registry_skillrecord ({', '.join(RECORD_TABLE_COLUMNS)}) "
                    "SELECT id, worker_id, kind, NULL, NULL, title_grade, honour, name, obtained_on, '' "
                    f"FROM {STAGE}.extra_record"
                )
        finally:
            cursor.execute(f"DETACH DATABASE {STAGE}")
        os.unlink(payload.staging_path)


@contextlib.contextmanager
def produced(make: Callable[[], Iterator[LoadPayload]], *, chunks: int) -> Iterator[Iterator[LoadPayload]]:
    """The payloads `make()` yields. With more than one chunk (and fork available) a forked child
    starts producing them on entry, ahead of the consumer; otherwise they are made in-process as
    they are consumed. The child is stopped on exit, whatever happened."""
    if chunks < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield make()
        return
    context = multiprocessing.get_context("fork")
    # Two chunks in flight at most: enough to keep both processes busy, and a bound on the disk
    # (SQLite staging files) or memory (COPY text) waiting to be loaded.
    channel: multiprocessing.Queue[tuple[str, Any]] = context.Queue(maxsize=2)
    child = context.Process(target=_produce, args=(make, channel), name="skillcity-generate", daemon=True)
    child.start()
    try:
        yield _received(channel, child)
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        channel.close()


def _received(
    channel: multiprocessing.Queue[tuple[str, Any]], child: multiprocessing.process.BaseProcess
) -> Iterator[LoadPayload]:
    while True:
        try:
            kind, item = channel.get(timeout=1)
        except queue.Empty:
            if not child.is_alive():
                raise RuntimeError(
                    f"city generation child process ended unexpectedly (exit code {child.exitcode})"
                ) from None
            continue
        if kind == "done":
            return
        if kind == "error":
            raise RuntimeError(f"city generation failed in the child process:\n{item}")
        yield item


def _produce(
    make: Callable[[], Iterator[LoadPayload]], channel: multiprocessing.Queue[tuple[str, Any]]
) -> None:
    try:
        for payload in make():
            channel.put(("payload", payload))
        channel.put(("done", None))
    except BaseException:
        channel.put(("error", traceback.format_exc()))
    finally:
        channel.close()
        channel.join_thread()  # flush the queue before the process exits


@contextlib.contextmanager
def bulk_load_pragmas() -> Iterator[None]:
    """SQLite settings for a bulk load of generated rows (their keys are valid by construction):
    no per-row foreign-key lookups, a large page cache, no fsync per batch. Restored afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    # Leaving WAL needs the database alone, and SQLite does not wait for that lock (no busy timeout
    # applies): this process's checkpointer stays out of the file until the load is back in WAL.
    with Checkpointer.paused(str(connection.settings_dict["NAME"])), _sqlite_bulk_load():
        yield


@contextlib.contextmanager
def _sqlite_bulk_load() -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-400000")
        # Write pages once, straight to the database file, instead of through the WAL and back.
        cursor.execute("PRAGMA journal_mode=MEMORY")
        # Indexes are dropped for the load and built once at the end (much faster than updating
        # them row by row). The UNIQUE on id_number is part of the table (SQLite cannot drop it) and
        # is kept up to date row by row; the generator makes numbers unique before writing.
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN ('registry_worker', 'registry_skillrecord')"
        )
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            # CREATE INDEX sorts with helper threads only when the sort spills out of the page cache
            # into sorted runs, so the index builds go back to the small default cache first: at city
            # scale 5.5 s instead of 8 s for the five indexes on 2 cores (measured, bench/RESULTS.md).
            cursor.execute("PRAGMA cache_size=-2000")
            cursor.execute(f"PRAGMA threads={min(os.cpu_count() or 1, 4)}")
            for _name, sql in indexes:
                cursor.execute(sql)
            cursor.execute("PRAGMA threads=0")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
