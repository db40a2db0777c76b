"""The demo step: idempotent, deterministic, and every certificate it makes verifies."""

from __future__ import annotations

import io

import pytest

from skillcity.certification import numbering, selectors
from skillcity.certification.demo import certification_demo_step
from skillcity.certification.models import Certificate, Evaluator
from skillcity.registry.models import Worker

pytestmark = pytest.mark.django_db(transaction=True)  # the generator bulk-loads outside a test transaction


@pytest.fixture
def small_city(reference_data):
    from skillcity.registry.generate import generate_city

    generate_city(seed=11, scale="demo", workers=1500, organisations=120, progress=False)


def test_the_demo_step_builds_valid_signed_certificates_once(small_city):
    certification_demo_step(2026, io.StringIO())
    certificates = list(Certificate.objects.select_related("worker", "occupation", "evaluator__organisation"))
    assert len(certificates) > 50
    assert Evaluator.objects.filter(state=Evaluator.State.ACTIVE).count() >= 3
    assert Evaluator.objects.filter(state=Evaluator.State.FILED).exists()
    assert len({c.number for c in certificates}) == len(certificates)
    assert all(numbering.is_valid_number(c.number) for c in certificates)
    assert {selectors.verify_qr(c.qr_token).status for c in certificates} <= {"valid", "revoked"}
    assert Certificate.objects.filter(status=Certificate.Status.REVOKED).exists()
    for certificate in certificates[:50]:
        assert certificate.skill_record is not None and certificate.skill_record.level == certificate.level
    holders = Worker.objects.filter(certificates__status="valid").distinct()
    assert all(w.highest_level is not None for w in holders)
    count = len(certificates)
    certification_demo_step(2026, io.StringIO())
    assert Certificate.objects.count() == count
