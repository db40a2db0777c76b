"""Sequence numbers required and unique; the database refuses UPDATE and DELETE of audit rows on
every backend.

SQLite's DELETE trigger lets one thing through: Django's `flush` (the test harness empties tables
between tests with it; PostgreSQL's flush is TRUNCATE, which row triggers do not see). Our SQLite
backend (skillcity.core.sqlite_backend) answers `skillcity_flushing()` with 1 only while it runs a
flush; any other program that opens the file has no such function, so its DELETE fails too.
"""

from django.db import migrations, models

REFUSE = "SELECT RAISE(ABORT, 'the audit log is append-only')"
FORWARD = {
    "sqlite": [
        "CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent "
        f"BEGIN {REFUSE}; END",
        "CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent "
        f"WHEN skillcity_flushing() = 0 BEGIN {REFUSE}; END",
    ],
    "postgresql": [
        "CREATE TRIGGER core_auditevent_no_change BEFORE UPDATE OR DELETE ON core_auditevent "
        "FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse()",
    ],
}
BACKWARD = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS core_auditevent_no_update",
        "DROP TRIGGER IF EXISTS core_auditevent_no_delete",
    ],
    "postgresql": ["DROP TRIGGER IF EXISTS core_auditevent_no_change ON core_auditevent"],
}


def _run(statements):
    def run(apps, schema_editor):
        # One statement per execute: drivers refuse several statements in one parameterised call.
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_chain_keyed")]
    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(unique=True, verbose_name="序号"),
        ),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
