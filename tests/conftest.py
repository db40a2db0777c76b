"""Named personas for permission cases (STYLE §8) and shared fixtures."""

from __future__ import annotations

import pytest

from skillcity.accounts.models import Role, User
from tests.factories import OrganisationFactory, TownFactory, UserFactory, WorkerFactory

PASSWORD = "correct-horse-9"


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request that chose English (its language cookie) leaves English active in the thread, as a
    server thread would until its next request activates its own; the next test starts in Chinese."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _audit_anchor_per_test(settings, tmp_path):
    """Each test's database starts a new audit chain, so each gets an anchor file of its own (the
    audit key in the session's data folder is shared: it is made once, for the first chain)."""
    settings.AUDIT_ANCHOR_FILE = tmp_path / "audit-anchor.jsonl"


@pytest.fixture(autouse=True)
def _cache_cleared():
    """Rate limits count in the cache (the process's memory in tests): each test starts with none, so
    a test's lookups never count against the next test run by the same process."""
    yield
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _stored_enrolments_forgotten():
    """The statement log remembers (per process) the learners' lessons it has stored statements for;
    a test's rows are rolled back, so the next test checks its own enrolments afresh."""
    yield
    from skillcity.learning import hot
    from skillcity.learning.services import statements

    statements._ENROLLED.clear()
    hot._SESSION_USERS.clear()


@pytest.fixture(autouse=True)
def _published_policy_versions_forgotten():
    """A test that published a policy version leaves it in the process's parameter overlay while its
    transaction rolls the rows back; the next test reads the revision afresh (skillcity.policy.published)."""
    yield
    from skillcity.policy import published

    if published.has_overlay() or published.revision():
        published.reset()


@pytest.fixture
def reference_data(db):
    """Towns, industries and occupations. Migrations load them, but a transactional test's flush
    removes them for the tests after it, so tests that need the full set ask for this."""
    from skillcity.registry.reference import load_reference_data

    load_reference_data()


@pytest.fixture
def changan(db):
    return TownFactory(name="长安镇")


@pytest.fixture
def humen(db):
    return TownFactory(name="虎门镇")


@pytest.fixture
def bureau_officer(db) -> User:
    return UserFactory(username="bureau_officer", role=Role.BUREAU_OFFICER)


@pytest.fixture
def changan_officer(changan) -> User:
    return UserFactory(username="changan_officer", role=Role.TOWN_OFFICER, town=changan)


@pytest.fixture
def humen_officer(humen) -> User:
    return UserFactory(username="humen_officer", role=Role.TOWN_OFFICER, town=humen)


@pytest.fixture
def changan_enterprise(changan):
    return OrganisationFactory(town=changan, name="东莞市长安精密制造有限公司")


@pytest.fixture
def enterprise_user(changan_enterprise) -> User:
    return UserFactory(
        username="enterprise_user", role=Role.ORGANISATION_USER, organisation=changan_enterprise
    )


@pytest.fixture
def changan_worker(changan, changan_enterprise):
    return WorkerFactory(town=changan, employer=changan_enterprise, name="陈长安")


@pytest.fixture
def humen_worker(humen):
    return WorkerFactory(town=humen, name="黄虎门")


@pytest.fixture
def worker_user(changan_worker) -> User:
    return UserFactory(username="worker_user", role=Role.WORKER, worker=changan_worker)


def pytest_configure(config):
    from django.conf import settings

    # Hashing passwords slowly protects real accounts; tests only need it correct.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The longest files first: `python3 dev.py test` hands whole files to its processes in this order
    (pytest-xdist `--dist loadfile --no-loadscope-reorder`), so the last files to start are short ones
    and no process waits long at the end for another's demo build (docs/decisions.md D-4). Files with
    a `slow` test come first, then those with a browser test, then the rest, each in collection order.

    `sqlite_only` tests run the platform in a subprocess on a SQLite file of their own, whatever the
    database under the suite: under PostgreSQL they would repeat the SQLite half exactly, so they run once."""
    import os

    weight: dict[str, int] = {}
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        rank = 0 if item.get_closest_marker("slow") else 1 if item.get_closest_marker("browser") else 2
        weight[path] = min(weight.get(path, rank), rank)
    items.sort(key=lambda item: weight[item.nodeid.split("::", 1)[0]])  # stable: files stay whole

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    skip = pytest.mark.skip(reason="runs on its own SQLite file: already run in the SQLite half")
    for item in items:
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)


# The demo city (seed 7, 300 workers, every programme's demo step) for the tests that look at the whole
# platform: the API fuzz, the crawl for internal codes, the accessibility checks. Building it takes
# minutes, so on SQLite it is built once a run (by the first test process to need it, into a file in
# the run's data folder) and copied in for each test (SQLite's backup API, milliseconds); on PostgreSQL each test builds it (those tests run there without the browser ones).
DEMO_CITY = {"seed": 7, "size": 300}


@pytest.fixture(scope="session")
def demo_city_snapshot(django_db_setup, django_db_blocker):
    import fcntl
    import io
    import os
    import sqlite3
    from pathlib import Path

    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "sqlite":
        yield None
        return
    from skillcity.demo import demo_build
    from skillcity.registry.reference import load_reference_data

    def build(into: sqlite3.Connection) -> None:
        with django_db_blocker.unblock():
            load_reference_data()
            demo_build(stdout=io.StringIO(), **DEMO_CITY)
            connection.ensure_connection()
            connection.connection.backup(into)
            # Leave the database as a transactional test does: empty, for the tests after this one.
            call_command("flush", interactive=False, verbosity=0)

    snapshot = sqlite3.connect(":memory:", check_same_thread=False)
    folder, run = os.environ.get("SKILLCITY_DATA_DIR"), os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if folder is None or run is None:
        build(snapshot)
    else:
        # The processes of one run (pytest-xdist) share the data folder: the first to need the city
        # builds it into a file named for the run (under a lock) and the others copy it.
        with open(Path(folder, f"demo-city-{run}.lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            built = Path(folder, f"demo-city-{run}.sqlite3")
            if not built.exists():
                file = sqlite3.connect(built.with_suffix(".partial"))
                build(file)
                file.close()
                built.with_suffix(".partial").rename(built)
        file = sqlite3.connect(built)
        file.backup(snapshot)
        file.close()
    yield snapshot
    snapshot.close()


@pytest.fixture
def demo_city(transactional_db, reference_data, settings, demo_city_snapshot):
    import io

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    if demo_city_snapshot is None:
        from skillcity.demo import demo_build

        demo_build(stdout=io.StringIO(), **DEMO_CITY)
        return
    connection.ensure_connection()
    demo_city_snapshot.backup(connection.connection)
    ContentType.objects.clear_cache()
