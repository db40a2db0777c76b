"""Registry services (issue 2 items 6 and 10): refusals name the field; one audit row per write, in
the same transaction; duplicate ID numbers and USCCs are refused, also under a race."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
from django.db import connection, connections

from skillcity.core.errors import DomainError
from skillcity.core.models import AuditEvent
from skillcity.registry import services
from skillcity.registry.models import Organisation, SkillRecord, Worker
from tests.factories import make_resident_id, make_uscc

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks and concurrent inserts need PostgreSQL"
)


def _organisation_data(town_: Any, **overrides: Any) -> dict[str, Any]:
    return {
        "name": "东莞市精工模具有限公司",
        "category": "enterprise",
        "uscc": make_uscc(),
        "town": town_.name,
        "total_staff": 120,
        "managers": 10,
        **overrides,
    }


def _worker_data(town, **overrides: Any) -> dict[str, Any]:
    return {
        "name": "李四",
        "id_number": make_resident_id(),
        "town": town.name,
        "phone": "13800138001",
        **overrides,
    }


@pytest.mark.django_db
def test_creating_an_organisation_writes_exactly_one_audit_row(bureau_officer, changan):
    organisation = services.organisation_create(data=_organisation_data(changan), actor=bureau_officer)
    events = AuditEvent.objects.all()
    assert [e.action for e in events] == ["organisation.create"]
    assert events[0].actor == bureau_officer
    assert events[0].target_id == str(organisation.pk)


@pytest.mark.django_db
def test_an_organisation_code_starting_with_y_is_accepted(bureau_officer, changan):
    code = make_uscc(authority="Y", kind="1")
    organisation = services.organisation_create(
        data=_organisation_data(changan, uscc=code), actor=bureau_officer
    )
    assert organisation.uscc == code


@pytest.mark.django_db
def test_a_second_organisation_with_the_same_uscc_is_refused(bureau_officer, changan, humen):
    code = make_uscc()
    services.organisation_create(data=_organisation_data(changan, uscc=code), actor=bureau_officer)
    with pytest.raises(DomainError) as raised:
        services.organisation_create(
            data=_organisation_data(humen, uscc=code.lower(), name="另一家"), actor=bureau_officer
        )
    assert "uscc" in raised.value.fields and "已登记" in raised.value.fields["uscc"]
    assert Organisation.objects.count() == 1
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
def test_a_second_worker_with_the_same_id_number_is_refused(bureau_officer, changan):
    number = make_resident_id()
    services.worker_create(data=_worker_data(changan, id_number=number), actor=bureau_officer)
    with pytest.raises(DomainError) as raised:
        services.worker_create(
            data=_worker_data(changan, id_number=number, name="王五"), actor=bureau_officer
        )
    assert set(raised.value.fields) == {"id_number"}
    assert Worker.objects.count() == 1


@pytest.mark.django_db
def test_a_bad_resident_id_is_refused_naming_the_field(bureau_officer, changan):
    with pytest.raises(DomainError) as raised:
        services.worker_create(
            data=_worker_data(changan, id_number="441900199005170011"), actor=bureau_officer
        )
    assert raised.value.code == "invalid"
    assert "校验位" in raised.value.fields["id_number"]
    assert Worker.objects.count() == 0 and AuditEvent.objects.count() == 0


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"total_staff": 10, "managers": 11}, "managers"),
        ({"total_staff": 10, "managers": 0, "title_senior": 6, "title_junior": 5}, "title_senior"),
        ({"total_staff": 10, "managers": 0, "level1_count": 5, "general_workers": 6}, "general_workers"),
        ({"total_staff": "-3"}, "total_staff"),
        ({"mobile": "0769-2222333"}, "mobile"),
        ({"category": "company"}, "category"),
        ({"town": "不存在镇"}, "town"),
    ],
)
@pytest.mark.django_db
def test_inconsistent_organisation_data_names_the_field(bureau_officer, changan, overrides, field):
    with pytest.raises(DomainError) as raised:
        services.organisation_create(data=_organisation_data(changan, **overrides), actor=bureau_officer)
    assert field in raised.value.fields
    assert Organisation.objects.count() == 0 and AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_an_update_checks_staff_counts_against_the_stored_total(bureau_officer, changan_enterprise):
    with pytest.raises(DomainError) as raised:
        services.organisation_update(
            organisation=changan_enterprise, data={"managers": 101}, actor=bureau_officer
        )
    assert "managers" in raised.value.fields
    changan_enterprise.refresh_from_db()
    assert changan_enterprise.managers == 10


@pytest.mark.django_db
def test_an_update_records_before_and_after(bureau_officer, changan_enterprise):
    services.organisation_update(organisation=changan_enterprise, data={"managers": 20}, actor=bureau_officer)
    event = AuditEvent.objects.get()
    assert event.action == "organisation.update"
    assert event.before["managers"] == 10 and event.after["managers"] == 20


@pytest.mark.django_db
def test_a_skill_record_raises_the_highest_level_with_one_audit_row(bureau_officer, changan_worker):
    record = services.skill_record_add(
        worker=changan_worker,
        kind="skill_level",
        level=3,
        obtained_on=datetime.date(2024, 6, 1),
        actor=bureau_officer,
    )
    changan_worker.refresh_from_db()
    assert changan_worker.highest_level == 3
    assert [e.action for e in AuditEvent.objects.all()] == ["skill_record.add"]
    assert AuditEvent.objects.get().target_id == str(record.pk)


@pytest.mark.django_db
def test_a_skill_record_in_the_future_is_refused(bureau_officer, changan_worker):
    with pytest.raises(DomainError) as raised:
        services.skill_record_add(
            worker=changan_worker,
            kind="skill_level",
            level=9,
            obtained_on=datetime.date.today() + datetime.timedelta(days=1),
            actor=bureau_officer,
        )
    assert set(raised.value.fields) == {"level", "obtained_on"}
    assert SkillRecord.objects.count() == 0


@pytest.mark.parametrize(
    "call",
    [
        lambda actor, town, org, worker: services.organisation_create(
            data=_organisation_data(town), actor=actor
        ),
        lambda actor, town, org, worker: services.organisation_update(
            organisation=org, data={"name": "改名"}, actor=actor
        ),
        lambda actor, town, org, worker: services.worker_create(data=_worker_data(town), actor=actor),
        lambda actor, town, org, worker: services.worker_update(
            worker=worker, data={"name": "改名"}, actor=actor
        ),
        lambda actor, town, org, worker: services.skill_record_add(
            worker=worker, kind="skill_level", level=2, obtained_on=datetime.date(2024, 1, 1), actor=actor
        ),
    ],
    ids=["organisation_create", "organisation_update", "worker_create", "worker_update", "skill_record_add"],
)
@pytest.mark.django_db
def test_a_failure_after_the_write_leaves_neither_the_row_nor_the_audit_row(
    monkeypatch, bureau_officer, changan, changan_enterprise, changan_worker, call
):
    real = services.audit_record

    def audit_then_fail(**kwargs: Any) -> None:
        real(**kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "audit_record", audit_then_fail)
    counts = (Organisation.objects.count(), Worker.objects.count(), SkillRecord.objects.count())
    names = (changan_enterprise.name, changan_worker.name)
    with pytest.raises(RuntimeError):
        call(bureau_officer, changan, changan_enterprise, changan_worker)
    assert AuditEvent.objects.count() == 0
    assert (Organisation.objects.count(), Worker.objects.count(), SkillRecord.objects.count()) == counts
    changan_enterprise.refresh_from_db()
    changan_worker.refresh_from_db()
    assert (changan_enterprise.name, changan_worker.name) == names
    assert changan_worker.highest_level is None


def _race(work: Any, times: int = 2) -> list[Any]:
    """Run `work` in `times` threads started together; return each thread's result or exception."""
    barrier = threading.Barrier(times)
    results: list[Any] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(work())
        except Exception as exc:  # collected and asserted on by the test
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_requests_registering_the_same_uscc_at_once_register_it_once(bureau_officer, changan):
    data = _organisation_data(changan)
    results = _race(lambda: services.organisation_create(data=data, actor=bureau_officer))
    created = [r for r in results if isinstance(r, Organisation)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(created) == 1 and len(refused) == 1, results
    assert "uscc" in refused[0].fields
    assert Organisation.objects.filter(uscc=data["uscc"]).count() == 1
    assert AuditEvent.objects.filter(action="organisation.create").count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_requests_registering_the_same_worker_at_once_register_it_once(bureau_officer, changan):
    data = _worker_data(changan)
    results = _race(lambda: services.worker_create(data=data, actor=bureau_officer))
    assert sorted(type(r).__name__ for r in results) == ["DomainError", "Worker"], results
    assert Worker.objects.filter(id_number=data["id_number"]).count() == 1
    assert AuditEvent.objects.filter(action="worker.create").count() == 1
