"""Promotions: a confirmed result's players get a certificate through certification (the organiser is
the evaluator), a skill record and a Promotion row; once only; never to a level already held."""

from __future__ import annotations

import datetime

import pytest

from skillcity.accounts.models import Role
from skillcity.certification import numbering
from skillcity.certification import services as certification
from skillcity.certification.models import Certificate, Session
from skillcity.competitions.models import Promotion
from skillcity.competitions.services import promotions
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.registry.models import SkillRecord
from tests.competitions.titles_helpers import active_evaluator, confirmed_project, lathe, players_of
from tests.factories import AspectFactory, OrganisationFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

ISSUED_ON = datetime.date(2024, 10, 20)
# 12 places: 1–3, 4–10, then two who passed outside the bands; the last one failed (under 60).
TOTALS = ["98", "95", "93", "90", "88", "85", "82", "80", "78", "75", "70", "65", "40"]


@pytest.fixture
def organiser(bureau_officer):
    organisation = OrganisationFactory(category="association", name="东莞市职业技能鉴定协会")
    active_evaluator(organisation, lathe(), bureau_officer)
    return organisation


def test_the_city_default_rule_promotes_by_band_and_the_pass_mark(bureau_officer, organiser):
    project = confirmed_project(totals=TOTALS, organiser=organiser)
    report = promotions.promotions_issue(project=project, actor=bureau_officer, issued_on=ISSUED_ON)
    levels = {p.worker_id: p.level for p in report.promoted}
    players = players_of(project)
    assert [levels.get(w.pk) for w in players] == [3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 5, 5, None]
    assert not report.skipped


def test_a_promotion_is_a_certificate_in_the_national_format_with_a_skill_record(bureau_officer, organiser):
    project = confirmed_project(totals=["98"], organiser=organiser)
    (promotion,) = promotions.promotions_issue(
        project=project, actor=bureau_officer, issued_on=ISSUED_ON
    ).promoted
    certificate = promotion.certificate
    assert numbering.is_valid_number(certificate.number)
    assert certificate.evaluator.organisation == organiser
    assert (certificate.level, certificate.occupation, certificate.issued_on) == (
        3,
        project.occupation,
        ISSUED_ON,
    )
    session = certificate.candidate.session
    assert (session.kind, session.date, session.direction) == (
        Session.Kind.PROMOTION,
        project.ends_on,
        "数控车工",
    )
    assert certificate.candidate.exceptional_grounds == "competition_result"
    assert "第1名" in certificate.candidate.exceptional_note
    assert certificate.candidate.theory_score == certificate.candidate.practical_score == 98
    record = certificate.skill_record
    assert record is not None and (record.kind, record.level) == (SkillRecord.Kind.SKILL_LEVEL, 3)
    promotion.worker.refresh_from_db()
    assert promotion.worker.highest_level == 3


def test_the_scores_are_a_percentage_of_the_schemes_maximum(bureau_officer, organiser):
    project = confirmed_project(totals=["45"], organiser=organiser, pass_mark="30")
    section = SectionFactory(project=project)
    AspectFactory(section=section, max_mark=50)
    (promotion,) = promotions.promotions_issue(
        project=project, actor=bureau_officer, issued_on=ISSUED_ON
    ).promoted
    assert promotion.certificate.candidate.practical_score == 90


def test_a_total_under_sixty_percent_is_skipped_with_the_reason(bureau_officer, organiser):
    project = confirmed_project(totals=["55"], organiser=organiser, pass_mark="50")
    report = promotions.promotions_issue(project=project, actor=bureau_officer, issued_on=ISSUED_ON)
    assert not report.promoted and "60" in report.skipped[0][2]


def test_it_promotes_once_only(bureau_officer, organiser):
    project = confirmed_project(totals=["98", "90"], organiser=organiser)
    promotions.promotions_issue(project=project, actor=bureau_officer, issued_on=ISSUED_ON)
    again = promotions.promotions_issue(
        competition=project.competition, actor=bureau_officer, issued_on=ISSUED_ON
    )
    assert again.promoted == [] and Promotion.objects.count() == Certificate.objects.count() == 2


