"""The expert pool's demo step: 1,141 experts in ten sectors, draws that replay exactly, the demo worker
drawn; a second run makes nothing."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db.models import Count

from skillcity.accounts.models import Role
from skillcity.platforms.demo_experts import POOL_SIZE, SECTOR_SHARES, experts_demo
from skillcity.platforms.models.experts import Expert, ExpertDraw, ExpertDrawMember
from skillcity.platforms.services import experts as services
from skillcity.registry.models import Worker
from tests.factories import OccupationFactory, OrganisationFactory, UserFactory, make_resident_id

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
BORN = datetime.date(1970, 1, 1)


def test_the_demo_fills_the_pool_at_the_baseline_and_draws_from_it(changan):
    units = [OrganisationFactory(town=changan) for _ in range(20)]
    OccupationFactory()
    Worker.objects.bulk_create(
        [
            Worker(
                name=f"专家{i}",
                id_number=make_resident_id(birth=BORN + datetime.timedelta(days=i)),
                gender="M",
                birth_date=BORN + datetime.timedelta(days=i),
                town=changan,
                employer=units[i % 20],
                highest_level=2,
            )
            for i in range(POOL_SIZE + 50)
        ]
    )
    UserFactory(username="bureau", role=Role.BUREAU_OFFICER)
    worker = Worker.objects.order_by("id").first()
    UserFactory(username="worker", role=Role.WORKER, worker=worker)
    out = io.StringIO()
    experts_demo(2026, out)
    assert Expert.objects.count() == 1141
    counts = dict(Expert.objects.values_list("sector").annotate(n=Count("id")).values_list("sector", "n"))
    assert counts == SECTOR_SHARES and len(counts) == 10
    assert ExpertDraw.objects.count() >= 3
    assert all(services.draw_replay_matches(d) for d in ExpertDraw.objects.all())
    assert ExpertDrawMember.objects.filter(expert__worker=worker).exists()
    assert ExpertDrawMember.objects.filter(replaces__isnull=False).count() == 1
    experts_demo(2026, io.StringIO())
    assert Expert.objects.count() == 1141
