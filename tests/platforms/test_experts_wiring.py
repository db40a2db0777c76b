"""The draw wired into competition judges and leading-talent panels (issue 17 §5): the apps' own
services make the judges and the panel members; the units that fielded players / the applicants' units
are excluded; a decliner is withdrawn and replaced, unless their work has begun."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from skillcity.competitions.models import Judge
from skillcity.competitions.services.marking import marks_save
from skillcity.core.errors import DomainError
from skillcity.core.models import AuditEvent
from skillcity.platforms.models.experts import DrawPurpose, ExpertDraw
from skillcity.platforms.services import experts as services
from skillcity.talents.models.leading import LeadingApplication, PanelMember
from skillcity.talents.services import leading
from tests.competitions.marking_setup import make_marked
from tests.factories import OrganisationFactory, WorkerFactory
from tests.platforms.experts_helpers import expert_user, make_expert, make_pool
from tests.talents.leading_helpers import call as make_call

pytestmark = pytest.mark.django_db


def test_a_contest_projects_judges_are_drawn_excluding_the_units_that_fielded_players(bureau_officer):
    marked = make_marked(bureau_officer)
    fielding = [make_expert(bureau_officer, organisation=unit) for unit in marked.units]
    pool = make_pool(bureau_officer, {"electronics": 3, "services": 2})
    draw = services.competition_judges_draw(
        actor=marked.organiser_user, project=marked.project, size=5, seed=11
    )
    assert draw.purpose == DrawPurpose.COMPETITION_JUDGES
    assert draw.subject_key == f"competitions.project:{marked.project.pk}"
    assert sorted(draw.excluded_organisations) == sorted(u.pk for u in marked.units)
    drawn = {m.expert.worker_id for m in draw.members.select_related("expert")}
    assert drawn == {e.worker_id for e in pool}
    assert not drawn & {e.worker_id for e in fielding}
    judges = Judge.objects.filter(project=marked.project, worker_id__in=drawn)
    assert judges.count() == 5 and not judges.filter(is_chief=True).exists()
    assert AuditEvent.objects.filter(action="competition.judge_assign").count() == 3 + 5


def test_a_drawn_judge_who_declines_is_withdrawn_and_replaced_until_they_mark(bureau_officer):
    marked = make_marked(bureau_officer)
    make_pool(bureau_officer, {"electronics": 4})
    draw = services.competition_judges_draw(
        actor=marked.organiser_user, project=marked.project, size=2, seed=3
    )
    first, second = draw.members.select_related("expert__worker").order_by("position")
    replacement = services.draw_member_decline(
        actor=expert_user(first.expert), member=first, reason="回避亲属"
    )
    assert replacement is not None
    workers = set(Judge.objects.filter(project=marked.project).values_list("worker_id", flat=True))
    assert first.expert.worker_id not in workers
    assert {second.expert.worker_id, replacement.expert.worker_id} <= workers
    assert AuditEvent.objects.filter(action="competition.judge_withdraw").count() == 1
    # Once the second has marked, they can no longer decline.
    judge = Judge.objects.get(project=marked.project, worker=second.expert.worker)
    marks_save(
        judge=judge,
        entry=marked.entries[0],
        actor=expert_user(second.expert),
        scores={marked.judgement.pk: 2},
        submit=False,
    )
    with pytest.raises(DomainError) as refused:
        services.draw_member_decline(actor=bureau_officer, member=second, reason="临时有事")
    assert refused.value.code == "judge_has_marks"
    second.refresh_from_db()
    assert second.state == "drawn"


def test_only_the_organiser_or_the_bureau_draws_a_projects_judges(bureau_officer, enterprise_user):
    marked = make_marked(bureau_officer)
    make_pool(bureau_officer, {"electronics": 2})
    with pytest.raises(DomainError):
        services.competition_judges_draw(actor=enterprise_user, project=marked.project, size=1)
    assert not ExpertDraw.objects.exists()


def test_the_button_on_the_project_page_draws_judges(client, bureau_officer):
    marked = make_marked(bureau_officer)
    make_pool(bureau_officer, {"electronics": 3})
    client.force_login(marked.organiser_user)
    page = client.get(reverse("competitions:project_detail", args=[marked.project.pk]))
    assert "从专家库抽取裁判" in page.content.decode()
    url = reverse("platforms:expert_draw_judges", args=[marked.project.pk])
    response = client.post(url, {"size": "2", "sectors": ["electronics"]}, follow=True)
    assert "已从专家库抽取" in response.content.decode()
    assert Judge.objects.filter(project=marked.project).count() == 3 + 2
    refused = client.post(url, {"size": "9"}, follow=True)
    assert "回避后符合条件的专家只有1人" in refused.content.decode()


def _leading_call_with_applicant(bureau_officer):
    call = make_call(bureau_officer)
    unit = OrganisationFactory(name="申报人所在单位")
    applicant = WorkerFactory(employer=unit, name="申报人")
    LeadingApplication.objects.create(
        call=call, worker=applicant, unit=unit, grounds="技能突出", created_by=bureau_officer
    )
    return call, unit, applicant


def test_a_leading_talent_panel_is_drawn_excluding_the_applicants_units(bureau_officer):
    call, unit, _applicant = _leading_call_with_applicant(bureau_officer)
    colleague = make_expert(bureau_officer, organisation=unit)
    pool = make_pool(bureau_officer, {"services": 3}, accounts=True)
    draw = services.leading_panel_draw(actor=bureau_officer, call=call, size=3, seed=8)
    assert draw.excluded_organisations == [unit.pk]
    members = set(PanelMember.objects.filter(call=call).values_list("worker_id", flat=True))
    assert members == {e.worker_id for e in pool}
    assert colleague.worker_id not in members


def test_a_panel_member_who_declines_is_replaced_until_given_an_application(bureau_officer):
    call, _unit, _applicant = _leading_call_with_applicant(bureau_officer)
    make_pool(bureau_officer, {"services": 4}, accounts=True)
    draw = services.leading_panel_draw(actor=bureau_officer, call=call, size=2, seed=8)
    first, second = draw.members.select_related("expert__worker").order_by("position")
    replacement = services.draw_member_decline(
        actor=expert_user(first.expert), member=first, reason="身体原因"
    )
    assert replacement is not None
    members = set(PanelMember.objects.filter(call=call).values_list("worker_id", flat=True))
    assert members == {second.expert.worker_id, replacement.expert.worker_id}
    app = LeadingApplication.objects.get(call=call)
    app.state = "in_panel"
    app.save(update_fields=["state"])
    leading.assign(
        actor=bureau_officer,
        application=app,
        member=PanelMember.objects.get(call=call, worker=second.expert.worker),
    )
    with pytest.raises(DomainError) as refused:
        services.draw_member_decline(actor=bureau_officer, member=second, reason="临时有事")
    assert refused.value.code == "member_assigned"


def test_the_button_on_the_call_page_draws_the_panel(client, bureau_officer):
    call, _unit, _applicant = _leading_call_with_applicant(bureau_officer)
    make_pool(bureau_officer, {"services": 2}, accounts=True)
    client.force_login(bureau_officer)
    page = client.get(reverse("talents:leading_call", args=[call.pk]))
    assert "从专家库抽取评审专家" in page.content.decode()
    client.post(reverse("platforms:expert_draw_leading_panel", args=[call.pk]), {"size": "2"})
    assert PanelMember.objects.filter(call=call).count() == 2


def test_a_panel_is_drawn_only_from_experts_who_can_sign_in_to_score(bureau_officer):
    """talents refuses a member without an active account; the draw leaves such experts out, so it never
    stops half-way, and says so when too few remain."""
    call, _unit, _applicant = _leading_call_with_applicant(bureau_officer)
    with_accounts = make_pool(bureau_officer, {"services": 2}, accounts=True)
    without = make_pool(bureau_officer, {"services": 3})
    draw = services.leading_panel_draw(actor=bureau_officer, call=call, size=2, seed=5)
    drawn = {m.expert.worker_id for m in draw.members.select_related("expert")}
    assert drawn == {e.worker_id for e in with_accounts}
    assert not drawn & {e.worker_id for e in without}
    with pytest.raises(DomainError):
        services.leading_panel_draw(actor=bureau_officer, call=call, size=1, seed=6)


def test_a_standards_panel_is_drawn_excluding_the_developers_staff_and_a_decliner_is_replaced(
    client, bureau_officer
):
    from skillcity.platforms.models.standards import StandardPanelMember
    from tests.platforms.test_standards_services import _accepted

    developer = OrganisationFactory(name="东莞市模具行业协会")
    standard = _accepted(bureau_officer, developer)
    staff = make_expert(bureau_officer, "services", organisation=developer)
    pool = make_pool(bureau_officer, {"services": 4})
    draw = services.standard_panel_draw(actor=bureau_officer, standard=standard, size=3, seed=4)
    assert draw.purpose == DrawPurpose.STANDARD_ACCEPTANCE
    assert draw.excluded_organisations == [developer.pk]
    members = set(StandardPanelMember.objects.filter(standard=standard).values_list("worker_id", flat=True))
    assert len(members) == 3 and members <= {e.worker_id for e in pool}
    assert staff.worker_id not in members
    first = draw.members.select_related("expert__worker").order_by("position").first()
    replacement = services.draw_member_decline(actor=bureau_officer, member=first, reason="出差")
    assert replacement is not None
    members = set(StandardPanelMember.objects.filter(standard=standard).values_list("worker_id", flat=True))
    assert first.expert.worker_id not in members and replacement.expert.worker_id in members
    assert AuditEvent.objects.filter(action="platforms.standard.panel_withdraw").count() == 1
    # The button on the standard's page draws one more.
    client.force_login(bureau_officer)
    page = client.get(reverse("platforms:standard_detail", args=[standard.pk]))
    assert "从专家库抽取认定专家" in page.content.decode()
    client.post(reverse("platforms:expert_draw_standard_panel", args=[standard.pk]), {"size": "1"})
    assert StandardPanelMember.objects.filter(standard=standard).count() == 4


def test_a_studios_reviewers_are_drawn_excluding_its_enterprise_and_shown_on_its_page(client):
    from skillcity.platforms.models.studios import Studio
    from tests.platforms.studios_setup import applied, world

    w = world()
    studio = applied(w)
    colleague = make_expert(w["bureau"], "services", organisation=w["enterprise"])
    pool = make_pool(w["bureau"], {"services": 3})
    draw = services.studio_review_draw(actor=w["bureau"], studio=studio, size=2, seed=9)
    assert draw.purpose == DrawPurpose.STUDIO_REVIEW and draw.excluded_organisations == [w["enterprise"].pk]
    drawn = {m.expert.worker_id for m in draw.members.select_related("expert")}
    assert len(drawn) == 2 and drawn <= {e.worker_id for e in pool} and colleague.worker_id not in drawn
    with pytest.raises(DomainError):  # only the bureau draws
        services.studio_review_draw(actor=w["unit"], studio=studio, size=1, seed=1)
    client.force_login(w["bureau"])
    page = client.get(reverse("platforms:studio_detail", args=[studio.pk])).content.decode()
    assert "从专家库抽取评审专家" in page and f"抽取记录第{draw.pk}号" in page
    client.post(reverse("platforms:expert_draw_studio_review", args=[studio.pk]), {"size": "1"})
    assert ExpertDraw.objects.filter(subject_key=f"platforms.studio:{studio.pk}").count() == 2
    api = f"/api/v1/platforms/expert-draws/studios/{studio.pk}"
    response = client.post(api, {"size": 1, "seed": 5}, content_type="application/json")
    assert response.status_code == 201 and response.json()["excluded_workers"] == [studio.lead_id]
    missing = client.post(f"{api}0", {"size": 1}, content_type="application/json")
    assert missing.status_code == 404
    assert (
        Studio.objects.get(pk=studio.pk).state == "submitted"
    )  # the draw records who reviews; it decides nothing


def _grant_in_review(bureau: Any, **applicant: Any) -> Any:
    from skillcity.grants.models import Application, ApplicationState

    town = (applicant.get("organisation") or applicant["worker"]).town
    return Application.objects.create(
        rule_id="CMP-HOST",
        town=town,
        event_date=datetime.date(2024, 3, 1),
        state=ApplicationState.IN_REVIEW,
        created_by=bureau,
        **applicant,
    )


def test_a_grant_reviews_experts_are_drawn_from_its_page_excluding_the_applicant(client, bureau_officer):
    from skillcity.grants.models import ApplicationState

    unit = OrganisationFactory()
    staff = make_expert(bureau_officer, "services", organisation=unit)
    pool = make_pool(bureau_officer, {"services": 5})
    app = _grant_in_review(bureau_officer, organisation=unit)
    draw = services.grant_review_draw(actor=bureau_officer, application=app, size=3, seed=4)
    assert draw.purpose == DrawPurpose.GRANT_REVIEW and draw.excluded_organisations == [unit.pk]
    drawn = {m.expert_id for m in draw.members.all()}
    assert len(drawn) == 3 and drawn <= {e.pk for e in pool} and staff.pk not in drawn
    assert services.draw_replay_matches(draw)

    # On the application's page: the earlier draw, and the button that makes another.
    client.force_login(bureau_officer)
    page = client.get(reverse("grants:detail", args=[app.pk])).content.decode()
    assert 'id="expert-draw-grant"' in page and f"抽取记录第{draw.pk}号" in page
    response = client.post(reverse("platforms:expert_draw_grant_review", args=[app.pk]), {"size": "2"})
    assert response.status_code == 302 and response["Location"] == reverse("grants:detail", args=[app.pk])
    second = ExpertDraw.objects.filter(subject_key=f"grants.application:{app.pk}").latest("id")
    assert second.pk != draw.pk and second.excluded_organisations == [unit.pk] and second.size == 2
    # A second draw adds reviewers: it passes over the experts the first still holds.
    assert drawn | {m.expert_id for m in second.members.all()} == {e.pk for e in pool}

    # No one left to ask: the refusal names the field, and nothing is recorded.
    page = client.post(
        reverse("platforms:expert_draw_grant_review", args=[app.pk]), {"size": "1"}, follow=True
    ).content.decode()
    assert "抽取人数" in page and ExpertDraw.objects.filter(subject_key__startswith="grants.").count() == 2

    # Once decided, the page shows the draws but no longer the button; a draw is refused.
    app.state = ApplicationState.REVIEWED
    app.save(update_fields=["state"])
    page = client.get(reverse("grants:detail", args=[app.pk])).content.decode()
    assert 'id="expert-draw-grant"' not in page and f"抽取记录第{draw.pk}号" in page
    with pytest.raises(DomainError):
        services.grant_review_draw(actor=bureau_officer, application=app, size=1, seed=1)


def test_a_workers_claim_excludes_the_worker_and_their_employer_and_only_the_bureau_draws(
    client, bureau_officer, enterprise_user
):
    employer = OrganisationFactory()
    worker = WorkerFactory(employer=employer)
    colleague = make_expert(bureau_officer, "services", organisation=employer)
    make_pool(bureau_officer, {"services": 3})
    app = _grant_in_review(bureau_officer, worker=worker)
    draw = services.grant_review_draw(actor=bureau_officer, application=app, size=2, seed=8)
    assert draw.excluded_organisations == [employer.pk] and draw.excluded_workers == [worker.pk]
    assert colleague.pk not in {m.expert_id for m in draw.members.all()}
    with pytest.raises(DomainError):  # an enterprise may not draw its own reviewers
        services.grant_review_draw(actor=enterprise_user, application=app, size=1, seed=1)
    client.force_login(enterprise_user)
    response = client.post(reverse("platforms:expert_draw_grant_review", args=[app.pk]), {"size": "1"})
    assert response.status_code == 403
    # The same through the API, for the bureau.
    client.force_login(bureau_officer)
    response = client.post(
        f"/api/v1/platforms/expert-draws/grant-applications/{app.pk}",
        {"size": 1, "seed": 3},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["purpose"] == "grant_review" and len(response.json()["members"]) == 1
