"""Matching (issue 19 §4): the reasons, each present or absent as the records say; the level read from
records, never typed; the candidates ranked; masking until the worker accepts, and each full view
after it audited; the needs' validation naming each field's label."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from skillcity.core.errors import DomainError, NotFound, PermissionDenied
from skillcity.core.models import AuditEvent
from skillcity.matching import selectors
from skillcity.matching.models import JobNeed, Match
from skillcity.matching.services import match_contact_view, match_respond, seeker_need_withdraw
from tests.matching.conftest import holds, post_need, seek

pytestmark = pytest.mark.django_db


def explain(*, held, need_level=3, same_occupation=True, same_town=True):
    return selectors.explain(
        need_occupation_id=1,
        need_level=need_level,
        need_town_id=10,
        seeker_occupation_id=1 if same_occupation else 2,
        seeker_town_ids=[10, 11] if same_town else [11],
        held_level=held,
    )


def test_the_reasons_say_level_occupation_and_town_when_all_fit():
    why = explain(held=3)
    assert why.text == "持三级证书，工种相符，意向镇街相符"
    assert why.qualifies and [r.code for r in why.reasons] == ["level", "occupation", "town"]


def test_a_higher_level_than_asked_fits_and_says_the_level_held():
    why = explain(held=2)
    assert why.text.startswith("持二级证书，") and why.qualifies
    assert why.score > explain(held=3).score


def test_a_lower_level_than_asked_does_not_fit_and_says_so():
    why = explain(held=4)
    assert "持四级证书，低于要求的三级" in why.text and "持四级证书，工种" not in why.text
    assert not why.qualifies


def test_no_certificate_in_the_occupation_is_said():
    why = explain(held=None)
    assert why.text.startswith("无该工种等级证书记录") and not why.qualifies


def test_another_occupation_is_said_and_does_not_fit():
    why = explain(held=3, same_occupation=False)
    assert "工种不符" in why.text and "工种相符" not in why.text and not why.qualifies


def test_another_town_is_said_but_still_proposed_ranked_lower():
    why = explain(held=3, same_town=False)
    assert "不在意向镇街" in why.text and "意向镇街相符" not in why.text
    assert why.qualifies and why.score < explain(held=3).score


def test_the_level_comes_from_records_certificates_and_skill_records(worker_user, lathe):
    worker = worker_user.worker
    assert selectors.held_levels([worker.pk], [lathe.pk]) == {}
    holds(worker, lathe, 4)
    holds(worker, lathe, 3)
    assert selectors.held_levels([worker.pk], [lathe.pk]) == {(worker.pk, lathe.pk): 3}


def test_a_need_is_proposed_to_qualifying_seekers_only_and_ranked(
    enterprise_user, worker_user, other_worker_user, lathe, welder, changan, humen
):
    holds(worker_user.worker, lathe, 3)
    holds(other_worker_user.worker, lathe, 2)
    seek(worker_user, lathe, changan)
    seek(other_worker_user, lathe, humen)  # level higher, but not in Changan
    need = post_need(enterprise_user, lathe, changan, level=3)
    ranked = selectors.need_candidates(need)
    assert [m.worker_id for m, _w in ranked] == [worker_user.worker_id, other_worker_user.worker_id]
    assert ranked[0][1].text == "持三级证书，工种相符，意向镇街相符"
    assert ranked[1][1].text == "持二级证书，工种相符，不在意向镇街"
    strict = post_need(enterprise_user, lathe, changan, level=2)  # only the level-2 worker qualifies
    assert [m.worker_id for m, _w in selectors.need_candidates(strict)] == [other_worker_user.worker_id]
    assert not Match.objects.filter(need__occupation=welder).exists()


def test_a_seekers_need_recorded_after_the_need_is_matched_then(enterprise_user, worker_user, lathe, changan):
    need = post_need(enterprise_user, lathe, changan, level=4)
    holds(worker_user.worker, lathe, 4)
    seek(worker_user, lathe, changan)
    assert Match.objects.get(need=need).worker_id == worker_user.worker_id


def test_contact_is_masked_until_the_worker_accepts_and_each_full_view_is_audited(
    enterprise_user, worker_user, lathe, changan
):
    worker = worker_user.worker
    holds(worker, lathe, 3)
    seek(worker_user, lathe, changan)
    match = Match.objects.get(need=post_need(enterprise_user, lathe, changan))
    masked = selectors.contact_masked(match)
    assert (
        masked.name == "陈*安" and masked.phone == "138****8000" and worker.id_number not in masked.id_number
    )
    with pytest.raises(DomainError) as refused:
        match_contact_view(actor=enterprise_user, match=match)
    assert refused.value.code == "not_accepted"
    assert not AuditEvent.objects.filter(action="personal_data.view").exists()
    match_respond(actor=worker_user, match=match, accept=True)
    match.refresh_from_db()
    full = match_contact_view(actor=enterprise_user, match=match)
    match_contact_view(actor=enterprise_user, match=match)
    assert full.name == "陈长安" and full.phone == "13800138000" and full.id_number == worker.id_number
    views = AuditEvent.objects.filter(action="personal_data.view", target_id=str(worker.pk))
    assert views.count() == 2 and views.first().actor_id == enterprise_user.pk


def test_only_the_worker_answers_and_only_once(
    enterprise_user, worker_user, other_worker_user, lathe, changan
):
    holds(worker_user.worker, lathe, 3)
    seek(worker_user, lathe, changan)
    match = Match.objects.get(need=post_need(enterprise_user, lathe, changan))
    for stranger in (other_worker_user, enterprise_user):
        with pytest.raises(PermissionDenied):
            match_respond(actor=stranger, match=match, accept=True)
    match_respond(actor=worker_user, match=match, accept=False)
    with pytest.raises(DomainError) as again:
        match_respond(actor=worker_user, match=match, accept=True)
    assert again.value.status == 409
    assert AuditEvent.objects.filter(action="matching.match.decline", target_id=str(match.pk)).exists()


def test_a_withdrawn_seekers_need_gets_no_new_matches(enterprise_user, worker_user, lathe, changan):
    holds(worker_user.worker, lathe, 3)
    seeker = seek(worker_user, lathe, changan)
    seeker_need_withdraw(actor=worker_user, seeker=seeker)
    post_need(enterprise_user, lathe, changan)
    assert not Match.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "label"),
    [
        ({"head_count": 0}, "head_count", "招聘人数"),
        ({"head_count": 10_000}, "head_count", "招聘人数"),
        ({"wage_min": Decimal("9000"), "wage_max": Decimal("6000")}, "wage_max", "月工资上限（元）"),
        ({"wage_min": Decimal("-1")}, "wage_min", "月工资下限（元）"),
        ({"wage_max": Decimal("1000000")}, "wage_max", "月工资上限（元）"),
        ({"level": 6}, "level", "技能等级要求"),
        ({"start": datetime.date(1999, 1, 1)}, "start", "到岗日期"),
    ],
)
def test_a_bad_need_is_refused_naming_the_fields_label(enterprise_user, lathe, changan, change, field, label):
    from skillcity.matching.services import job_need_create

    values = {
        "occupation": lathe,
        "level": 3,
        "town": changan,
        "head_count": 2,
        "wage_min": Decimal("6000"),
        "wage_max": Decimal("9000"),
        "start": datetime.date(2026, 3, 1),
    } | change
    with pytest.raises(DomainError) as refused:
        job_need_create(actor=enterprise_user, **values)
    assert field in refused.value.fields and label in str(refused.value.fields[field])
    assert not JobNeed.objects.exists()


def test_only_an_enterprises_user_posts_needs(worker_user, changan_officer, lathe, changan):
    from skillcity.accounts.models import Role
    from tests.factories import OrganisationFactory, UserFactory

    school = OrganisationFactory(town=changan, category="technical_school")
    school_user = UserFactory(role=Role.ORGANISATION_USER, organisation=school)
    for user in (worker_user, changan_officer, school_user):
        with pytest.raises(PermissionDenied):
            post_need(user, lathe, changan)


def test_the_database_refuses_a_wage_range_upside_down(enterprise_user, lathe, changan):
    from django.db import IntegrityError, transaction

    need = post_need(enterprise_user, lathe, changan)
    with pytest.raises(IntegrityError), transaction.atomic():
        JobNeed.objects.filter(pk=need.pk).update(wage_min=Decimal("99999"))
    with pytest.raises(IntegrityError), transaction.atomic():
        JobNeed.objects.filter(pk=need.pk).update(head_count=0)


def test_a_town_officer_cannot_open_a_worker_of_another_town_through_a_match(
    other_enterprise_user, worker_user, humen_officer, changan_officer, lathe, humen
):
    # The need is in Humen, the worker lives in Changan and has not accepted: the Humen officer sees
    # the match, masked, but not the worker's full details.
    holds(worker_user.worker, lathe, 3)
    seek(worker_user, lathe, humen)
    match = Match.objects.get(need=post_need(other_enterprise_user, lathe, humen))
    seen = selectors.match_for(humen_officer, match.pk)
    with pytest.raises(NotFound):
        match_contact_view(actor=humen_officer, match=seen)
    assert not AuditEvent.objects.filter(action="personal_data.view").exists()
    assert not selectors.officer_sees_worker(humen_officer, match.worker_id)
    assert selectors.officer_sees_worker(changan_officer, match.worker_id)


def test_withdrawing_a_seekers_need_declines_its_waiting_matches(
    enterprise_user, worker_user, lathe, changan
):
    holds(worker_user.worker, lathe, 3)
    seeker = seek(worker_user, lathe, changan)
    match = Match.objects.get(need=post_need(enterprise_user, lathe, changan))
    seeker_need_withdraw(actor=worker_user, seeker=seeker)
    match.refresh_from_db()
    assert match.state == Match.State.DECLINED
    with pytest.raises(DomainError):
        match_respond(actor=worker_user, match=match, accept=True)
    seek(worker_user, lathe, changan)  # recorded again: the match waits for an answer again
    match.refresh_from_db()
    assert match.state == Match.State.PROPOSED


@pytest.mark.parametrize("state", [JobNeed.State.CLOSED, JobNeed.State.FILLED])
def test_a_match_cannot_be_accepted_once_its_need_is_no_longer_open(
    enterprise_user, worker_user, lathe, changan, state
):
    holds(worker_user.worker, lathe, 3)
    seek(worker_user, lathe, changan)
    match = Match.objects.get(need=post_need(enterprise_user, lathe, changan))
    JobNeed.objects.filter(pk=match.need_id).update(state=state)
    with pytest.raises(DomainError) as refused:
        match_respond(actor=worker_user, match=match, accept=True)
    assert refused.value.code == "need_not_open"
    assert match_respond(actor=worker_user, match=match, accept=False).state == Match.State.DECLINED


def test_a_town_officer_is_not_assigned_a_subject_of_another_town(
    bureau_officer, changan_officer, humen_worker
):
    from skillcity.matching.services.officers import assignment_create

    with pytest.raises(DomainError) as refused:
        assignment_create(actor=bureau_officer, officer=changan_officer, worker=humen_worker)
    assert "officer" in refused.value.fields


def test_assigning_outside_ones_town_says_the_same_as_not_registered(
    client, humen_officer, changan_worker, django_user_model
):
    from skillcity.matching.services.officers import assignment_create
    from tests.factories import make_resident_id

    with pytest.raises(DomainError) as outside:
        assignment_create(actor=humen_officer, officer=humen_officer, worker=changan_worker)
    assert outside.value.fields["subject"] == "未找到或不在您的范围内"
    client.force_login(humen_officer)
    for key in (changan_worker.id_number, make_resident_id()):
        page = client.post(
            "/matching/assignments/", {"subject": "worker", "key": key, "officer": humen_officer.pk}
        ).content.decode()
        assert "未找到或不在您的范围内" in page
