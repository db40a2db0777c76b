"""Database-level guard: the audit log refuses UPDATE (every backend) and DELETE (PostgreSQL).

SQLite keeps DELETE possible so the test harness can flush tables between tests; a deleted row
still breaks the hash chain and `skillcity audit verify` names where.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS core_auditevent_no_update"]

PG_FORWARD = [
    "CREATE OR REPLACE FUNCTION core_auditevent_refuse() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER core_auditevent_no_change BEFORE UPDATE OR DELETE ON core_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse()",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_change ON core_auditevent",
    "DROP FUNCTION IF EXISTS core_auditevent_refuse()",
]


def _run(schema_editor, pg_statements, sqlite_statements):
    # One statement per execute: drivers refuse several statements in one parameterised call.
    for statement in pg_statements if schema_editor.connection.vendor == "postgresql" else sqlite_statements:
        schema_editor.execute(statement)


def forward(apps, schema_editor):
    _run(schema_editor, PG_FORWARD, SQLITE_FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, PG_BACKWARD, SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
