"""Serving the platform with gunicorn (a production-grade WSGI server), from the `skillcity` command."""

from __future__ import annotations

import os
import socket
from typing import Any

from gunicorn.app.base import BaseApplication


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


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from skillcity.wsgi import application

        return application


def run_server(*, host: str, port: int, workers: int, threads: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skillcity.settings")
    _Gunicorn(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread" if threads > 1 else "sync",
            "accesslog": "-",
            "timeout": 120,
            "graceful_timeout": 10,
        }
    ).run()