def test_a_player_holding_that_level_or_higher_is_skipped_with_the_reason(bureau_officer, organiser):
    project = confirmed_project(totals=["98"], organiser=organiser)
    (player,) = players_of(project)
    from skillcity.registry.services import skill_record_add

    skill_record_add(
        worker=player,
        kind=SkillRecord.Kind.SKILL_LEVEL,
        actor=bureau_officer,
        obtained_on=datetime.date(2020, 1, 1),
        occupation=project.occupation,
        level=2,
    )
    report = promotions.promotions_issue(project=project, actor=bureau_officer, issued_on=ISSUED_ON)
    assert report.promoted == []
    assert report.skipped[0][0] == player and "二级/技师" in report.skipped[0][2]


def test_it_refuses_when_the_organiser_is_not_an_active_evaluator(bureau_officer):
    project = confirmed_project(totals=["98"])
    with pytest.raises(DomainError) as caught:
        promotions.promotions_issue(project=project, actor=bureau_officer, issued_on=ISSUED_ON)
    assert caught.value.code == "organiser_not_evaluator"
    assert project.competition.organiser.name in str(caught.value.message)


def test_it_refuses_a_suspended_evaluator_naming_its_state(bureau_officer, organiser):
    certification.evaluator_suspend(evaluator=organiser.evaluator, reason="整改", actor=bureau_officer)
    project = confirmed_project(totals=["98"], organiser=organiser)
    with pytest.raises(DomainError) as caught:
        promotions.promotions_issue(project=project, actor=bureau_officer, issued_on=ISSUED_ON)
    assert "已暂停" in str(caught.value.message)


def test_another_unit_may_not_issue_promotions(organiser, enterprise_user):
    project = confirmed_project(totals=["98"], organiser=organiser)
    with pytest.raises(PermissionDenied):
        promotions.promotions_issue(project=project, actor=enterprise_user, issued_on=ISSUED_ON)
    organiser_user = UserFactory(role=Role.ORGANISATION_USER, organisation=organiser)
    assert (
        len(promotions.promotions_issue(project=project, actor=organiser_user, issued_on=ISSUED_ON).promoted)
        == 1
    )


def test_the_competitions_own_rule_applies(bureau_officer, organiser):
    rule = {"bands": [{"from": 1, "to": 1, "level": 2}], "pass_level": None}
    project = confirmed_project(totals=["98", "90"], organiser=organiser, promotion_rule=rule)
    report = promotions.promotions_issue(project=project, actor=bureau_officer, issued_on=ISSUED_ON)
    assert [p.level for p in report.promoted] == [2]


@pytest.mark.parametrize(
    "rule",
    [
        {"bands": [{"from": 1, "to": 3, "level": 2}, {"from": 3, "to": 10, "level": 3}]},
        {"bands": [{"from": 1, "to": 3, "level": 3}, {"from": 4, "to": 10, "level": 2}]},
        {"bands": [{"from": 1, "to": 3, "level": 6}]},
        {"bands": [{"from": 0, "to": 3, "level": 2}]},
        {"bands": [{"from": 1, "to": 3}]},
        {"bands": [], "pass_level": 0},
        {"bands": [{"from": 1, "to": 3, "level": 3}], "pass_level": 2},
        {"levels": []},
        [],
    ],
)
def test_a_bad_rule_is_refused_naming_the_problem(rule):
    with pytest.raises(DomainError) as caught:
        promotions.rule_parse(rule)
    assert "promotion_rule" in caught.value.fields


def test_the_default_rules_are_one_level_lower_for_city_contests():
    city = promotions.rule_parse(promotions.CITY_DEFAULT)
    provincial = promotions.rule_parse(promotions.PROVINCIAL_DEFAULT)
    for rank in (1, 3, 4, 10, 11):
        assert city.level_for(rank) == provincial.level_for(rank) + 1  # type: ignore[operator]


def test_a_level_outside_the_evaluators_scope_is_refused_by_certification(bureau_officer):
    organiser = OrganisationFactory(category="association")
    filed = certification.evaluator_file(
        organisation=organiser, kind="social_organisation", scope=[(lathe(), 4, 5)], actor=bureau_officer
    )
    certification.evaluator_review(evaluator=filed, decision="approve", note="", actor=bureau_officer)
    project = confirmed_project(totals=["98"], organiser=organiser)
    with pytest.raises(DomainError) as caught:
        promotions.promotions_issue(project=project, actor=bureau_officer, issued_on=ISSUED_ON)
    assert caught.value.code == "outside_scope" and not Promotion.objects.exists()
