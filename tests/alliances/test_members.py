"""Adding members from the registry or registering new ones (with a business licence), removing them,
naming the lead, and each member's Annex 1 with counts that must add up."""

from __future__ import annotations

import datetime
import hashlib

import pytest

from skillcity.alliances import services
from skillcity.alliances.models import AllianceDocument, DocumentKind, Membership
from skillcity.alliances.services import UploadedDocument
from skillcity.core.errors import Conflict, DomainError
from skillcity.core.models import AuditEvent
from skillcity.registry.models import Organisation
from tests.factories import make_uscc

LICENCE = UploadedDocument("营业执照.pdf", b"%PDF-1.4 licence")


def _new_organisation(**extra):
    return {
        "name": "东莞市新加盟电子有限公司",
        "category": "enterprise",
        "uscc": make_uscc(),
        "town": "长安镇",
        "industry": "test_electronics",
        **extra,
    }


def test_it_adds_an_organisation_from_the_registry_once(
    make_alliance, initiator_user, other_industry_enterprise
):
    alliance = make_alliance(until="draft")
    membership = services.member_add(
        alliance=alliance,
        organisation=other_industry_enterprise,
        actor=initiator_user,
        joined_on=datetime.date(2024, 2, 1),
    )
    assert membership.role == "member" and membership.joined_on == datetime.date(2024, 2, 1)
    with pytest.raises(DomainError) as error:
        services.member_add(alliance=alliance, organisation=other_industry_enterprise, actor=initiator_user)
    assert error.value.code == "already_member"


def test_a_new_organisation_must_come_with_its_business_licence(make_alliance, initiator_user):
    alliance = make_alliance(until="draft")
    data = _new_organisation()
    with pytest.raises(DomainError) as error:
        services.member_register(alliance=alliance, data=data, actor=initiator_user)
    assert error.value.code == "licence_required" and "business_licence" in error.value.fields
    assert not Organisation.objects.filter(uscc=data["uscc"]).exists()
    membership = services.member_register(
        alliance=alliance, data=data, actor=initiator_user, business_licence=LICENCE
    )
    organisation = Organisation.objects.get(uscc=data["uscc"])
    assert membership.organisation == organisation
    document = AllianceDocument.objects.get(alliance=alliance, kind=DocumentKind.BUSINESS_LICENCE)
    assert document.organisation == organisation
    assert document.sha256 == hashlib.sha256(LICENCE.content).hexdigest()
    assert document.size == len(LICENCE.content) and document.content_type == "application/pdf"
    assert document.uploaded_by == initiator_user
    with document.file.open("rb") as stored:
        assert stored.read() == LICENCE.content


def test_an_organisation_the_registry_holds_needs_no_licence(
    make_alliance, initiator_user, other_industry_enterprise
):
    alliance = make_alliance(until="draft")
    membership = services.member_register(
        alliance=alliance,
        actor=initiator_user,
        data={"uscc": other_industry_enterprise.uscc.lower(), "name": "随便写"},
    )
    assert membership.organisation == other_industry_enterprise
    assert not AllianceDocument.objects.filter(kind=DocumentKind.BUSINESS_LICENCE).exists()


def test_a_bad_new_organisation_writes_nothing(make_alliance, initiator_user):
    alliance = make_alliance(until="draft")
    before = AllianceDocument.objects.count()
    with pytest.raises(DomainError) as error:
        services.member_register(
            alliance=alliance,
            data=_new_organisation(town="不存在镇"),
            actor=initiator_user,
            business_licence=LICENCE,
        )
    assert "town" in error.value.fields
    assert AllianceDocument.objects.count() == before
    with pytest.raises(DomainError) as error:
        services.member_register(
            alliance=alliance,
            data=_new_organisation(uscc="91441900MA4ZZZZZZZ"),
            actor=initiator_user,
            business_licence=LICENCE,
        )
    assert "uscc" in error.value.fields


def test_it_refuses_a_document_that_is_not_what_its_name_says(make_alliance, initiator_user):
    alliance = make_alliance(until="draft")
    with pytest.raises(DomainError) as error:
        services.document_upload(
            alliance=alliance,
            kind=DocumentKind.CHARTER,
            actor=initiator_user,
            upload=UploadedDocument("章程.pdf", b"MZ\x90 not a pdf"),
        )
    assert error.value.fields == {"charter": "内容与扩展名不符"}
    with pytest.raises(DomainError) as error:
        services.document_upload(
            alliance=alliance,
            kind=DocumentKind.CHARTER,
            actor=initiator_user,
            upload=UploadedDocument("章程.exe", b"MZ"),
        )
    assert "charter" in error.value.fields
    with pytest.raises(DomainError):
        services.document_upload(
            alliance=alliance,
            kind=DocumentKind.CHARTER,
            actor=initiator_user,
            upload=UploadedDocument("章程.txt", b""),
        )


def test_removing_a_member_of_a_draft_takes_it_off_the_list(make_alliance, initiator_user, enterprise):
    alliance = make_alliance(until="draft")
    membership = Membership.objects.get(alliance=alliance, organisation=enterprise)
    services.member_remove(membership=membership, actor=initiator_user)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(action="alliance.member_remove", target_id=str(membership.pk)).exists()


