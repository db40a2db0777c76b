"""东莞市技术能手 awarded from confirmed results: per the quota (the competition's, else the pack's),
signed, recorded as a skill record, audited, told to the holder; once per result and player."""

from __future__ import annotations

import datetime
import re

import pytest

from skillcity.accounts.models import Role
from skillcity.certification import signing
from skillcity.competitions.models import ContestProject, Title
from skillcity.competitions.services import titles
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.core.models import AuditEvent
from skillcity.notifications.models import Notification, NotificationKind
from skillcity.registry.models import SkillRecord
from tests.competitions.titles_helpers import a_worker, confirmed_project, players_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AWARDED_ON = datetime.date(2024, 10, 8)
TOTALS = ["95", "90", "88", "80", "75", "50"]


def test_it_awards_the_pack_quota_of_three_places_with_a_signed_title_and_a_skill_record(bureau_officer):
    project = confirmed_project(totals=TOTALS)
    made = titles.titles_award(project=project, actor=bureau_officer, awarded_on=AWARDED_ON)
    winners = players_of(project)[:3]
    assert [t.worker for t in made] == winners  # the pack's CMP-TITLE.per_contest is 3
    title = made[0]
    assert re.fullmatch(r"DGJSNS2024\d{6}", title.number)
    assert len({t.number for t in made}) == 3
    record = title.skill_record
    assert record is not None
    assert (record.kind, record.honour, record.obtained_on) == (
        "honour",
        "dongguan_technical_expert",
        AWARDED_ON,
    )
    check = signing.verify_token(title.qr_token)
    assert check.valid and check.payload is not None
    assert check.payload["t"] == "title" and check.payload["n"] == title.number
    assert check.payload_type == "title"
    assert AuditEvent.objects.filter(action="title.award", target_id=str(title.pk)).exists()


def test_the_competitions_own_quota_decides(bureau_officer):
    one = confirmed_project(totals=TOTALS, title_quota=1)
    assert len(titles.titles_award(project=one, actor=bureau_officer, awarded_on=AWARDED_ON)) == 1
    five = confirmed_project(totals=TOTALS, title_quota=5)
    assert len(titles.titles_award(project=five, actor=bureau_officer, awarded_on=AWARDED_ON)) == 5


def test_a_place_within_the_quota_without_an_award_gets_no_title(bureau_officer):
    # Pass mark 85: the third (88) passes, the fourth (80) does not, though the quota reaches it.
    project = confirmed_project(totals=TOTALS, title_quota=4, pass_mark="85")
    made = titles.titles_award(project=project, actor=bureau_officer, awarded_on=AWARDED_ON)
    assert len(made) == 3


def test_awarding_again_awards_no_one_twice(bureau_officer):
    project = confirmed_project(totals=TOTALS)
    titles.titles_award(project=project, actor=bureau_officer, awarded_on=AWARDED_ON)
    assert titles.titles_award(competition=project.competition, actor=bureau_officer) == []
    assert Title.objects.count() == 3
    assert SkillRecord.objects.filter(kind="honour").count() == 3


def test_each_player_of_a_winning_team_is_titled(bureau_officer):
    pair = [a_worker(), a_worker()]
    project = confirmed_project(totals=TOTALS, title_quota=1, teams={1: pair})
    made = titles.titles_award(project=project, actor=bureau_officer, awarded_on=AWARDED_ON)
    assert sorted(t.worker_id for t in made) == sorted(w.pk for w in pair)


def test_the_holder_is_told(bureau_officer):
    project = confirmed_project(totals=TOTALS, title_quota=1)
    winner = players_of(project)[0]
    holder = UserFactory(role=Role.WORKER, worker=winner)
    (title,) = titles.titles_award(project=project, actor=bureau_officer, awarded_on=AWARDED_ON)
    notice = Notification.objects.get(user=holder)
    assert notice.kind == NotificationKind.TITLE_AWARDED
    assert title.number in notice.text and "东莞市技术能手" in notice.text


def test_the_organiser_may_award_another_unit_may_not(enterprise_user):
    project = confirmed_project(totals=TOTALS)
    with pytest.raises(PermissionDenied):
        titles.titles_award(project=project, actor=enterprise_user, awarded_on=AWARDED_ON)
    organiser_user = UserFactory(role=Role.ORGANISATION_USER, organisation=project.competition.organiser)
    assert len(titles.titles_award(project=project, actor=organiser_user, awarded_on=AWARDED_ON)) == 3


def test_it_refuses_results_not_confirmed(bureau_officer):
    project = confirmed_project(totals=TOTALS)
    ContestProject.objects.filter(pk=project.pk).update(state=ContestProject.State.MARKING)
    with pytest.raises(DomainError) as caught:
        titles.titles_award(project=project, actor=bureau_officer)
    assert caught.value.code == "results_not_confirmed"


@pytest.mark.parametrize("level", ["provincial_class1", "town", "city_selection"])
def test_it_refuses_a_competition_that_is_not_city_class_1_or_2(bureau_officer, level):
    project = confirmed_project(totals=TOTALS, level=level)
    with pytest.raises(DomainError) as caught:
        titles.titles_award(project=project, actor=bureau_officer, awarded_on=AWARDED_ON)
    assert caught.value.code == "title_level"


def test_it_refuses_an_award_date_before_the_contest_ended(bureau_officer):
    project = confirmed_project(totals=TOTALS)
    with pytest.raises(DomainError) as caught:
        titles.titles_award(project=project, actor=bureau_officer, awarded_on=datetime.date(2024, 9, 1))
    assert "awarded_on" in caught.value.fields


def test_a_contest_held_when_the_rule_was_not_in_force_is_refused_naming_the_rule(bureau_officer):
    project = confirmed_project(totals=TOTALS)
    ContestProject.objects.filter(pk=project.pk).update(
        starts_on=datetime.date(2021, 9, 10), ends_on=datetime.date(2021, 9, 11)
    )
    with pytest.raises(DomainError) as caught:
        titles.titles_award(project=project, actor=bureau_officer, awarded_on=AWARDED_ON)
    assert "CMP-TITLE" in str(caught.value.message)
    assert not Title.objects.exists()
