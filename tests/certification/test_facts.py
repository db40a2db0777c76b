"""Facts for CRT-ENT, TAL-CARD and TRN-UPSKILL computed from certificates."""

from __future__ import annotations

import datetime

import pytest

from skillcity.certification import facts, services
from skillcity.registry.models import SkillRecord
from skillcity.registry.services import skill_record_add
from tests.certification.conftest import certify
from tests.factories import OccupationFactory, WorkerFactory

pytestmark = pytest.mark.django_db


def test_an_enterprise_without_filing_has_no_certification_facts(changan_enterprise):
    got = facts.enterprise_certification_facts(changan_enterprise, 2024)
    assert got["filed_and_certifying"] is False and got["year_new_certificates"] == 0


def test_year_counts_exclude_other_years_revoked_and_count_level_two(
    evaluator, lathe, changan_enterprise, enterprise_user, bureau_officer
):
    workers = [WorkerFactory(employer=changan_enterprise, town=changan_enterprise.town) for _ in range(4)]
    certify(evaluator, lathe, workers[0], enterprise_user, level=4)
    certify(evaluator, lathe, workers[1], enterprise_user, level=2)
    revoked = certify(evaluator, lathe, workers[2], enterprise_user, level=2)
    services.certificate_revoke(certificate=revoked, reason="作弊", actor=bureau_officer)
    got = facts.enterprise_certification_facts(changan_enterprise, 2024)
    assert got["filed_and_certifying"] is True
    assert got["year_new_certificates"] == 2
    assert got["year_new_certificates_level2_or_higher"] == 1
    assert got["shortage_certification"] is False  # 车工 (6-18-01-01) is not in the fallback list
    assert facts.enterprise_certification_facts(changan_enterprise, 2023)["year_new_certificates"] == 0


def test_shortage_certification_follows_the_years_catalog(
    evaluator, changan_enterprise, enterprise_user, bureau_officer
):
    cnc = OccupationFactory(code="6-18-01-01-02", name="车工（数控车工）")
    evaluator.scopes.create(occupation=cnc, highest_level=3, lowest_level=5)
    certify(
        evaluator,
        cnc,
        WorkerFactory(employer=changan_enterprise, town=changan_enterprise.town),
        enterprise_user,
    )
    assert "6-18-01-01-02" in facts.shortage_occupation_codes(2024)
    assert facts.enterprise_certification_facts(changan_enterprise, 2024)["shortage_certification"] is True


def test_the_training_catalog_overrides_the_fallback_list(
    evaluator, lathe, changan_enterprise, enterprise_user
):
    from skillcity.training.models import ShortageCatalogEntry

    ShortageCatalogEntry.objects.create(year=2024, occupation=lathe)
    assert facts.shortage_occupation_codes(2024) == frozenset({"6-18-01-01"})
    certify(
        evaluator,
        lathe,
        WorkerFactory(employer=changan_enterprise, town=changan_enterprise.town),
        enterprise_user,
    )
    assert facts.enterprise_certification_facts(changan_enterprise, 2024)["shortage_certification"] is True


def test_worker_facts_give_the_highest_standing_level_and_titles(
    evaluator, lathe, changan_worker, enterprise_user, bureau_officer
):
    certificate = certify(evaluator, lathe, changan_worker, enterprise_user, level=3)
    skill_record_add(
        worker=changan_worker,
        kind=SkillRecord.Kind.HONOUR,
        honour="dongguan_technical_expert",
        obtained_on=datetime.date(2024, 1, 1),
        actor=bureau_officer,
    )
    on = datetime.date(2024, 12, 31)
    assert facts.worker_talent_facts(changan_worker, on) == {
        "highest_skill_level": 3,
        "titles": ["dongguan_technical_expert"],
    }
    assert facts.worker_upskill_facts(changan_worker, on) == {
        "certificate_kind": "skill_level",
        "level": 3,
        "in_shortage_catalog": False,
        "certificate_number": certificate.number,
    }
    services.certificate_revoke(certificate=certificate, reason="作弊", actor=bureau_officer)
    assert facts.worker_talent_facts(changan_worker, on)["highest_skill_level"] is None
    assert facts.worker_upskill_facts(changan_worker, on) is None


def test_providers_are_registered_with_the_grants_workflow(
    evaluator, lathe, changan_worker, changan_enterprise, enterprise_user
):
    from skillcity.grants.flows import provided_facts

    certify(evaluator, lathe, changan_worker, enterprise_user, level=4)
    crt = provided_facts("CRT-ENT", changan_enterprise, datetime.date(2024, 12, 31))
    assert crt["year_new_certificates"][0] == 1 and "证书记录" in crt["year_new_certificates"][1]
    card = provided_facts("TAL-CARD", changan_worker, datetime.date(2024, 12, 31))
    assert card["highest_skill_level"][0] == 4
    assert provided_facts("TAL-CARD", changan_enterprise, datetime.date(2024, 12, 31)) == {}
