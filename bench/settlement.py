"""bench/settlement: N completed enrolments (default 1,000,000) settled end to end on a fresh SQLite.

.venv/bin/python bench/settlement.py [N]
"""

from __future__ import annotations

import datetime
import os
import sys
import tempfile
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
os.environ["SKILLCITY_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-settlement-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skillcity.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import django  # noqa: E402

django.setup()
from decimal import Decimal  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from skillcity.core.periods import HalfYear  # noqa: E402
from skillcity.registry.models import Occupation, Organisation, OrganisationCategory, Town  # noqa: E402
from skillcity.training import services  # noqa: E402
from skillcity.training.models import Enrolment, TrainingClass, TrainingProject  # noqa: E402

call_command("migrate", verbosity=0)
town = Town.objects.first() or Town.objects.create(code="441900100", name="长安镇", kind="town")
occupation = Occupation.objects.first()
provider = Organisation.objects.create(
    category=OrganisationCategory.TRAINING_INSTITUTION,
    name="基准培训学校",
    uscc="91441900MA0000001X",
    town=town,
)
project = TrainingProject.objects.create(
    provider=provider,
    name="基准项目",
    occupation=occupation,
    level=4,
    per_person_standard=Decimal("2500"),
    capacity=N,
    start_date=datetime.date(2025, 1, 1),
    end_date=datetime.date(2025, 6, 30),
    town=town,
)
klass = TrainingClass.objects.create(
    project=project, name="一班", start_date=project.start_date, end_date=project.end_date
)
started = time.perf_counter()
with transaction.atomic(), connection.cursor() as cursor:
    # Workers and enrolments straight in SQL: the generator is not what is measured.
    cursor.executemany(
        "INSERT INTO registry_worker (id, name, id_number, gender, birth_date, phone, town_id, created_at, updated_at)"
        " VALUES (%s, 'w', %s, 'M', '1990-01-01', '', %s, '2025-01-01', '2025-01-01')",
        [(i, f"{i:018d}", town.pk) for i in range(1, N + 1)],
    )
    cursor.executemany(
        f"INSERT INTO {Enrolment._meta.db_table} (training_class_id, provider_id, worker_id, town_id, status,"
        " enrolled_on, completed_on, trainee_is_provider_employee, certified_level)"
        " VALUES (%s, %s, %s, %s, 'completed', '2025-02-01', '2025-05-31', 0, %s)",
        [(klass.pk, provider.pk, i, town.pk, (i % 5) + 1 if i % 3 == 0 else None) for i in range(1, N + 1)],
    )
print(f"generated {N:,} completed enrolments in {time.perf_counter() - started:.1f} s")
started = time.perf_counter()
settlement = services.settlement_run(provider=provider, period=HalfYear(2025, 1), actor="bench")
elapsed = time.perf_counter() - started
print(
    f"settled {N:,} enrolments → {settlement.line_count:,} lines, total {settlement.total_amount} "
    f"in {elapsed:.1f} s ({N / elapsed:,.0f} enrolments/s); target ≤ 60 s"
)
