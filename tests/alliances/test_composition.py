"""D000 二's composition rules, checked at filing, every missing item named and listed together."""

from __future__ import annotations

import pytest

from skillcity.alliances import services
from skillcity.alliances.models import AllianceStatus, DocumentKind, Membership
from skillcity.core.errors import DomainError
from skillcity.registry.models import OrganisationCategory
from tests.alliances.conftest import upload_document
from tests.factories import OrganisationFactory


def _file_error(alliance, actor) -> DomainError:
    with pytest.raises(DomainError) as error:
        services.alliance_file(alliance=alliance, actor=actor)
    alliance.refresh_from_db()
    assert alliance.status == AllianceStatus.DRAFT  # nothing changed
    assert error.value.code == "filing_incomplete"
    return error.value


def test_it_refuses_filing_without_a_research_institute(make_alliance, initiator_user):
    alliance = make_alliance(until="draft", research=False)
    error = _file_error(alliance, initiator_user)
    assert "缺少可提供职业能力开发及理论研究和技术支持的科研机构" in str(error.message)
    assert error.fields == {"members": ["缺少可提供职业能力开发及理论研究和技术支持的科研机构"]}


def test_it_refuses_filing_without_a_college_school_or_training_institution(
    initiator_user, research_institute, lead_enterprise, electronics, humen
):
    # An industry association initiates; without a training unit among the members it cannot file.
    association = OrganisationFactory(
        town=humen, category=OrganisationCategory.INDUSTRY_ASSOCIATION, name="电子行业协会"
    )
    alliance = services.alliance_create(
        name="联盟", industry=electronics, initiator=association, actor=initiator_user
    )
    services.member_add(alliance=alliance, organisation=research_institute, actor=initiator_user)
    lead = services.member_add(alliance=alliance, organisation=lead_enterprise, actor=initiator_user)
    services.member_set_lead(membership=lead, actor=initiator_user)
    error = _file_error(alliance, initiator_user)
    assert (
        "缺少可承担职业能力研究开发、技能人才培养的职业院校、技工院校或职业培训机构"
        in error.fields["members"]
    )


def test_it_refuses_filing_without_enterprises_and_a_lead(
    initiator_user, training_institution, research_institute, electronics
):
    alliance = services.alliance_create(
        name="联盟", industry=electronics, initiator=training_institution, actor=initiator_user
    )
    services.member_add(alliance=alliance, organisation=research_institute, actor=initiator_user)
    error = _file_error(alliance, initiator_user)
    assert "缺少同行业、同类型的企业成员" in error.fields["members"]
    assert error.fields["lead"] == ["未指定承担主体（应为联盟中的优势企业）"]


def test_it_names_an_enterprise_of_another_industry(make_alliance, initiator_user, other_industry_enterprise):
    alliance = make_alliance(until="draft")
    membership = services.member_add(
        alliance=alliance, organisation=other_industry_enterprise, actor=initiator_user
    )
    services.member_annex1_update(membership=membership, data={}, actor=initiator_user)
    error = _file_error(alliance, initiator_user)
    assert error.fields["members"] == [
        "企业成员“东莞市长安精工机械有限公司”的所属产业（测试装备制造）与联盟所属产业（测试电子信息）不一致"
    ]


def test_it_refuses_filing_without_charter_and_agreement(make_alliance, initiator_user):
    alliance = make_alliance(until="draft", documents=False)
    error = _file_error(alliance, initiator_user)
    assert error.fields["charter"] == ["未上传联盟章程"]
    assert error.fields["cooperation_agreement"] == ["未上传合作协议"]
    upload_document(alliance, DocumentKind.CHARTER, initiator_user)
    error = _file_error(alliance, initiator_user)
    assert "charter" not in error.fields and "cooperation_agreement" in error.fields


def test_it_names_every_member_without_annex1(make_alliance, initiator_user, lead_enterprise, enterprise):
    alliance = make_alliance(until="draft", annex1=False)
    error = _file_error(alliance, initiator_user)
    [message] = error.fields["annex1"]
    assert lead_enterprise.name in message and enterprise.name in message and "附件1" in message


def test_it_lists_every_missing_item_together(initiator_user, training_institution, electronics):
    alliance = services.alliance_create(
        name="联盟", industry=electronics, initiator=training_institution, actor=initiator_user
    )
    error = _file_error(alliance, initiator_user)
    message = str(error.message)
    for expected in ("科研机构", "同行业、同类型的企业", "承担主体", "联盟章程", "合作协议", "附件1"):
        assert expected in message
    assert set(error.fields) == {"members", "lead", "charter", "cooperation_agreement", "annex1"}


def test_the_lead_must_be_an_enterprise(make_alliance, initiator_user, research_institute):
    alliance = make_alliance(until="draft")
    membership = Membership.objects.get(alliance=alliance, organisation=research_institute)
    with pytest.raises(DomainError) as error:
        services.member_set_lead(membership=membership, actor=initiator_user)
    assert error.value.code == "invalid_lead"
    assert "承担主体应为企业" in str(error.value.message)


def test_exactly_one_initiator_is_kept_by_the_database(make_alliance, research_institute):
    from django.db import IntegrityError, transaction

    alliance = make_alliance(until="draft")
    membership = Membership.objects.get(alliance=alliance, organisation=research_institute)
    membership.role = "initiator"
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()
