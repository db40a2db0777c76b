"""Awards computed from a competition's records equal the policy engine's outcomes for the same facts,
for every CMP rule; one action makes each application once; the facts say which record they came from."""

from __future__ import annotations

from decimal import Decimal

import pytest

from skillcity.competitions.services import awards
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.grants.models import Application
from skillcity.grants.models import ApplicationState as S
from skillcity.policy.engine import evaluate
from tests.competitions.awards_setup import camp_of, project_of, result_of, worker
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def engine(rule_id, day, facts):
    """The engine's own answer, straight from skillcity.policy.engine (money as strings, as stored)."""
    from skillcity.grants.outcomes import _plain

    return _plain(evaluate(rule_id, day, facts).as_dict())


@pytest.fixture
def records():
    """One competition per rule family, each with what its rule reads."""
    made = {}
    # City class-1: a gold team of two, a bronze, an excellence and a result with no award.
    city = project_of("city_class1")
    a, b = worker(), worker()
    made["city_gold"] = result_of(city, "gold", players=[a, b])
    made["city_bronze"] = result_of(city, "bronze", rank=2)
    result_of(city, "excellence", rank=3)
    result_of(city, "", rank=4)
    made["city"] = city
    # National class-2 (external): a hosted project, two units' entries, camps with trainees.
    national = project_of("national_class2", external=True)
    coach = worker(name="林教练")
    made["national_gold"] = result_of(national, "gold", coach=coach, prize="600000")
    made["national_silver"] = result_of(national, "silver", rank=2, coach=coach, prize="0")
    result_of(national, "excellence", rank=3)  # no CMP-MATCH for 优胜奖
    made["camp"] = camp_of(national, trainees=[(worker(), 3), (worker(), 2)])
    made["national"] = national
    # Provincial class-1 before the joint cap (2022): the coaching team's share uncapped.
    provincial = project_of("provincial_class1", year=2022)
    made["provincial_gold"] = result_of(provincial, "gold", coach=worker(), prize="900000")
    made["provincial"] = provincial
    # WorldSkills: a bronze team of two with a coach; a completed national selection camp (a base).
    ws = project_of("worldskills", external=True, host_unit=None)
    ws_coach = worker(name="世赛教练")
    made["ws_bronze"] = result_of(ws, "bronze", players=[worker(), worker()], coach=ws_coach)
    made["ws_base"] = camp_of(ws, selection_level="national")
    camp_of(ws, selection_level="provincial", completed=False)  # not completed: nothing yet
    made["ws"] = ws
    return made


def claims_of(project):
    return awards.claims_for(project.competition)


def test_every_cmp_award_computed_from_records_equals_the_engine_outcome(records):
    claims = [c for key in ("city", "national", "provincial", "ws") for c in claims_of(records[key])]
    assert {c.rule_id for c in claims} == set(awards.AWARD_RULES)
    for claim in claims:
        assert claim.outcome == engine(claim.rule_id, claim.event_date, claim.facts), claim.source_key
        assert set(claim.fact_sources) == set(claim.facts), claim.source_key
        assert all(claim.fact_sources.values())


def test_city_class1_prizes_go_to_each_player_of_a_medal_or_excellence(records):
    claims = [c for c in claims_of(records["city"]) if c.rule_id == "CMP-PRIZE-CITY"]
    gold = records["city_gold"]
    players = {p.worker for p in gold.entry.players.all()}
    assert {c.payee for c in claims if f"result:{gold.pk}:" in c.source_key} == players
    assert len(claims) == 4  # two gold players, one bronze, one excellence; the unplaced entry none
    amounts = sorted(Decimal(c.outcome["amount"]) for c in claims)
    assert amounts == [Decimal("1000"), Decimal("5000"), Decimal("10000"), Decimal("10000")]
    host = [c for c in claims_of(records["city"]) if c.rule_id == "CMP-HOST"]
    assert len(host) == 1 and host[0].payee == records["city"].host_unit
    assert host[0].outcome["basis"] == "floor" and host[0].outcome["amount"] == "200000.00"
    assert not [c for c in claims_of(records["city"]) if c.rule_id in ("CMP-TEAM", "CMP-CAMP")]


def test_national_results_give_matched_awards_team_camp_and_a_case_by_case_host(records):
    claims = claims_of(records["national"])
    by_rule = {}
    for c in claims:
        by_rule.setdefault(c.rule_id, []).append(c)
    gold = records["national_gold"]
    match = {c.source_key: c for c in by_rule["CMP-MATCH"]}
    assert len(match) == 2  # gold and silver, not excellence
    gold_claim = next(c for c in match.values() if f"result:{gold.pk}:" in c.source_key)
    assert gold_claim.facts == {
        "competition_level": "national_class2",
        "contest_prize_money": "600000.00",
    }
    assert gold_claim.outcome["amount"] == "600000.00"
    assert by_rule["CMP-HOST"][0].outcome["basis"] == "case_by_case"
    assert len(by_rule["CMP-TEAM"]) == 3  # one per unit with an entry
    assert len(by_rule["CMP-CAMP"]) == 1 and by_rule["CMP-CAMP"][0].payee == records["camp"].unit
    months = sorted(c.facts["camp_months"] for c in by_rule["CMP-CAMP-TRAINEE"])
    assert months == [2, 3]
    assert sorted(c.outcome["amount"] for c in by_rule["CMP-CAMP-TRAINEE"]) == ["6000.00", "9000.00"]


