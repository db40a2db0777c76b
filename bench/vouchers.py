#!/usr/bin/env python3
"""bench/vouchers: the voucher redeem endpoint under concurrent load, against a trivial endpoint.

    .venv/bin/python bench/vouchers.py [--vouchers N] [--concurrency C] [--seconds S]
                                       [--workers W] [--threads T] [--only sqlite|postgres]

For each database (a fresh SQLite file; a throw-away PostgreSQL server started with the test
harness's `Postgres` class): migrate, pre-issue N vouchers to N workers, create a provider user and
its API token, start the real server (`skillcity serve`, gunicorn) on loopback, then fire C
concurrent clients at POST /api/v1/training/vouchers/redeem (each voucher once, each with its own
idempotency key) and the same load at GET /api/v1/training/health. Each phase is bounded by N
requests and S seconds. Prints throughput, p50/p99 and the ratio redeem/health.
Target (issue 5): >= 1,000 redemptions/s with p99 <= 50 ms on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
SKILLCITY = ROOT / ".venv" / "bin" / "skillcity"


# ---------------------------------------------------------------- setup (runs in a child process)


def setup(count: int, out: str) -> None:
    """Migrate the fresh database and pre-issue `count` vouchers; write token and codes to `out`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skillcity.settings")
    sys.path.insert(0, str(ROOT))
    import datetime
    from decimal import Decimal

    import django

    django.setup()
    from django.core.management import call_command

    from skillcity.accounts.models import Role, User
    from skillcity.accounts.services import token_create
    from skillcity.core.validators import resident_id_check_char, uscc_check_char
    from skillcity.registry.models import Organisation, OrganisationCategory, Town, Worker
    from skillcity.training.models import Voucher
    from skillcity.training.services import voucher_batch_issue

    call_command("migrate", verbosity=0, interactive=False)
    town = Town.objects.first() or Town.objects.create(code="441900100", name="长安镇", kind="town")
    body = "91441900MA00000" + "01"
    provider = Organisation.objects.create(
        category=OrganisationCategory.TRAINING_INSTITUTION,
        name="基准培训学校",
        uscc=body + uscc_check_char(body),
        town=town,
    )
    user = User.objects.create_user(
        username="bench_provider",
        password="bench-password-1",
        role=Role.ORGANISATION_USER,
        organisation=provider,
    )
    workers = []
    for i in range(count):
        first17 = f"4419{i // 1000:02d}19900101{i % 1000:03d}"
        workers.append(
            Worker(
                name=f"学员{i}",
                id_number=first17 + resident_id_check_char(first17),
                gender="M",
                birth_date=datetime.date(1990, 1, 1),
                town=town,
            )
        )
    Worker.objects.bulk_create(workers, batch_size=5000)
    today = datetime.date.today()
    batch = voucher_batch_issue(
        name="基准批次",
        face_value=Decimal("800"),
        valid_from=today - datetime.timedelta(days=1),
        valid_to=today + datetime.timedelta(days=365),
        workers=Worker.objects.filter(town=town),
        actor="bench",
    )
    _token, clear = token_create(user=user, name="bench", actor="bench")
    codes = list(Voucher.objects.filter(batch=batch).values_list("code", flat=True))
    Path(out).write_text(json.dumps({"token": clear, "codes": codes}))


# ---------------------------------------------------------------- load


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def fire(
    base: str, requests: list[dict[str, Any]], concurrency: int, seconds: float, headers: dict[str, str]
) -> dict[str, Any]:
    """Send `requests` with `concurrency` keep-alive clients; stop after `seconds`."""
    import httpx

    work: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
    for request in requests:
        work.put(request)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        mine: list[float] = []
        seen: dict[int, int] = {}
        with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
            while time.perf_counter() < deadline:
                try:
                    request = work.get_nowait()
                except queue.Empty:
                    break
                started = time.perf_counter()
                response = http.request(request["method"], request["path"], json=request.get("json"))
                mine.append(time.perf_counter() - started)
                seen[response.status_code] = seen.get(response.status_code, 0) + 1
        with lock:
            latencies.extend(mine)
            for code, n in seen.items():
                statuses[code] = statuses.get(code, 0) + n

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "elapsed": elapsed,
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "statuses": statuses,
    }


def wait_ready(base: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    import httpx

    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(base + "/api/v1/training/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("server did not become ready")


def run(label: str, env: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-vouchers-") as tmp:
        out = os.path.join(tmp, "setup.json")
        started = time.perf_counter()
        subprocess.run(
            [str(PY), __file__, "--setup-into", out, "--vouchers", str(args.vouchers)], env=env, check=True
        )
        data = json.loads(Path(out).read_text())
        print(f"[{label}] issued {len(data['codes']):,} vouchers in {time.perf_counter() - started:.1f}s")
        sys.path.insert(0, str(ROOT))
        from skillcity.core.server import free_port

        port = free_port("127.0.0.1", 18600)
        server = subprocess.Popen(
            [
                str(SKILLCITY),
                "serve",
                "--no-migrate",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_ready(base, server)
            headers = {"Authorization": f"Bearer {data['token']}"}
            # Warm up every worker process (imports, connections) on the trivial endpoint.
            fire(base, [{"method": "GET", "path": "/api/v1/training/health"}] * 200, 8, 10, headers)
            redeems = [
                {
                    "method": "POST",
                    "path": "/api/v1/training/vouchers/redeem",
                    "json": {"code": code, "idempotency_key": f"bench-{i}"},
                }
                for i, code in enumerate(data["codes"])
            ]
            redeem = fire(base, redeems, args.concurrency, args.seconds, headers)
            health = fire(
                base,
                [{"method": "GET", "path": "/api/v1/training/health"}] * len(redeems),
                args.concurrency,
                args.seconds,
                headers,
            )
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    for name, result in (("redeem", redeem), ("health", health)):
        print(
            f"[{label}] {name:6}: {result['requests']:,} requests in {result['elapsed']:.1f}s = "
            f"{result['rps']:,.0f}/s, p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
            f"statuses {result['statuses']}"
        )
    ratio = redeem["rps"] / health["rps"] if health["rps"] else float("nan")
    met = redeem["rps"] >= 1000 and redeem["p99_ms"] <= 50 and set(redeem["statuses"]) == {200}
    print(
        f"[{label}] redeem/health throughput ratio {ratio:.2f}; target >=1,000/s and p99 <=50 ms: "
        f"{'met' if met else 'NOT met'}"
    )
    return {"redeem": redeem, "health": health, "ratio": ratio}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vouchers", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--setup-into", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup_into:
        setup(args.vouchers, args.setup_into)
        return 0
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"date {time.strftime('%Y-%m-%d')}; client and server share the machine; "
        f"{args.vouchers:,} vouchers, concurrency {args.concurrency}, "
        f"gunicorn {args.workers} workers x {args.threads} threads"
    )
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base["SKILLCITY_DEBUG"] = "0"
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory(prefix="bench-vouchers-db-") as data:
            run("sqlite", {**base, "SKILLCITY_DATA_DIR": data}, args)
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
            with tempfile.TemporaryDirectory(prefix="bench-vouchers-db-") as data:
                run("postgres", {**base, "SKILLCITY_DATA_DIR": data, "DATABASE_URL": url}, args)
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
