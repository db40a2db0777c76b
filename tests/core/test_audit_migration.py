"""Upgrading a chain written before the audit key: verified as it was, then re-keyed and sealed."""

import datetime
import hashlib
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from skillcity.core import audit
from skillcity.core.audit import audit_verify
from skillcity.core.models import AuditEvent

BEFORE = [("core", "0002_audit_append_only")]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def _latest():
    # Every app's latest migration, not only core's: going back to core 0002 also unapplies the
    # migrations of other apps that depend on core's later ones (registry 0004 on core 0005).
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _write_legacy_chain(n: int, *, break_at: int | None = None) -> None:
    """Rows as the earlier release wrote them: no sequence number, plain SHA-256."""
    prev = audit.GENESIS
    at = datetime.datetime(2026, 5, 1, 8, 0, tzinfo=datetime.UTC)
    with connection.cursor() as cursor:
        for i in range(n):
            fields = audit._hashed_fields(
                0, at, None, "legacy", "thing.touch", "t", str(i), "", None, {"i": i}
            )
            del fields["seq"]
            digest = hashlib.sha256(audit.chain_payload(prev, fields).encode()).hexdigest()
            stored_after = {"i": -1} if i == break_at else {"i": i}
            cursor.execute(
                "INSERT INTO core_auditevent (at, actor_id, actor_label, action, target_type, target_id, "
                "target_label, before, after, prev_hash, hash) VALUES (%s, NULL, 'legacy', 'thing.touch', "
                "'t', %s, '', NULL, %s, %s, %s)",
                [
                    connection.ops.adapt_datetimefield_value(at),
                    str(i),
                    json.dumps(stored_after),
                    prev,
                    digest,
                ],
            )
            prev = digest


@pytest.mark.slow
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    # The upgrade's Python is the same on both; PostgreSQL is where the database differs (0002's
    # append-only triggers), and going back to core 0002 and forward again takes a minute or more of
    # one test process in each half (docs/decisions.md D-4).
    reason="run on PostgreSQL only: the same migration code, and that database's triggers",
)
@pytest.mark.django_db(transaction=True)
def test_the_upgrade_stops_at_a_tampered_legacy_chain_and_rekeys_and_seals_a_whole_one(settings):
    # One trip back to core 0002 for both cases: going back unapplies every app's later migrations,
    # the slowest part of this test.
    latest = _latest()
    _migrate(BEFORE)
    try:
        # A chain tampered with: the upgrade refuses it (core's migration is atomic, so the table
        # stays as 0002 left it).
        _write_legacy_chain(4, break_at=2)
        with pytest.raises(RuntimeError, match="broken at row"):
            _migrate(latest)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # 0002 refuses DELETE there: superuser, triggers off
                cursor.execute("SET session_replication_role = replica")
            cursor.execute("DELETE FROM core_auditevent")
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")
        # A whole chain: re-keyed and sealed.
        _write_legacy_chain(5)
    finally:
        _migrate(latest)
    assert list(AuditEvent.objects.order_by("id").values_list("seq", flat=True)) == [1, 2, 3, 4, 5]
    assert settings.AUDIT_ANCHOR_FILE.exists()  # sealed by the migration
    report = audit_verify()
    assert report.ok and report.checked == 5 and report.anchor.seq == 5
