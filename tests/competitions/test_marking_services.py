"""Competitions, registrations, schemes, judges, marks and results: the rules of the services."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from skillcity.accounts.models import Role
from skillcity.competitions.models import Competition, ContestProject, Mark, Result
from skillcity.competitions.selectors.contests import results_for, spread_flags
from skillcity.competitions.services import contests, marking, results
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.core.models import AuditEvent
from tests.competitions.marking_setup import SCHEME, make_competition, make_marked, mark_entry
from tests.factories import (
    CompetitionFactory,
    OccupationFactory,
    OrganisationFactory,
    UserFactory,
    WorkerFactory,
)

pytestmark = pytest.mark.django_db


# --- competitions --------------------------------------------------------------------------------


def test_bureau_creates_a_competition_with_its_award_scheme_and_an_audit_row(bureau_officer):
    comp = make_competition(
        bureau_officer,
        gold_places=2,
        pass_mark="65.5",
        title_quota=3,
        promotion_rule={
            "bands": [{"from": 1, "to": 3, "level": 2}, {"from": 4, "to": 10, "level": 3}],
            "pass_level": 4,
        },
    )
    assert comp.state == Competition.State.DRAFT
    assert comp.gold_places == 2 and comp.pass_mark == Decimal("65.5") and comp.title_quota == 3
    assert comp.promotion_rule["bands"][1] == {"from": 4, "to": 10, "level": 3}
    assert AuditEvent.objects.filter(action="competition.create", target_id=str(comp.pk)).exists()
    contests.competition_publish(competition=comp, actor=bureau_officer)
    comp.refresh_from_db()
    assert comp.state == Competition.State.PUBLISHED


def test_a_town_contest_needs_a_town(bureau_officer, changan):
    with pytest.raises(DomainError) as exc:
        make_competition(bureau_officer, level="town")
    assert exc.value.code == "town_required" and "镇街" in exc.value.fields["town"]
    comp = make_competition(bureau_officer, level="town", town=changan)
    assert comp.town == changan


def test_a_town_officer_creates_only_its_own_towns_contests(changan_officer, changan, humen):
    comp = make_competition(changan_officer, level="town", town=changan, organiser_name="长安镇人社分局")
    assert contests.can_organise(changan_officer, comp)
    with pytest.raises(PermissionDenied):
        make_competition(changan_officer, level="town", town=humen, organiser_name="虎门镇人社分局")
    with pytest.raises(PermissionDenied):
        make_competition(changan_officer, level="city_class1", organiser_name="长安镇人社分局")


def test_a_city_selection_links_the_provincial_or_higher_competition_it_feeds(bureau_officer):
    provincial = make_competition(bureau_officer, level="provincial_class1", name="广东省职业技能大赛")
    city = make_competition(bureau_officer, level="city_class1", name="东莞市职业技能大赛")
    with pytest.raises(DomainError) as exc:
        make_competition(bureau_officer, level="city_selection")
    assert exc.value.code == "feeds_required" and "feeds" in exc.value.fields
    with pytest.raises(DomainError) as exc:
        make_competition(bureau_officer, level="city_selection", feeds=city)
    assert exc.value.code == "feeds_level" and "东莞市职业技能大赛" in str(exc.value.message)
    with pytest.raises(DomainError):
        make_competition(bureau_officer, level="city_class1", feeds=provincial)
    selection = make_competition(bureau_officer, level="city_selection", feeds=provincial)
    assert selection.feeds == provincial and list(provincial.selections.all()) == [selection]


@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("year", 1999, "年度"),
        ("gold_places", -1, "金奖名额"),
        ("pass_mark", "100.5", "合格分数线"),
        ("title_quota", 1000, "技术能手称号名额"),
        ("promotion_rule", {"bands": [{"from": 3, "to": 1, "level": 2}]}, "晋升等级规则"),
        ("promotion_rule", {"bands": [{"from": 1, "to": 3, "level": 6}]}, "等级"),
        (
            "promotion_rule",
            {"bands": [{"from": 1, "to": 3, "level": 2}, {"from": 3, "to": 5, "level": 3}]},
            "重叠",
        ),
    ],
)
def test_competition_parameters_out_of_bounds_are_refused_naming_the_field(
    bureau_officer, field, value, label
):
    with pytest.raises(DomainError) as exc:
        make_competition(bureau_officer, **{field: value})
    assert field in exc.value.fields and label in str(exc.value.message)


def test_an_organisation_user_organises_only_for_its_own_organisation(enterprise_user, changan_enterprise):
    with pytest.raises(PermissionDenied):
        make_competition(enterprise_user, organiser=OrganisationFactory())
    comp = make_competition(enterprise_user, organiser=changan_enterprise)
    other = CompetitionFactory()
    with pytest.raises(PermissionDenied):
        contests.project_create(
            competition=other,
            actor=enterprise_user,
            name="焊接",
            occupation=OccupationFactory(),
            level=3,
            starts_on=datetime.date(2024, 9, 1),
            ends_on=datetime.date(2024, 9, 2),
        )
    assert contests.can_organise(enterprise_user, comp)


def test_a_worker_cannot_create_a_competition(worker_user):
    with pytest.raises(PermissionDenied):
        make_competition(worker_user, organiser=OrganisationFactory())


# --- registrations -------------------------------------------------------------------------------


def test_a_unit_registers_only_its_own_workers(bureau_officer):
    m = make_marked(bureau_officer, entries=0)
    unit = OrganisationFactory(name="东莞市报名单位")
    unit_user = UserFactory(role=Role.ORGANISATION_USER, organisation=unit)
    stranger = WorkerFactory(name="外单位人员", employer=OrganisationFactory())
    with pytest.raises(DomainError) as exc:
        contests.entry_register(project=m.project, actor=unit_user, unit=unit, workers=[stranger])
    assert exc.value.code == "player_not_employee" and "外单位人员" in str(exc.value.message)
    with pytest.raises(PermissionDenied):
        contests.entry_register(
            project=m.project, actor=unit_user, unit=OrganisationFactory(), workers=[stranger]
        )
    own = WorkerFactory(employer=unit, name="本单位选手")
    coach = WorkerFactory(employer=unit, name="教练甲")
    entry = contests.entry_register(project=m.project, actor=unit_user, unit=unit, workers=[own], coach=coach)
    assert entry.coach_label == "教练甲" and entry.bib == "001"
    with pytest.raises(DomainError) as exc:
        contests.entry_register(project=m.project, actor=unit_user, unit=unit, workers=[own])
    assert exc.value.code == "player_already_entered"


def test_a_team_needs_a_name_and_fits_the_team_size(bureau_officer):
    m = make_marked(bureau_officer, entries=0)
    unit = OrganisationFactory()
    players = [WorkerFactory(employer=unit), WorkerFactory(employer=unit)]
    with pytest.raises(DomainError) as exc:
        contests.entry_register(project=m.project, actor=bureau_officer, unit=unit, workers=players)
    assert exc.value.code == "team_too_large"
    ContestProject.objects.filter(pk=m.project.pk).update(team_size=2)
    with pytest.raises(DomainError) as exc:
        contests.entry_register(project=m.project, actor=bureau_officer, unit=unit, workers=players)
    assert exc.value.code == "team_name_required" and "team_name" in exc.value.fields
    entry = contests.entry_register(
        project=m.project,
        actor=bureau_officer,
        unit=unit,
        workers=players,
        team_name="精工队",
        coach_name="王教练",
    )
    assert entry.players.count() == 2 and entry.coach_label == "王教练"


# --- schemes -------------------------------------------------------------------------------------


def test_a_bad_scheme_is_refused_listing_every_bad_value(bureau_officer):
    m = make_marked(bureau_officer, entries=0)
    bad = [
        {
            "code": "A",
            "name": "",
            "aspects": [
                {"code": "A1", "description": "尺寸", "kind": "measurement", "max_mark": "101"},
                {"code": "A1", "description": "外观", "kind": "guess", "max_mark": "5"},
            ],
        }
    ]
    with pytest.raises(DomainError) as exc:
        contests.scheme_set(project=m.project, actor=bureau_officer, sections=bad)
    fields = exc.value.fields
    assert set(fields) == {
        "sections.0.name",
        "sections.0.aspects.0.max_mark",
        "sections.0.aspects.1.code",
        "sections.0.aspects.1.kind",
    }


def test_the_scheme_is_refused_once_any_mark_exists(bureau_officer):
    m = make_marked(bureau_officer)
    marking.marks_save(
        judge=m.judges[0], entry=m.entries[0], actor=m.judge_users[0], scores={m.measurement.pk: "10"}
    )
    with pytest.raises(DomainError) as exc:
        contests.scheme_set(project=m.project, actor=m.organiser_user, sections=SCHEME)
    assert exc.value.code == "scheme_locked"


# --- judges --------------------------------------------------------------------------------------


def test_a_judge_from_a_unit_with_a_player_in_the_project_is_refused_naming_the_unit(bureau_officer):
    m = make_marked(bureau_officer)
    colleague = WorkerFactory(employer=m.units[0], name="同单位专家")
    with pytest.raises(DomainError) as exc:
        contests.judge_assign(project=m.project, actor=m.organiser_user, worker=colleague)
    assert exc.value.code == "judge_conflict"
    assert m.units[0].name in str(exc.value.message) and m.units[0].name in exc.value.fields["worker"]


def test_a_unit_whose_staff_judges_the_project_cannot_field_a_player(bureau_officer):
    m = make_marked(bureau_officer)
    judge_unit = m.judges[0].unit
    with pytest.raises(DomainError) as exc:
        contests.entry_register(
            project=m.project,
            actor=bureau_officer,
            unit=judge_unit,
            workers=[WorkerFactory(employer=judge_unit)],
        )
    assert exc.value.code == "judge_conflict" and judge_unit.name in str(exc.value.message)


def test_one_chief_judge_per_project(bureau_officer):
    m = make_marked(bureau_officer)
    with pytest.raises(DomainError) as exc:
        contests.judge_assign(
            project=m.project, actor=m.organiser_user, worker=WorkerFactory(), is_chief=True
        )
    assert exc.value.code == "chief_exists"


# --- marks ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("which", "score"),
    [("measurement", "20.01"), ("measurement", "-1"), ("judgement", "4"), ("judgement", "1.5")],
)
def test_marks_outside_the_aspects_range_are_refused_naming_the_aspect(bureau_officer, which, score):
    m = make_marked(bureau_officer)
    aspect = getattr(m, which)
    with pytest.raises(DomainError) as exc:
        marking.marks_save(
            judge=m.judges[0], entry=m.entries[0], actor=m.judge_users[0], scores={aspect.pk: score}
        )
    assert exc.value.code == "marks_invalid"
    assert aspect.code in exc.value.fields[f"score_{aspect.pk}"] and aspect.description in str(
        exc.value.message
    )
    assert not Mark.objects.exists()


def test_only_the_assigned_judge_enters_marks(bureau_officer):
    m = make_marked(bureau_officer)
    with pytest.raises(PermissionDenied):
        marking.marks_save(
            judge=m.judges[0], entry=m.entries[0], actor=m.judge_users[1], scores={m.measurement.pk: 5}
        )
    with pytest.raises(PermissionDenied):
        marking.marks_save(
            judge=m.judges[0], entry=m.entries[0], actor=bureau_officer, scores={m.measurement.pk: 5}
        )
    other = make_marked(bureau_officer)
    with pytest.raises(DomainError) as exc:
        marking.marks_save(
            judge=m.judges[0], entry=other.entries[0], actor=m.judge_users[0], scores={m.measurement.pk: 5}
        )
    assert exc.value.code == "entry_not_in_project"


def test_a_measurement_is_marked_by_one_judge_and_a_judgement_by_three(bureau_officer):
    m = make_marked(bureau_officer)
    entry = m.entries[0]
    marking.marks_save(
        judge=m.judges[0], entry=entry, actor=m.judge_users[0], scores={m.measurement.pk: "12.5"}
    )
    with pytest.raises(DomainError) as exc:
        marking.marks_save(
            judge=m.judges[1], entry=entry, actor=m.judge_users[1], scores={m.measurement.pk: "12"}
        )
    assert "其他裁判" in exc.value.fields[f"score_{m.measurement.pk}"]
    for judge, user in zip(m.judges, m.judge_users, strict=True):
        marking.marks_save(judge=judge, entry=entry, actor=user, scores={m.judgement.pk: 2})
    fourth = WorkerFactory()
    judge4 = contests.judge_assign(project=m.project, actor=m.organiser_user, worker=fourth)
    user4 = UserFactory(role=Role.WORKER, worker=fourth)
    with pytest.raises(DomainError) as exc:
        marking.marks_save(judge=judge4, entry=entry, actor=user4, scores={m.judgement.pk: 2})
    assert "3 名裁判" in str(exc.value.message)


def test_a_draft_is_changed_in_place_and_a_submitted_mark_is_locked(bureau_officer):
    m = make_marked(bureau_officer)
    judge, user, entry = m.judges[0], m.judge_users[0], m.entries[0]
    marking.marks_save(judge=judge, entry=entry, actor=user, scores={m.measurement.pk: "10"})
    marking.marks_save(judge=judge, entry=entry, actor=user, scores={m.measurement.pk: "11"})
    assert list(Mark.objects.values_list("score", "state")) == [(Decimal("11"), "draft")]
    marking.marks_save(judge=judge, entry=entry, actor=user, scores={}, submit=True)
    assert Mark.objects.get().state == Mark.State.SUBMITTED
    with pytest.raises(DomainError) as exc:
        marking.marks_save(judge=judge, entry=entry, actor=user, scores={m.measurement.pk: "15"})
    assert "锁定" in exc.value.fields[f"score_{m.measurement.pk}"]
    assert Mark.objects.get().score == Decimal("11")
    m.project.refresh_from_db()
    assert m.project.state == ContestProject.State.MARKING


def test_a_correction_is_a_new_row_with_its_reason_and_an_audit_row(bureau_officer):
    m = make_marked(bureau_officer)
    judge, user, entry = m.judges[1], m.judge_users[1], m.entries[0]
    (mark,) = marking.marks_save(
        judge=judge, entry=entry, actor=user, scores={m.judgement.pk: 1}, submit=True
    )
    with pytest.raises(DomainError) as exc:
        marking.mark_correct(mark=mark, actor=user, score=2, reason=" ")
    assert "reason" in exc.value.fields
    with pytest.raises(DomainError) as exc:
        marking.mark_correct(mark=mark, actor=user, score=5, reason="看错图纸")
    assert m.judgement.code in str(exc.value.message)
    with pytest.raises(PermissionDenied):
        marking.mark_correct(mark=mark, actor=m.judge_users[2], score=2, reason="看错图纸")
    correction = marking.mark_correct(mark=mark, actor=user, score=2, reason="看错图纸")
    assert correction.pk != mark.pk and correction.corrects == mark and correction.reason == "看错图纸"
    mark.refresh_from_db()
    assert mark.score == Decimal("1")  # the ledger keeps the original
    assert AuditEvent.objects.filter(action="competition.mark_correct", target_id=str(correction.pk)).exists()
    with pytest.raises(DomainError) as exc:
        marking.mark_correct(mark=mark, actor=user, score=3, reason="再改")
    assert exc.value.code == "mark_superseded"
    # The chief judge corrects any judge's mark.
    chief_fix = marking.mark_correct(mark=correction, actor=m.judge_users[0], score=3, reason="裁判长复核")
    assert chief_fix.corrects == correction


def test_a_judgement_spread_of_more_than_one_point_is_flagged(bureau_officer):
    m = make_marked(bureau_officer)
    mark_entry(m, m.entries[0], "10", (0, 2, 3))
    mark_entry(m, m.entries[1], "10", (1, 2, 2))
    flags = spread_flags(m.project)
    assert [(f.entry, f.aspect, [s for _j, s in f.scores]) for f in flags] == [
        (m.entries[0], m.judgement, [Decimal(0), Decimal(2), Decimal(3)])
    ]
    assert flags[0].spread == Decimal(3)
    # A correction that narrows the spread clears the flag.
    mark = Mark.objects.get(entry=m.entries[0], judge=m.judges[0], aspect=m.judgement)
    marking.mark_correct(mark=mark, actor=m.judge_users[0], score=2, reason="复核后更正")
    assert spread_flags(m.project) == []


# --- results -------------------------------------------------------------------------------------


def test_totals_use_measurement_marks_and_the_judgement_mean(bureau_officer):
    m = make_marked(bureau_officer, entries=1)
    mark_entry(m, m.entries[0], "15.5", (1, 2, 2))  # 15.5 + 9 × 5/9 = 20.5
    (result,) = results.results_compute(project=m.project)
    assert result.total == Decimal("20.50") and result.rank == 1


def test_judgement_means_are_rounded_to_the_cent_only_in_the_total(bureau_officer):
    m = make_marked(bureau_officer, entries=1)
    contests_scheme = [
        {
            "code": "B",
            "name": "评价",
            "aspects": [{"code": "B1", "description": "工艺", "kind": "judgement", "max_mark": "10"}],
        }
    ]
    Mark.objects.all().delete()
    contests.scheme_set(project=m.project, actor=m.organiser_user, sections=contests_scheme)
    aspect = m.project.sections.get().aspects.get()
    for judge, user, score in zip(m.judges, m.judge_users, (1, 1, 2), strict=True):
        marking.marks_save(
            judge=judge, entry=m.entries[0], actor=user, scores={aspect.pk: score}, submit=True
        )
    (result,) = results.results_compute(project=m.project)
    assert result.total == Decimal("4.44")  # 10 × (4/3) / 3 = 4.444…


def test_ties_higher_total_then_measurement_sum_then_the_same_rank(bureau_officer):
    m = make_marked(bureau_officer, entries=4, pass_mark="0")
    # totals: e0 = 14 + 3 = 17 (measurement 14); e1 = 11 + 6 = 17 (measurement 11); e2 = e3 = 11 + 3 = 14
    mark_entry(m, m.entries[0], "14", (1, 1, 1))
    mark_entry(m, m.entries[1], "11", (2, 2, 2))
    mark_entry(m, m.entries[2], "11", (1, 1, 1))
    mark_entry(m, m.entries[3], "11", (1, 1, 1))
    computed = {r.entry_id: (r.total, r.rank) for r in results.results_compute(project=m.project)}
    e = [entry.pk for entry in m.entries]
    assert computed == {
        e[0]: (Decimal("17.00"), 1),
        e[1]: (Decimal("17.00"), 2),
        e[2]: (Decimal("14.00"), 3),
        e[3]: (Decimal("14.00"), 3),
    }
    assert [r.entry_id for r in results_for(m.project)] == e


def test_fully_tied_entries_share_the_rank_and_the_award_and_the_next_rank_skips(bureau_officer):
    m = make_marked(bureau_officer, entries=3, gold_places=1, silver_places=1, bronze_places=1, pass_mark="0")
    mark_entry(m, m.entries[0], "15", (2, 2, 2))
    mark_entry(m, m.entries[1], "15", (2, 2, 2))
    mark_entry(m, m.entries[2], "10", (2, 2, 2))
    ranked = [(r.rank, r.award) for r in results.results_compute(project=m.project)]
    assert ranked == [(1, "gold"), (1, "gold"), (3, "bronze")]


def test_awards_go_down_the_places_and_need_the_pass_mark(bureau_officer):
    m = make_marked(
        bureau_officer,
        entries=6,
        gold_places=1,
        silver_places=1,
        bronze_places=1,
        excellence_places=2,
        pass_mark="15",
    )
    for entry, measured in zip(m.entries, ("20", "19", "18", "17", "16", "1"), strict=True):
        mark_entry(m, entry, measured, (0, 0, 0))
    got = [(r.total, r.rank, r.award, r.passed) for r in results.results_compute(project=m.project)]
    assert got == [
        (Decimal("20.00"), 1, "gold", True),
        (Decimal("19.00"), 2, "silver", True),
        (Decimal("18.00"), 3, "bronze", True),
        (Decimal("17.00"), 4, "excellence", True),
        (Decimal("16.00"), 5, "excellence", True),
        (Decimal("1.00"), 6, "", False),
    ]
    m2 = make_marked(bureau_officer, entries=1, pass_mark="60")
    mark_entry(m2, m2.entries[0], "20", (3, 3, 3))  # 29 < 60: first, but no award
    (only,) = results.results_compute(project=m2.project)
    assert (only.rank, only.award, only.passed) == (1, "", False)


def test_draft_marks_do_not_count(bureau_officer):
    m = make_marked(bureau_officer, entries=1)
    marking.marks_save(
        judge=m.judges[0], entry=m.entries[0], actor=m.judge_users[0], scores={m.measurement.pk: "18"}
    )
    (result,) = results.results_compute(project=m.project)
    assert result.total == Decimal("0.00")


def test_results_are_published_only_after_the_chief_judge_confirms(bureau_officer):
    m = make_marked(bureau_officer)
    mark_entry(m, m.entries[0], "18", (2, 2, 3))
    with pytest.raises(DomainError) as exc:
        results.results_confirm(project=m.project, actor=m.judge_users[0])
    assert exc.value.code == "marking_incomplete"
    mark_entry(m, m.entries[1], "10", (1, 1, 1))
    with pytest.raises(PermissionDenied):
        results.results_confirm(project=m.project, actor=m.judge_users[1])
    with pytest.raises(PermissionDenied):
        results.results_confirm(project=m.project, actor=m.organiser_user)
    project = results.results_confirm(project=m.project, actor=m.judge_users[0])
    assert project.state == ContestProject.State.CONFIRMED and project.confirmed_by == m.judge_users[0]
    assert [r.rank for r in results_for(project)] == [1, 2]
    assert AuditEvent.objects.filter(action="competition.results_confirm", target_id=str(project.pk)).exists()
    # Frozen: no new marks, corrections or recomputation.
    with pytest.raises(DomainError):
        results.results_compute(project=project)
    mark = Mark.objects.filter(entry=m.entries[0]).first()
    with pytest.raises(DomainError):
        marking.mark_correct(mark=mark, actor=m.judge_users[0], score=1, reason="迟到的更正")
    with pytest.raises(DomainError):
        contests.judge_assign(project=project, actor=m.organiser_user, worker=WorkerFactory())
    assert Result.objects.filter(project=project).count() == 2


def test_an_external_competitions_results_are_not_computed(bureau_officer):
    m = make_marked(bureau_officer, entries=0, external=True)
    with pytest.raises(DomainError) as exc:
        results.results_compute(project=m.project)
    assert exc.value.code == "external_competition"


def test_draft_scores_are_not_flagged_until_submitted(bureau_officer):
    m = make_marked(bureau_officer)
    for judge, user, score in zip(m.judges, m.judge_users, (0, 3, 3), strict=True):
        marking.marks_save(judge=judge, entry=m.entries[0], actor=user, scores={m.judgement.pk: score})
    assert spread_flags(m.project) == []
    for judge, user in zip(m.judges, m.judge_users, strict=True):
        marking.marks_save(judge=judge, entry=m.entries[0], actor=user, scores={}, submit=True)
    assert len(spread_flags(m.project)) == 1


def test_a_unit_cannot_record_a_provincial_or_external_competition_for_itself(
    enterprise_user, changan_enterprise
):
    for extra in ({"level": "provincial_class1"}, {"level": "worldskills"}, {"external": True}):
        with pytest.raises(PermissionDenied):
            make_competition(enterprise_user, organiser=changan_enterprise, **extra)


def test_award_places_have_a_bound_named_by_their_field(bureau_officer, changan_enterprise):
    with pytest.raises(DomainError) as err:
        make_competition(bureau_officer, organiser=changan_enterprise, gold_places=999)
    assert "gold_places" in err.value.fields
