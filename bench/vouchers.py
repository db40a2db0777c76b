#!/usr/bin/env python3
"""bench/vouchers: the voucher redeem endpoint under concurrent load, against a trivial endpoint.

    .venv/bin/python bench/vouchers.py [--vouchers N] [--concurrency C] [--seconds S]
                                       [--workers W] [--threads T] [--only sqlite|postgres]

For each database (a fresh SQLite file; a throw-away PostgreSQL server started with the test
harness's `Postgres` class): migrate, pre-issue N vouchers to N workers, create a provider user and
its API token, start the real server (`skillcity serve`: Granian, W processes x T threads) on
loopback, then load it with wrk (Debian's `wrk`, a C load generator, so the client takes little of
the 2 cores it shares with the server): C keep-alive connections for S seconds at
POST /api/v1/training/vouchers/redeem (each voucher once, each with its own idempotency key;
bench/vouchers_redeem.lua), then the same load at GET /api/v1/training/health. Afterwards the
database is checked: one redemption, one ledger event and one audit row per 200 response, and the
audit chain verifies. Prints throughput, p50/p99, the server's CPU per request and the ratio
redeem/health.
Target (issue 5): >= 1,000 redemptions/s with p99 <= 50 ms on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import PY, ROOT, WRK, postgres_database, server_cpu_seconds, serving, wait_ready

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


def fire(
    base: str, mode: str, codes_file: str, token: str, args: argparse.Namespace, pgid: int
) -> dict[str, Any]:
    """One wrk run; its Lua script prints one RESULT line of JSON."""
    threads = 1  # one epoll thread keeps thousands of requests/s going and leaves the cores to the server
    cpu_before = server_cpu_seconds(pgid)
    done = subprocess.run(
        [
            WRK,
            f"-t{threads}",
            f"-c{args.concurrency}",
            f"-d{args.seconds}s",
            "--latency",
            "-s",
            str(ROOT / "bench" / "vouchers_redeem.lua"),
            base,
            "--",
            codes_file,
            token,
            str(threads),
        ],
        env={**os.environ, "MODE": mode},
        capture_output=True,
        text=True,
        check=True,
    )
    cpu = server_cpu_seconds(pgid) - cpu_before
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")
    result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0.0
    result["cpu_ms_per_request"] = cpu * 1000 / result["requests"] if result["requests"] else float("nan")
    return result


def verify(env: dict[str, str], out: str) -> dict[str, Any]:
    """Count what the run wrote, in a child process (Django settings of that database)."""
    subprocess.run([str(PY), __file__, "--verify-into", out], env=env, check=True)
    return dict(json.loads(Path(out).read_text()))


def verify_database(out: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skillcity.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db.models import Count

    from skillcity.core.audit import audit_verify
    from skillcity.core.models import AuditEvent
    from skillcity.training.models import Redemption, Voucher, VoucherEvent

    chain = audit_verify()
    Path(out).write_text(
        json.dumps(
            {
                "redemptions": Redemption.objects.count(),
                "redeemed_vouchers": Voucher.objects.filter(state="redeemed").count(),
                "redeemed_events": VoucherEvent.objects.filter(state="redeemed").count(),
                "audit_rows": AuditEvent.objects.filter(action="voucher.redeem").count(),
                "vouchers_redeemed_twice": Redemption.objects.values("voucher")
                .annotate(n=Count("id"))
                .filter(n__gt=1)
                .count(),
                "audit_chain_ok": chain.ok,
                "audit_rows_checked": chain.checked,
            }
        )
    )


def run(label: str, env: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-vouchers-") as tmp:
        out = os.path.join(tmp, "setup.json")
        started = time.perf_counter()
        subprocess.run(
            [str(PY), __file__, "--setup-into", out, "--vouchers", str(args.vouchers)], env=env, check=True
        )
        data = json.loads(Path(out).read_text())
        codes_file = os.path.join(tmp, "codes.txt")
        Path(codes_file).write_text("\n".join(data["codes"]) + "\n")
        print(f"[{label}] issued {len(data['codes']):,} vouchers in {time.perf_counter() - started:.1f}s")
        # The web server alone, as measured before the embedded worker (`--no-worker`).
        with serving(
            env, workers=args.workers, threads=args.threads, embedded_worker=False, port_from=18600
        ) as (
            base,
            server,
        ):
            wait_ready(base + "/api/v1/training/health", server)
            # Warm up every worker (imports, connections, first queries) on the trivial endpoint.
            warm = argparse.Namespace(**{**vars(args), "seconds": 3})
            fire(base, "health", codes_file, data["token"], warm, server.pid)
            redeem = fire(base, "redeem", codes_file, data["token"], args, server.pid)
            health = fire(base, "health", codes_file, data["token"], args, server.pid)
        written = verify(env, os.path.join(tmp, "verify.json"))
    for name, result in (("redeem", redeem), ("health", health)):
        print(
            f"[{label}] {name:6}: {result['requests']:,} requests in {result['seconds']:.1f}s = "
            f"{result['rps']:,.0f}/s, p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
            f"max {result['max_ms']:.1f} ms, server CPU {result['cpu_ms_per_request']:.2f} ms/request, "
            f"statuses {result['statuses']}, socket errors {result['socket_errors']}"
        )
    ok = redeem["statuses"].get("200", 0)
    # wrk stops at its deadline without reading the answers still in flight (at most one per
    # connection), so the database may hold up to `concurrency` more redemptions than it counted.
    consistent = (
        written["redemptions"] == written["redeemed_vouchers"] == written["redeemed_events"]
        and written["audit_rows"] == written["redemptions"]
        and ok <= written["redemptions"] <= ok + args.concurrency
        and written["vouchers_redeemed_twice"] == 0
        and written["audit_chain_ok"]
    )
    print(
        f"[{label}] database after the run: {written['redemptions']:,} redemptions, "
        f"{written['redeemed_events']:,} ledger events, {written['audit_rows']:,} audit rows for "
        f"{ok:,} responses 200 read by wrk; vouchers redeemed twice: {written['vouchers_redeemed_twice']}; "
        f"audit chain {'verifies' if written['audit_chain_ok'] else 'BROKEN'} "
        f"({written['audit_rows_checked']:,} rows): {'consistent' if consistent else 'INCONSISTENT'}"
    )
    if redeem["exhausted"]:
        print(f"[{label}] warning: the run used up all {args.vouchers:,} vouchers; issue more (--vouchers)")
    ratio = redeem["rps"] / health["rps"] if health["rps"] else float("nan")
    met = (
        redeem["rps"] >= 1000
        and redeem["p99_ms"] <= 50
        and set(redeem["statuses"]) == {"200"}
        and redeem["socket_errors"] == 0
        and consistent
    )
    print(
        f"[{label}] redeem/health throughput ratio {ratio:.2f}; target >=1,000/s and p99 <=50 ms: "
        f"{'met' if met else 'NOT met'}"
    )
    return {"redeem": redeem, "health": health, "ratio": ratio, "met": met}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vouchers", type=int, default=40_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--setup-into", help=argparse.SUPPRESS)
    parser.add_argument("--verify-into", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup_into:
        setup(args.vouchers, args.setup_into)
        return 0
    if args.verify_into:
        verify_database(args.verify_into)
        return 0
    if not Path(WRK).exists():
        print("bench/vouchers needs wrk, the HTTP load generator: apt-get install wrk")
        return 2
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"date {time.strftime('%Y-%m-%d')}; client and server share the machine; "
        f"{args.vouchers:,} vouchers, concurrency {args.concurrency}, "
        f"Granian {args.workers} workers x {args.threads} threads, wrk 1 thread"
    )
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base["SKILLCITY_DEBUG"] = "0"
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory(prefix="bench-vouchers-db-") as data:
            run("sqlite", {**base, "SKILLCITY_DATA_DIR": data}, args)
    if args.only in (None, "postgres"):
        with postgres_database() as database:
            if database is None:
                print("[postgres] skipped: no PostgreSQL server binaries")
                return 0
            with tempfile.TemporaryDirectory(prefix="bench-vouchers-db-") as data:
                run("postgres", {**base, "SKILLCITY_DATA_DIR": data, "DATABASE_URL": database[0]}, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
