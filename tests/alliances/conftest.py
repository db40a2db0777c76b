"""Alliance fixtures: a training institution that initiates, a research institute, enterprises of the
alliance's industry (and one of another), their users, and a helper building an alliance to any state."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from skillcity.accounts.models import Role
from skillcity.alliances import services
from skillcity.alliances.models import Alliance, DocumentKind, Membership
from skillcity.alliances.services import UploadedDocument
from skillcity.registry.models import Organisation, OrganisationCategory
from tests.factories import IndustryFactory, OrganisationFactory, UserFactory

ACCEPTED_ON = datetime.date(2024, 3, 15)
PDF = b"%PDF-1.4\n% charter\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def electronics(db):
    return IndustryFactory(code="test_electronics", name="测试电子信息")


@pytest.fixture
def machinery(db):
    return IndustryFactory(code="test_machinery", name="测试装备制造")


@pytest.fixture
def training_institution(changan, electronics) -> Organisation:
    return OrganisationFactory(
        town=changan,
        category=OrganisationCategory.TRAINING_INSTITUTION,
        name="东莞市长安职业培训学校",
        industry=electronics,
        total_staff=40,
        managers=6,
        title_senior=2,
        title_intermediate=5,
        level2_count=3,
        level3_count=10,
    )


@pytest.fixture
def research_institute(humen, electronics) -> Organisation:
    return OrganisationFactory(
        town=humen,
        category=OrganisationCategory.RESEARCH_INSTITUTE,
        name="东莞电子技术研究院",
        industry=electronics,
        total_staff=30,
        managers=4,
        title_senior=8,
        level1_count=2,
    )


@pytest.fixture
def lead_enterprise(changan, electronics) -> Organisation:
    return OrganisationFactory(
        town=changan,
        name="东莞市长安龙头电子有限公司",
        industry=electronics,
        total_staff=500,
        managers=40,
        title_senior=5,
        title_intermediate=20,
        title_junior=30,
        level1_count=3,
        level2_count=12,
        level3_count=60,
        level4_count=90,
        level5_count=80,
        special_ability_count=15,
        general_workers=200,
    )


@pytest.fixture
def enterprise(humen, electronics) -> Organisation:
    return OrganisationFactory(
        town=humen,
        name="东莞市虎门电子配件有限公司",
        industry=electronics,
        total_staff=120,
        managers=12,
        level3_count=20,
        level4_count=30,
        general_workers=50,
    )


@pytest.fixture
def other_industry_enterprise(changan, machinery) -> Organisation:
    return OrganisationFactory(
        town=changan, name="东莞市长安精工机械有限公司", industry=machinery, total_staff=80
    )


@pytest.fixture
def initiator_user(training_institution):
    return UserFactory(
        username="initiator_user", role=Role.ORGANISATION_USER, organisation=training_institution
    )


@pytest.fixture
def member_user(enterprise):
    return UserFactory(username="member_user", role=Role.ORGANISATION_USER, organisation=enterprise)


@pytest.fixture
def lead_user(lead_enterprise):
    return UserFactory(username="lead_user", role=Role.ORGANISATION_USER, organisation=lead_enterprise)


@pytest.fixture
def outsider_user(humen):
    outsider = OrganisationFactory(town=humen, name="东莞市局外企业有限公司")
    return UserFactory(username="outsider_user", role=Role.ORGANISATION_USER, organisation=outsider)


def upload_document(alliance: Alliance, kind: str, actor: Any, name: str = "章程.pdf") -> Any:
    return services.document_upload(
        alliance=alliance, kind=kind, upload=UploadedDocument(name, PDF), actor=actor
    )


@pytest.fixture
def make_alliance(
    initiator_user,
    electronics,
    training_institution,
    research_institute,
    lead_enterprise,
    enterprise,
    bureau_officer,
) -> Callable[..., Alliance]:
    """An alliance built through the services; `until` says how far: draft (complete, not filed), filed, active."""

    def make(
        *,
        until: str = "active",
        research: bool = True,
        documents: bool = True,
        annex1: bool = True,
        accepted_on: datetime.date = ACCEPTED_ON,
        created_on: datetime.date = datetime.date(2024, 1, 10),
    ) -> Alliance:
        alliance = services.alliance_create(
            name="东莞市测试电子信息职业培训联盟",
            industry=electronics,
            initiator=training_institution,
            actor=initiator_user,
            created_on=created_on,
        )
        for organisation in ([research_institute] if research else []) + [lead_enterprise, enterprise]:
            services.member_add(
                alliance=alliance, organisation=organisation, actor=initiator_user, joined_on=created_on
            )
        services.member_set_lead(
            membership=Membership.objects.get(alliance=alliance, organisation=lead_enterprise),
            actor=initiator_user,
        )
        if documents:
            upload_document(alliance, DocumentKind.CHARTER, initiator_user)
            upload_document(alliance, DocumentKind.COOPERATION_AGREEMENT, initiator_user, "合作协议.pdf")
        if annex1:
            for membership in alliance.memberships.all():
                services.member_annex1_update(membership=membership, data={}, actor=initiator_user)
        if until == "draft":
            return Alliance.objects.get(pk=alliance.pk)
        services.alliance_file(alliance=alliance, actor=initiator_user)
        if until == "filed":
            return Alliance.objects.get(pk=alliance.pk)
        services.alliance_accept(alliance=alliance, actor=bureau_officer, accepted_on=accepted_on)
        return Alliance.objects.get(pk=alliance.pk)

    return make
