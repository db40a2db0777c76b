"""The demo step on a small city: apprentices whose records keep the rules the services enforce
(contract and registration of a year or more, non-full-time, a mentor of the enterprise), classes at
the technical schools with their students employed by the partner, and a second run that adds nothing."""

from __future__ import annotations

import io

import pytest

from skillcity.apprenticeship.demo import apprenticeship_demo
from skillcity.apprenticeship.models import Apprenticeship, DualClass, StudyMode
from skillcity.apprenticeship.selectors import class_drift
from skillcity.apprenticeship.services import one_year_after
from skillcity.registry.models import OrganisationCategory
from skillcity.schools.models import Ownership
from skillcity.schools.services import school_register
from tests.factories import OccupationFactory, OrganisationFactory, WorkerFactory

pytestmark = pytest.mark.django_db


def test_the_demo_step_keeps_the_rules(changan, bureau_officer):
    OccupationFactory(code="6-18-01-01", name="车工")
    enterprises = [OrganisationFactory(town=changan) for _ in range(3)]
    for i in range(60):
        WorkerFactory(town=changan, employer=enterprises[i % 3])
    school = OrganisationFactory(
        town=changan, category=OrganisationCategory.TECHNICAL_SCHOOL, name="东莞市演示技工学校"
    )
    school_register(actor=bureau_officer, organisation=school, ownership=Ownership.PUBLIC)
    out = io.StringIO()
    apprenticeship_demo(7, out)
    rows = list(Apprenticeship.objects.select_related("worker", "enterprise_mentor"))
    assert len(rows) >= 20 and "apprentices" in out.getvalue()
    for a in rows:
        assert a.contract_end >= one_year_after(a.contract_start)
        assert a.registration_end >= one_year_after(a.registration_start)
        assert a.study_mode == StudyMode.NON_FULL_TIME
        assert a.enterprise_mentor.employer_id == a.enterprise_id
        assert a.enterprise_mentor_id != a.worker_id
    classes = list(DualClass.objects.all())
    assert len(classes) == 2 and all(c.school_id == school.pk for c in classes)
    assert all(class_drift(c) == [] and c.apprenticeships.count() == 3 for c in classes)
    again = io.StringIO()
    apprenticeship_demo(7, again)
    assert Apprenticeship.objects.count() == len(rows) and "skipped" in again.getvalue()