def test_a_member_leaving_an_active_alliance_keeps_its_history(make_alliance, initiator_user, enterprise):
    alliance = make_alliance()
    membership = Membership.objects.get(alliance=alliance, organisation=enterprise)
    services.member_remove(membership=membership, actor=initiator_user, left_on=datetime.date(2024, 9, 1))
    membership.refresh_from_db()
    assert membership.left_on == datetime.date(2024, 9, 1)
    with pytest.raises(DomainError):
        services.member_remove(membership=membership, actor=initiator_user)
    # Rejoining starts a new term on the same row.
    rejoined = services.member_add(
        alliance=alliance, organisation=enterprise, actor=initiator_user, joined_on=datetime.date(2025, 1, 2)
    )
    assert rejoined.pk == membership.pk and rejoined.left_on is None


def test_it_refuses_a_removal_that_breaks_the_composition_of_an_active_alliance(
    make_alliance, initiator_user, research_institute
):
    alliance = make_alliance()
    membership = Membership.objects.get(alliance=alliance, organisation=research_institute)
    with pytest.raises(DomainError) as error:
        services.member_remove(membership=membership, actor=initiator_user)
    assert error.value.code == "composition_broken" and "科研机构" in str(error.value.message)
    membership.refresh_from_db()
    assert membership.left_on is None  # rolled back


def test_the_initiator_and_the_lead_cannot_be_removed(
    make_alliance, initiator_user, training_institution, lead_enterprise
):
    alliance = make_alliance(until="draft")
    for organisation, expected in (
        (training_institution, "发起单位不能移出联盟"),
        (lead_enterprise, "请先指定其他承担主体"),
    ):
        with pytest.raises(DomainError) as error:
            services.member_remove(
                membership=Membership.objects.get(alliance=alliance, organisation=organisation),
                actor=initiator_user,
            )
        assert expected in str(error.value.message)


def test_naming_another_lead_moves_the_mark(make_alliance, initiator_user, lead_enterprise, enterprise):
    alliance = make_alliance(until="draft")
    services.member_set_lead(
        membership=Membership.objects.get(alliance=alliance, organisation=enterprise), actor=initiator_user
    )
    leads = list(
        Membership.objects.filter(alliance=alliance, is_lead=True).values_list("organisation", flat=True)
    )
    assert leads == [enterprise.pk]


# --- Annex 1 ----------------------------------------------------------------------------------


def test_annex1_updates_the_members_own_record_and_marks_it_filled(make_alliance, member_user, enterprise):
    alliance = make_alliance(until="draft", annex1=False)
    membership = Membership.objects.get(alliance=alliance, organisation=enterprise)
    services.member_annex1_update(
        membership=membership,
        actor=member_user,
        data={
            "total_staff": "150",
            "managers": 15,
            "title_senior": 3,
            "level3_count": 30,
            "general_workers": 60,
            "postcode": "523000",
            "contact_person": "李联络",
        },
    )
    enterprise.refresh_from_db()
    membership.refresh_from_db()
    assert (enterprise.total_staff, enterprise.managers, enterprise.contact_person) == (150, 15, "李联络")
    assert membership.annex1_filled_at is not None and membership.annex1_filled_by == member_user
    assert AuditEvent.objects.filter(action="organisation.update", target_id=str(enterprise.pk)).exists()


@pytest.mark.parametrize(
    "data, field, words",
    [
        ({"total_staff": 10, "managers": 11}, "managers", "管理人员（11）不能超过职工总数（10）"),
        (
            {"total_staff": 10, "title_senior": 4, "title_intermediate": 4, "title_junior": 4},
            "title_senior",
            "各级职称人数之和（12）",
        ),
        (
            {"total_staff": 10, "level3_count": 6, "level4_count": 0, "general_workers": 5},
            "general_workers",
            "普工人数之和（11）",
        ),
        ({"total_staff": -1}, "total_staff", "应为不小于0的整数"),
        ({"postcode": "52300"}, "postcode", "邮编应为6位数字"),
        ({"email": "not-an-email"}, "email", "电子邮箱格式无效"),
    ],
)
def test_annex1_rejects_inconsistent_counts_naming_the_field(
    make_alliance, member_user, enterprise, data, field, words
):
    alliance = make_alliance(until="draft", annex1=False)
    membership = Membership.objects.get(alliance=alliance, organisation=enterprise)
    before = Organisation.objects.values().get(pk=enterprise.pk)
    with pytest.raises(DomainError) as error:
        services.member_annex1_update(membership=membership, data=data, actor=member_user)
    assert words in str(error.value.fields[field])
    assert Organisation.objects.values().get(pk=enterprise.pk) == before
    membership.refresh_from_db()
    assert membership.annex1_filled_at is None


def test_annex1_refuses_fields_that_are_not_on_the_form(make_alliance, member_user, enterprise):
    alliance = make_alliance(until="draft")
    membership = Membership.objects.get(alliance=alliance, organisation=enterprise)
    with pytest.raises(DomainError) as error:
        services.member_annex1_update(
            membership=membership, data={"uscc": "X", "name": "改名"}, actor=member_user
        )
    assert set(error.value.fields) == {"uscc", "name"}


def test_annex1_is_closed_for_members_that_left(make_alliance, initiator_user, member_user, enterprise):
    alliance = make_alliance()
    membership = Membership.objects.get(alliance=alliance, organisation=enterprise)
    services.member_remove(membership=membership, actor=initiator_user)
    with pytest.raises(Conflict):
        services.member_annex1_update(membership=membership, data={}, actor=member_user)
