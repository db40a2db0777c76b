"""Standards (PLT-STANDARD): the development project, acceptance, the panel (a member from the
developer's organisation refused, each score recorded), certification from the scores making the grant
from the record (a range before 2023, a cap from 2023), the count against 117 + 5 a year."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from skillcity.core.audit import AuditEvent
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.grants import outcomes
from skillcity.platforms.models import Standard, StandardState
from skillcity.platforms.selectors import standards as selectors
from skillcity.platforms.services import standards as services
from tests.factories import OccupationFactory, OrganisationFactory, WorkerFactory
from tests.platforms.bases_helpers import school_user

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 2, 1)


@pytest.fixture
def developer(changan):
    return OrganisationFactory(town=changan, name="东莞市模具行业协会")


def _file(actor, developer, requested="150000", day=DAY):
    return services.standard_file(
        actor=actor,
        developer=developer,
        occupation=OccupationFactory(),
        kind="evaluation",
        title="模具工职业技能评价标准",
        plan="2024年内完成",
        planned_completion=day + datetime.timedelta(days=180),
        requested=Decimal(requested),
        day=day,
    )


def _accepted(bureau, developer, **kw):
    s = _file(bureau, developer, **kw)
    services.standard_submit(actor=bureau, standard=s)
    return services.standard_accept(actor=bureau, standard=s, passed=True, day=kw.get("day", DAY))


def _panel(bureau, standard, town, scores=("80", "70.5", "90")):
    members = []
    for n, score in enumerate(scores):
        worker = WorkerFactory(town=town, employer=OrganisationFactory(town=town), name=f"专家{n}")
        member = services.standard_panel_add(actor=bureau, standard=standard, worker=worker)
        if score is not None:
            services.standard_panel_score(actor=bureau, member=member, score=Decimal(score), comment="规范")
        members.append(member)
    return members


def test_the_developer_files_and_submits_its_own_project(developer):
    user = school_user(developer, "dev_user")
    s = _file(user, developer)
    assert s.state == StandardState.DEVELOPING and s.year == 2024
    assert services.standard_submit(actor=user, standard=s).state == StandardState.SUBMITTED
    with pytest.raises(DomainError):
        services.standard_submit(actor=user, standard=s)
    assert AuditEvent.objects.filter(action="platforms.standard.submit").count() == 1


def test_another_organisation_may_not_file_for_the_developer(developer, enterprise_user):
    with pytest.raises(PermissionDenied):
        _file(enterprise_user, developer)


@pytest.mark.parametrize(
    ("field", "kw"),
    [
        ("requested", {"requested": "0"}),
        ("requested", {"requested": "1000000.01"}),
        ("title", {"title": " "}),
    ],
)
def test_bad_projects_are_refused_on_their_field(field, kw, developer, bureau_officer):
    args = {
        "actor": bureau_officer,
        "developer": developer,
        "occupation": OccupationFactory(),
        "kind": "training",
        "title": "标准",
        "plan": "计划",
        "planned_completion": DAY,
        "requested": Decimal(kw.get("requested", "1000")),
        "day": DAY,
    }
    if "title" in kw:
        args["title"] = kw["title"]
    with pytest.raises(DomainError) as refused:
        services.standard_file(**args)
    assert field in refused.value.fields


def test_acceptance_returns_with_a_reason_and_takes_a_resubmission(developer, bureau_officer):
    s = _file(bureau_officer, developer)
    services.standard_submit(actor=bureau_officer, standard=s)
    with pytest.raises(DomainError) as refused:
        services.standard_accept(actor=bureau_officer, standard=s, passed=False)
    assert "note" in refused.value.fields
    s = services.standard_accept(actor=bureau_officer, standard=s, passed=False, note="缺少考核细目")
    assert s.state == StandardState.RETURNED and s.note == "缺少考核细目"
    services.standard_submit(actor=bureau_officer, standard=s)
    s = services.standard_accept(actor=bureau_officer, standard=s, passed=True, day=DAY)
    assert s.state == StandardState.ACCEPTED and s.accepted_on == DAY


def test_a_panel_member_from_the_developer_is_refused(developer, bureau_officer, changan):
    s = _accepted(bureau_officer, developer)
    insider = WorkerFactory(town=changan, employer=developer, name="内部专家")
    with pytest.raises(DomainError) as refused:
        services.standard_panel_add(actor=bureau_officer, standard=s, worker=insider)
    assert refused.value.code == "panel_conflict" and "内部专家" in refused.value.fields["worker"]
    outsider = WorkerFactory(town=changan, name="外部专家")
    services.standard_panel_add(actor=bureau_officer, standard=s, worker=outsider)
    with pytest.raises(DomainError) as twice:
        services.standard_panel_add(actor=bureau_officer, standard=s, worker=outsider)
    assert twice.value.code == "member_exists"


def test_each_score_is_recorded_and_bounded(developer, bureau_officer, changan):
    s = _accepted(bureau_officer, developer)
    (member,) = _panel(bureau_officer, s, changan, scores=(None,))
    for bad in ("100.1", "-1", "50.55"):
        with pytest.raises(DomainError) as refused:
            services.standard_panel_score(actor=bureau_officer, member=member, score=Decimal(bad))
        assert "score" in refused.value.fields
    member = services.standard_panel_score(
        actor=bureau_officer, member=member, score=Decimal("88.5"), comment="好"
    )
    assert (member.score, member.comment) == (Decimal("88.5"), "好")
    assert AuditEvent.objects.filter(action="platforms.standard.panel_score").count() == 1


def test_certification_needs_a_full_scored_panel(developer, bureau_officer, changan):
    s = _accepted(bureau_officer, developer)
    _panel(bureau_officer, s, changan, scores=("80", "80"))
    with pytest.raises(DomainError) as small:
        services.standard_certify(actor=bureau_officer, standard=s, day=DAY)
    assert small.value.code == "panel_too_small"
    _panel(bureau_officer, s, changan, scores=(None,))
    with pytest.raises(DomainError) as missing:
        services.standard_certify(actor=bureau_officer, standard=s, day=DAY)
    assert missing.value.code == "scores_missing"


def test_certification_from_2023_makes_the_capped_grant_from_the_record(developer, bureau_officer, changan):
    s = _accepted(bureau_officer, developer, requested="250000")
    _panel(bureau_officer, s, changan)
    grant = services.standard_certify(actor=bureau_officer, standard=s, day=DAY)
    s.refresh_from_db()
    assert s.state == StandardState.CERTIFIED and s.number == "DGBZ-2024-001" and s.certified_on == DAY
    assert "80.2" in s.note
    assert grant is not None and grant.rule_id == "PLT-STANDARD" and grant.organisation == developer
    assert grant.facts == {"requested": "250000.00"}
    expected = outcomes.evaluate("PLT-STANDARD", DAY, {"requested": "250000.00"})
    assert grant.outcome == expected and Decimal(grant.outcome["amount"]) == Decimal("200000")
    assert services.grant_of(s) == grant and list(selectors.certified()) == [s]


def test_certification_in_2022_gives_the_range(developer, bureau_officer, changan):
    day = datetime.date(2022, 9, 1)
    s = _accepted(bureau_officer, developer, requested="45000", day=day)
    _panel(bureau_officer, s, changan)
    grant = services.standard_certify(actor=bureau_officer, standard=s, day=day)
    assert grant is not None
    assert (Decimal(grant.outcome["min"]), Decimal(grant.outcome["max"])) == (
        Decimal("20000"),
        Decimal("50000"),
    )


def test_a_low_mean_is_recorded_as_not_certified_without_a_grant(developer, bureau_officer, changan):
    s = _accepted(bureau_officer, developer)
    _panel(bureau_officer, s, changan, scores=("50", "60", "55"))
    assert services.standard_certify(actor=bureau_officer, standard=s, day=DAY) is None
    s.refresh_from_db()
    assert s.state == StandardState.NOT_CERTIFIED and "55.0" in s.note and services.grant_of(s) is None


def test_only_certified_standards_may_be_named(developer, bureau_officer):
    s = _file(bureau_officer, developer)
    with pytest.raises(DomainError) as refused:
        services.certified_standard(s.pk)
    assert "standard" in refused.value.fields
    assert services.certified_standard("") is None


def test_progress_counts_against_117_and_5_a_year(developer, bureau_officer, changan):
    occupation = OccupationFactory()
    Standard.objects.bulk_create(
        Standard(
            developer=developer,
            occupation=occupation,
            kind="training",
            title=f"存量{n}",
            plan="—",
            planned_completion=datetime.date(2021, 1, 1),
            requested=Decimal("0"),
            year=2021,
            state=StandardState.CERTIFIED,
            number=f"OLD-{n}",
            certified_on=datetime.date(2021, 6, 1),
            baseline=True,
        )
        for n in range(3)
    )
    s = _accepted(bureau_officer, developer)
    _panel(bureau_officer, s, changan)
    services.standard_certify(actor=bureau_officer, standard=s, day=DAY)
    p = selectors.progress()
    assert (p["baseline_target"], p["baseline"], p["total"], p["per_year"]) == (117, 3, 4, 5)
    row_2024 = next(r for r in p["rows"] if r.year == 2024)
    assert (row_2024.filed, row_2024.certified, row_2024.cumulative, row_2024.cumulative_plan) == (
        1,
        1,
        4,
        127,
    )
