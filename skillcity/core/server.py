"""Serving the platform with Granian (a production-grade WSGI server), from the `skillcity` command."""

from __future__ import annotations

import os
import socket


def free_port(host: str, start: int, attempts: int = 50) -> int:
    """The first port from `start` that nothing listens on."""
    for port in range(start, start + attempts):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError:
                continue
            return port
    raise OSError(f"no free port in {start}..{start + attempts - 1}")


# The listen queue: connections the kernel completes before a worker accepts them. Linux caps it at
# net.core.somaxconn (4096 by default since 5.4).
BACKLOG = 4096


def run_server(*, host: str, port: int, workers: int, threads: int, connections: int = 10_000) -> None:
    """Serve the WSGI application with Granian until stopped (Ctrl-C or SIGTERM).

    `workers` processes, each running the application in `threads` threads; HTTP is parsed and
    kept alive in Granian's Rust runtime, so a request costs the Python side only Django's own
    work (see docs/decisions.md D-5 and bench/vouchers.py). One access-log line per request.

    `connections`: Granian's backpressure counts *accepted connections* per worker, not requests in
    flight, and by default is backlog / workers (512 each for two). Every learner's phone keeps a
    connection alive between heartbeats, so with that default the 1,025th phone waited, request sent,
    until another closed (bench/learning, D-52). Requests in flight stay bounded by `threads`.
    """
    from granian.constants import Interfaces
    from granian.server import Server

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skillcity.settings")
    Server(
        "skillcity.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        backlog=BACKLOG,
        backpressure=connections,
        websockets=False,
        log_access=True,
        respawn_failed_workers=True,
    ).serve()