def test_the_joint_cap_leaves_the_coaching_team_what_the_player_did_not_take(records):
    """D003 §一(五)一: 750,000 for a winner and their coaching team together (D-XX)."""
    coach = {
        Decimal(c.facts["players_award"]): c
        for c in claims_of(records["national"])
        if c.rule_id == "CMP-MATCH-COACH"
    }
    # 600,000 to the player: the team's 50% (300,000) is cut to what the cap leaves, 150,000.
    assert coach[Decimal("600000.00")].outcome["amount"] == "150000.00"
    assert coach[Decimal("600000.00")].payee.name == "林教练"
    # No prize: 50,000 by level, the team 25,000 (far below the cap).
    assert coach[Decimal("50000.00")].outcome["amount"] == "25000.00"


def test_a_player_at_the_cap_leaves_the_coaching_team_nothing(bureau_officer):
    project = project_of("national_class1", external=True)
    result_of(project, "gold", coach=worker(), prize="800000")
    claims = awards.claims_for(project.competition)
    player = next(c for c in claims if c.rule_id == "CMP-MATCH")
    assert player.outcome["amount"] == "750000.00"
    team = next(c for c in claims if c.rule_id == "CMP-MATCH-COACH")
    assert team.eligible is False and team.outcome["basis"] == "none"
    made = awards.awards_generate(competition=project.competition, actor=bureau_officer)
    assert {a.rule_id for a in made} == {"CMP-MATCH", "CMP-TEAM", "CMP-HOST"}


def test_before_the_cap_the_coaching_team_gets_its_full_share(records):
    coach = next(c for c in claims_of(records["provincial"]) if c.rule_id == "CMP-MATCH-COACH")
    assert coach.facts == {"players_award": "900000.00"}
    assert coach.outcome["amount"] == "450000.00"


def test_worldskills_medals_the_coachs_150_percent_and_a_completed_selection_base(records):
    claims = claims_of(records["ws"])
    medals = [c for c in claims if c.rule_id == "CMP-WORLDSKILLS"]
    assert len(medals) == 2 and all(c.outcome["amount"] == "150000.00" for c in medals)
    coach = next(c for c in claims if c.rule_id == "CMP-WORLDSKILLS-COACH")
    assert coach.facts == {"players_awards_total": "300000.00"}
    assert coach.outcome["amount"] == "450000.00" and coach.payee.name == "世赛教练"
    base = [c for c in claims if c.rule_id == "CMP-WS-BASE"]
    assert (
        len(base) == 1
        and base[0].payee == records["ws_base"].unit
        and base[0].outcome["amount"] == "500000.00"
    )
    # A selection camp is paid as a base, not also as a unit's camp.
    assert not [c for c in claims if c.rule_id == "CMP-CAMP"]


def test_one_action_makes_every_application_once_and_a_second_makes_none(records, bureau_officer):
    competition = records["national"].competition
    claims = awards.claims_for(competition)
    made = awards.awards_generate(competition=competition, actor=bureau_officer)
    eligible = [c for c in claims if c.eligible]
    assert len(made) == len(eligible) and all(a.state == S.IN_REVIEW for a in made)
    assert {a.source_key for a in made} == {c.source_key for c in eligible}
    for app in made:
        assert app.created_by == bureau_officer and app.fact_sources
    assert awards.awards_generate(competition=competition, actor=bureau_officer) == []
    assert Application.objects.count() == len(made)
    after = awards.claims_for(competition)
    assert all(c.application is not None for c in after if c.eligible)


def test_one_row_is_generated_alone_and_refused_the_second_time_naming_it(records, bureau_officer):
    claim = next(c for c in claims_of(records["city"]) if c.rule_id == "CMP-HOST")
    made = awards.awards_generate(
        competition=records["city"].competition, actor=bureau_officer, source_key=claim.source_key
    )
    assert len(made) == 1 and made[0].organisation == records["city"].host_unit
    with pytest.raises(DomainError) as err:
        awards.awards_generate(
            competition=records["city"].competition, actor=bureau_officer, source_key=claim.source_key
        )
    assert err.value.code == "source_already_claimed" and records["city"].name in err.value.message


def test_the_organiser_may_generate_another_unit_may_not(records):
    competition = records["city"].competition
    organiser_user = UserFactory(role="organisation_user", organisation=competition.organiser)
    assert awards.awards_generate(competition=competition, actor=organiser_user)
    other = UserFactory(role="organisation_user", organisation=OrganisationFactory())
    with pytest.raises(PermissionDenied):
        awards.awards_generate(competition=competition, actor=other)


def test_unconfirmed_results_give_nothing(bureau_officer):
    project = project_of("city_class1")
    result_of(project, "gold")
    project.state = "marking"
    project.save(update_fields=["state"])
    assert awards.claims_for(project.competition) == []
