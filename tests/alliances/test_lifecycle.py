"""draft → filed → active → dissolved, with the bureau's accept / return-with-reasons."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from skillcity.alliances import schedule, services
from skillcity.alliances.models import AllianceEvent, AllianceStatus
from skillcity.core.errors import Conflict, DomainError
from skillcity.core.models import AuditEvent


def test_it_creates_a_draft_with_the_initiator_as_its_only_member(
    initiator_user, training_institution, electronics
):
    alliance = services.alliance_create(
        name="  东莞市电子职业培训联盟 ",
        industry=electronics,
        initiator=training_institution,
        actor=initiator_user,
    )
    assert alliance.status == AllianceStatus.DRAFT
    assert alliance.name == "东莞市电子职业培训联盟"
    [member] = alliance.memberships.all()
    assert member.organisation == training_institution and member.role == "initiator"
    assert AuditEvent.objects.filter(action="alliance.create", target_id=str(alliance.pk)).exists()


def test_it_refuses_an_enterprise_as_initiator(lead_enterprise, electronics, initiator_user):
    with pytest.raises(DomainError) as error:
        services.alliance_create(
            name="联盟", industry=electronics, initiator=lead_enterprise, actor=initiator_user
        )
    assert error.value.code == "invalid_initiator"
    assert "发起单位应为职业院校、技工院校、职业培训机构、科研机构或行业协会" in str(error.value.message)


def test_it_requires_a_name_and_an_industry(training_institution, initiator_user, electronics):
    with pytest.raises(DomainError) as error:
        services.alliance_create(
            name=" ", industry=electronics, initiator=training_institution, actor=initiator_user
        )
    assert "name" in error.value.fields
    with pytest.raises(DomainError) as error:
        services.alliance_create(
            name="联盟", industry=None, initiator=training_institution, actor=initiator_user
        )
    assert "industry" in error.value.fields


def test_a_complete_alliance_is_filed_accepted_and_dissolved(make_alliance, initiator_user, bureau_officer):
    alliance = make_alliance(until="draft")
    services.alliance_file(alliance=alliance, actor=initiator_user)
    alliance.refresh_from_db()
    assert alliance.status == AllianceStatus.FILED and alliance.filed_at is not None
    services.alliance_accept(alliance=alliance, actor=bureau_officer, accepted_on=datetime.date(2024, 4, 1))
    alliance.refresh_from_db()
    assert alliance.status == AllianceStatus.ACTIVE and alliance.accepted_on == datetime.date(2024, 4, 1)
    services.alliance_dissolve(
        alliance=alliance, actor=bureau_officer, reason="成员协商解散", dissolved_on=datetime.date(2025, 2, 1)
    )
    alliance.refresh_from_db()
    assert alliance.status == AllianceStatus.DISSOLVED and alliance.dissolve_reason == "成员协商解散"
    actions = list(AllianceEvent.objects.filter(alliance=alliance).values_list("action", flat=True))
    assert {"create", "file", "accept", "dissolve"} <= set(actions)
    assert AuditEvent.objects.filter(action="alliance.dissolve", target_id=str(alliance.pk)).count() == 1


def test_a_returned_filing_carries_its_reasons_and_can_be_filed_again(
    make_alliance, initiator_user, bureau_officer
):
    alliance = make_alliance(until="filed")
    services.alliance_return(alliance=alliance, actor=bureau_officer, reason="章程缺少签署页")
    alliance.refresh_from_db()
    assert alliance.status == AllianceStatus.RETURNED and alliance.return_reason == "章程缺少签署页"
    services.alliance_update(alliance=alliance, actor=initiator_user, description="已补充签署页")
    services.alliance_file(alliance=alliance, actor=initiator_user)
    alliance.refresh_from_db()
    assert alliance.status == AllianceStatus.FILED


def test_it_refuses_a_return_without_reasons(make_alliance, bureau_officer):
    alliance = make_alliance(until="filed")
    with pytest.raises(DomainError) as error:
        services.alliance_return(alliance=alliance, actor=bureau_officer, reason="  ")
    assert "reason" in error.value.fields
    alliance.refresh_from_db()
    assert alliance.status == AllianceStatus.FILED


@pytest.mark.parametrize(
    "until, action",
    [
        ("draft", "accept"),
        ("draft", "return"),
        ("draft", "dissolve"),
        ("filed", "file"),
        ("filed", "dissolve"),
        ("active", "file"),
        ("active", "accept"),
        ("active", "return"),
    ],
)
def test_it_refuses_transitions_the_lifecycle_does_not_allow(
    make_alliance, bureau_officer, initiator_user, until, action
):
    alliance = make_alliance(until=until)
    calls = {
        "file": lambda: services.alliance_file(alliance=alliance, actor=initiator_user),
        "accept": lambda: services.alliance_accept(alliance=alliance, actor=bureau_officer),
        "return": lambda: services.alliance_return(alliance=alliance, actor=bureau_officer, reason="理由"),
        "dissolve": lambda: services.alliance_dissolve(
            alliance=alliance, actor=bureau_officer, reason="理由"
        ),
    }
    with pytest.raises(Conflict) as error:
        calls[action]()
    assert error.value.code == "invalid_state"
    assert alliance.get_status_display() in str(error.value.message)
    alliance.refresh_from_db()
    assert alliance.status == until


def test_a_dissolved_alliance_cannot_be_changed(make_alliance, bureau_officer, initiator_user, outsider_user):
    alliance = make_alliance()
    services.alliance_dissolve(alliance=alliance, actor=bureau_officer, reason="解散")
    with pytest.raises(Conflict):
        services.alliance_dissolve(alliance=alliance, actor=bureau_officer, reason="再次解散")
    with pytest.raises(Conflict):
        services.member_add(alliance=alliance, organisation=outsider_user.organisation, actor=initiator_user)
    with pytest.raises(Conflict):
        services.alliance_update(alliance=alliance, actor=initiator_user, name="新名称")


def test_it_refuses_a_dissolution_dated_before_acceptance(make_alliance, bureau_officer):
    alliance = make_alliance()
    with pytest.raises(DomainError) as error:
        services.alliance_dissolve(
            alliance=alliance,
            actor=bureau_officer,
            reason="解散",
            dissolved_on=alliance.accepted_on - datetime.timedelta(days=1),
        )
    assert "dissolved_on" in error.value.fields


def test_a_filed_alliance_cannot_be_edited_while_the_bureau_reviews_it(
    make_alliance, initiator_user, outsider_user
):
    alliance = make_alliance(until="filed")
    with pytest.raises(Conflict):
        services.alliance_update(alliance=alliance, actor=initiator_user, name="改名")
    with pytest.raises(Conflict):
        services.member_add(alliance=alliance, organisation=outsider_user.organisation, actor=initiator_user)


def test_history_and_filing_time_follow_the_alliance_clock_while_the_audit_keeps_real_time(
    make_alliance, initiator_user
):
    alliance = make_alliance(until="draft")
    started = timezone.now()
    filed_at = timezone.make_aware(datetime.datetime(2020, 3, 2, 10, 0))
    with schedule.clock_at(filed_at):
        services.alliance_file(alliance=alliance, actor=initiator_user)
    alliance.refresh_from_db()
    assert alliance.filed_at == filed_at
    event = AllianceEvent.objects.get(alliance=alliance, action="file")
    assert event.at == filed_at
    audit = AuditEvent.objects.filter(action="alliance.file", target_id=str(alliance.pk)).get()
    assert audit.at >= started
    # Outside the block the services are back on the wall clock.
    assert schedule.today() == timezone.localdate()
    with pytest.raises(ValueError), schedule.clock_at(datetime.datetime(2020, 3, 2)):
        pass


def test_the_history_names_people_by_their_display_name(make_alliance, initiator_user):
    initiator_user.display_name = "培训学校 李经办"
    alliance = make_alliance(until="draft")
    services.alliance_update(alliance=alliance, actor=initiator_user, description="新简介")
    event = AllianceEvent.objects.get(alliance=alliance, action="update")
    assert event.actor_label == "培训学校 李经办（initiator_user）"
