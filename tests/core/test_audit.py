import hashlib
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from skillcity.core import audit
from skillcity.core.audit import audit_record, audit_seal, audit_verify
from skillcity.core.audit_check import FindingKind
from skillcity.core.audit_key import AuditKeyMissing, forget_loaded_keys
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
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_delete")
        cursor.execute(sql, params)


def _kinds(report) -> list[str]:
    return [str(f.kind) for f in report.findings]


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
    assert _kinds(report) == [FindingKind.ALTERED]
    assert report.checked == 4


@pytest.mark.django_db
def test_it_names_a_row_removed_in_the_middle_as_missing():
    _write(4)
    rows = list(AuditEvent.objects.order_by("seq"))
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [rows[1].id])
    report = audit_verify()
    assert not report.ok
    # The removed row is named, not the row after it, and nothing else is reported.
    assert [(f.kind, f.seq_from, f.seq_to) for f in report.findings] == [(FindingKind.MISSING, 2, 2)]
    assert "第 2 号记录缺失" in report.reason


@pytest.mark.django_db
def test_it_reports_rows_removed_at_the_end_of_a_sealed_chain():
    _write(60)
    audit_seal()
    cut = list(AuditEvent.objects.order_by("seq").values_list("id", flat=True))[10:]
    _tamper(f"DELETE FROM core_auditevent WHERE id IN ({','.join(['%s'] * len(cut))})", cut)
    report = audit_verify()
    assert not report.ok
    assert [(f.kind, f.seq_from, f.seq_to) for f in report.findings] == [(FindingKind.TRUNCATED, 11, 60)]
    assert "末尾的第 11–60 号记录缺失" in report.reason


@pytest.mark.django_db
def test_it_reports_the_first_rows_and_the_last_removed_and_seals_nothing_over_them():
    _write(5)
    audit_seal()
    ids = list(AuditEvent.objects.order_by("seq").values_list("id", flat=True))
    _tamper("DELETE FROM core_auditevent WHERE id IN (%s, %s, %s)", [ids[0], ids[3], ids[4]])
    assert audit_seal() is None
    report = audit_verify()
    assert [(f.kind, f.seq_from, f.seq_to) for f in report.findings] == [
        (FindingKind.MISSING, 1, 1),
        (FindingKind.TRUNCATED, 4, 5),
    ]


@pytest.mark.django_db
def test_it_finds_a_payment_rewritten_with_every_later_hash_recomputed():
    """Someone who can write to the database but has not the key rewrites a payment and makes the
    chain agree again with the hash function in the code: it no longer verifies."""
    with transaction.atomic():
        audit_record(
            actor="test",
            action="grant.pay",
            target_type="grants.payment",
            target_id=1,
            after={"amount": "1000000.00"},
        )
    _write(3)
    rows = list(AuditEvent.objects.order_by("seq"))
    prev = audit.GENESIS
    for i, row in enumerate(rows):
        after = {"amount": "1.00"} if i == 0 else row.after
        fields = audit._hashed_fields(
            row.seq,
            row.at,
            row.actor_id,
            row.actor_label,
            row.action,
            row.target_type,
            row.target_id,
            row.target_label,
            row.before,
            after,
        )
        forged = hashlib.sha256(audit.chain_payload(prev, fields).encode()).hexdigest()
        _tamper(
            "UPDATE core_auditevent SET after = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [json.dumps(after), prev, forged, row.id],
        )
        prev = forged
    report = audit_verify()
    assert not report.ok
    assert report.first_broken_id == rows[0].id
    assert set(_kinds(report)) == {FindingKind.ALTERED}


@pytest.mark.django_db
def test_an_edited_anchor_line_is_a_finding(settings):
    _write(3)
    audit_seal()
    path = settings.AUDIT_ANCHOR_FILE
    line = json.loads(path.read_text())
    path.write_text(json.dumps({**line, "seq": 2}) + "\n")
    report = audit_verify()
    assert _kinds(report) == [FindingKind.ANCHOR_FORGED]
    assert "锚点文件第 1 行" in report.reason


@pytest.mark.django_db
def test_verify_seals_the_head_of_a_whole_chain(settings):
    _write(3)
    report = audit_verify()
    assert report.ok and report.sealed is not None
    assert report.sealed.seq == 3
    assert report.sealed.id == AuditEvent.objects.order_by("seq").last().id
    assert len(settings.AUDIT_ANCHOR_FILE.read_text().splitlines()) == 1
    _write(1)
    assert audit_verify().anchor.seq == 3  # held against the earlier seal, then sealed again
    assert audit_verify().anchor.seq == 4


@pytest.mark.django_db(transaction=True)
def test_a_write_seals_the_chain_once_the_interval_has_passed(settings, monkeypatch):
    settings.AUDIT_SEAL_EVERY = 3600
    monkeypatch.setattr(audit, "_seal_due", [0.0])
    _write(2)  # the first write is due: sealed after its commit; the second is within the hour
    lines = settings.AUDIT_ANCHOR_FILE.read_text().splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [1]


@pytest.mark.django_db
def test_the_chain_is_keyed_with_a_secret_outside_the_database(settings):
    _write(2)
    assert audit_verify(seal=False).ok
    settings.AUDIT_KEY = "another key of at least thirty-two characters"
    forget_loaded_keys()
    report = audit_verify(seal=False)
    assert _kinds(report) == [FindingKind.ALTERED, FindingKind.ALTERED]


@pytest.mark.django_db
def test_the_key_file_is_made_on_first_use_readable_by_its_owner_only(settings, tmp_path):
    settings.AUDIT_KEY_FILE = tmp_path / "audit.key"
    _write(1)
    assert (tmp_path / "audit.key").stat().st_mode & 0o777 == 0o600
    assert len(bytes.fromhex((tmp_path / "audit.key").read_text())) == 32
    assert audit_verify().ok


@pytest.mark.django_db
def test_it_refuses_to_make_a_new_key_beside_a_chain_that_has_rows(settings, tmp_path):
    _write(1)
    settings.AUDIT_KEY_FILE = tmp_path / "lost.key"
    with pytest.raises(AuditKeyMissing, match="restore it from the backup"):
        _write(1)
    assert not (tmp_path / "lost.key").exists()


@pytest.mark.django_db
def test_the_database_refuses_a_queryset_delete_of_audit_rows():
    _write(2)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(seq=2).update(action="forged")
    assert AuditEvent.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_flush_still_empties_the_audit_log():
    _write(2)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_the_cli_exits_non_zero_and_names_the_row(capsys):
    _write(3)
    first = AuditEvent.objects.order_by("id").first()
    _tamper("UPDATE core_auditevent SET actor_label = 'mallory' WHERE id = %s", [first.id])
    with pytest.raises(CommandError) as excinfo:
        call_command("audit", "verify")
    assert excinfo.value.returncode == 1
    assert f"#{first.id}" in str(excinfo.value)


@pytest.mark.django_db
def test_the_cli_seals_and_reports_findings_as_json(capsys, settings):
    _write(3)
    call_command("audit", "seal")
    assert "sequence 3" in capsys.readouterr().out
    rows = list(AuditEvent.objects.order_by("seq"))
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [rows[2].id])
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False
    assert [(f["kind"], f["seq_from"], f["seq_to"]) for f in out["findings"]] == [("truncated", 3, 3)]
