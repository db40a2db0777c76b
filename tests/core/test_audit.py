import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from skillcity.core.audit import audit_record, audit_verify
from skillcity.core.models import AuditEvent


def _write(n: int) -> None:
    for i in range(n):
        with transaction.atomic():
            audit_record(
                actor="test", action="thing.touch", target_type="test.thing", target_id=i, after={"i": i}
            )


def _tamper(sql: str, params: list) -> None:
    """What a person with database access might do: drop the guard, then edit."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # superuser: triggers off
        else:
            cursor.execute("DROP TRIGGER core_auditevent_no_update")
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_it_verifies_an_intact_chain():
    _write(5)
    report = audit_verify()
    assert report.ok and report.checked == 5


@pytest.mark.django_db(transaction=True)
def test_it_refuses_audit_writes_outside_a_transaction():
    with pytest.raises(RuntimeError):
        audit_record(actor="test", action="x", target_type="t", target_id=1)


@pytest.mark.django_db
def test_the_database_refuses_to_update_an_audit_row():
    _write(1)
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'forged'")


@pytest.mark.django_db
def test_the_model_refuses_to_save_an_existing_row():
    _write(1)
    event = AuditEvent.objects.get()
    event.action = "forged"
    with pytest.raises(RuntimeError):
        event.save()


@pytest.mark.django_db
def test_it_names_the_first_altered_row():
    _write(4)
    third = AuditEvent.objects.order_by("id")[2]
    _tamper("UPDATE core_auditevent SET after = %s WHERE id = %s", ['{"i": 99}', third.id])
    report = audit_verify()
    assert not report.ok
    assert report.first_broken_id == third.id
    assert report.checked == 2


@pytest.mark.django_db
def test_it_names_the_row_after_a_removed_one():
    _write(4)
    rows = list(AuditEvent.objects.order_by("id"))
    if connection.vendor == "postgresql":
        _tamper("DELETE FROM core_auditevent WHERE id = %s", [rows[1].id])
    else:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [rows[1].id])
    report = audit_verify()
    assert report.first_broken_id == rows[2].id


@pytest.mark.django_db
def test_the_cli_exits_non_zero_and_names_the_row(capsys):
    _write(3)
    first = AuditEvent.objects.order_by("id").first()
    _tamper("UPDATE core_auditevent SET actor_label = 'mallory' WHERE id = %s", [first.id])
    with pytest.raises(CommandError) as excinfo:
        call_command("audit", "verify")
    assert excinfo.value.returncode == 1
    assert f"row {first.id}" in str(excinfo.value)
