import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count

from skillcity.core.models import AuditEvent
from skillcity.core.validators import parse_resident_id, validate_uscc
from skillcity.registry.generate import generate_city
from skillcity.registry.models import Industry, Occupation, Organisation, SkillRecord, Town, Worker

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
    pytest.mark.slow,
]


def _digest() -> str:
    rows = Worker.objects.order_by("id").values_list(
        "name", "id_number", "phone", "town__code", "highest_level"
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def _record_digest() -> str:
    rows = SkillRecord.objects.order_by("id").values_list(
        "worker_id", "kind", "occupation_id", "level", "title_grade", "honour", "name", "obtained_on"
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def _wipe() -> None:
    SkillRecord.objects.all().delete()
    Worker.objects.all().delete()
    Organisation.objects.all().delete()


def test_reference_data_is_loaded():
    towns = list(Town.objects.all())
    assert len(towns) == 33
    assert len({t.code for t in towns}) == 33
    assert all(len(t.code) == 12 and t.code.startswith("4419") for t in towns)
    assert Industry.objects.filter(kind="pillar").count() == 10
    assert Industry.objects.filter(kind="emerging").count() == 10
    assert Occupation.objects.count() >= 80
    programmes = set(Occupation.objects.values_list("programme", flat=True))
    assert {"manufacturing", "cantonese_chef", "nanyue_housekeeping", "digital"} <= programmes


def test_the_same_seed_builds_the_same_city_and_every_identifier_is_valid():
    generate_city(seed=7, scale="demo", progress=False, workers=3000, organisations=120)
    first = _digest()
    for worker in Worker.objects.all():
        parse_resident_id(worker.id_number)
    for organisation in Organisation.objects.all():
        validate_uscc(organisation.uscc)
    assert Worker.objects.values("id_number").distinct().count() == 3000
    _wipe()
    generate_city(seed=7, scale="demo", progress=False, workers=3000, organisations=120)
    assert _digest() == first
    _wipe()
    generate_city(seed=8, scale="demo", progress=False, workers=3000, organisations=120)
    assert _digest() != first


def test_a_city_loaded_through_the_child_process_is_the_one_loaded_in_process(monkeypatch):
    # Four chunks: a forked child generates them while this process loads the previous ones.
    generate_city(seed=5, scale="demo", progress=False, workers=2000, organisations=60, chunk_size=500)
    forked = (_digest(), _record_digest())
    assert Worker.objects.count() == 2000
    assert SkillRecord.objects.filter(kind__in=["skill_level", "special_ability"]).count() == 2000
    _wipe()
    # Without fork the same chunks are generated and loaded in-process, one after the other.
    monkeypatch.setattr("multiprocessing.get_all_start_methods", lambda: ["spawn"])
    generate_city(seed=5, scale="demo", progress=False, workers=2000, organisations=60, chunk_size=500)
    assert (_digest(), _record_digest()) == forked


def test_a_failure_in_the_generating_child_process_stops_the_load(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("broken generator")
        yield

    monkeypatch.setattr("skillcity.registry.generate.city.worker_chunks", broken)
    with pytest.raises(RuntimeError, match="broken generator"):
        generate_city(seed=5, scale="demo", progress=False, workers=2000, organisations=60, chunk_size=500)
    assert not Worker.objects.exists()
    # The indexes dropped for the load are back.
    with connection.cursor() as cursor:
        assert "worker_town_level_idx" in connection.introspection.get_constraints(cursor, "registry_worker")


def test_the_demo_scale_spreads_over_every_town_with_baseline_level_shares():
    result = generate_city(seed=2026, scale="demo", progress=False)
    assert result.workers == 20_000 and result.organisations == 800
    assert Worker.objects.values("town").distinct().count() == 33
    levels = dict(Worker.objects.values_list("highest_level").annotate(n=Count("id")))
    skilled = sum(levels.values())
    high = sum(levels.get(level, 0) for level in (1, 2, 3))
    assert 0.31 <= high / skilled <= 0.37  # §11: 34.14% of skilled workers are high-skilled
    assert AuditEvent.objects.filter(action="registry.generate").count() == 1
    # staff counts respect Annex 1's rule (also a database constraint)
    for o in Organisation.objects.all()[:50]:
        assert o.managers <= o.total_staff


def test_the_command_refuses_a_registry_that_already_has_workers():
    generate_city(seed=1, scale="demo", progress=False, workers=10, organisations=5)
    with pytest.raises(CommandError) as excinfo:
        call_command("generate", "--seed", "1", "--scale", "demo", "--no-progress")
    assert excinfo.value.returncode == 2


@pytest.mark.sqlite_only  # on PostgreSQL the demo's build and re-build: tests/core/test_demo_contents.py (D-4)
def test_the_demo_builds_once_and_creates_an_account_per_role():
    # What `skillcity demo`'s build process runs (the command runs it in a child process, on a file).
    from skillcity.demo import demo_build

    demo_build(seed=3, stdout=io.StringIO())
    built = Worker.objects.count()
    demo_build(seed=3, stdout=io.StringIO())
    from skillcity.accounts.models import User

    roles = dict(User.objects.values_list("username", "role"))
    # One account per role (programme demo steps may add their own, e.g. an alliance initiator).
    assert {
        "bureau": "bureau_officer",
        "changan": "town_officer",
        "humen": "town_officer",
        "enterprise": "organisation_user",
        "worker": "worker",
    }.items() <= roles.items()
    assert User.objects.get(username="changan").town != User.objects.get(username="humen").town
    # The city's 20,000, and the young apprentices the apprenticeship step adds (issue 19): once.
    assert Worker.objects.count() == built and built >= 20_000
