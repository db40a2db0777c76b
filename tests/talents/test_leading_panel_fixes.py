"""The panel: a worker without an active account is refused as a member (the message names them); an
assignment not yet scored can be taken back (page and API, audited), a scored one cannot; a score of
0.0 shows as 0.0, never "—"."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from skillcity.core.errors import DomainError
from skillcity.core.models import AuditEvent
from skillcity.talents.services import assignments, leading
from tests.factories import OrganisationFactory, WorkerFactory
from tests.talents.leading_helpers import DAY, expert, funds

pytestmark = pytest.mark.django_db
ZERO = {"skill": "0", "contribution": "0", "honours": "0", "mentoring": "0"}


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def in_panel(bureau_officer, worker_user):
    funds(bureau_officer)
    the_call = leading.call_create(
        actor=bureau_officer,
        year=2025,
        title="2025年认定",
        opens_on=datetime.date(2025, 3, 1),
        closes_on=timezone.localdate() + datetime.timedelta(days=30),
        quota=25,
    )
    app = leading.application_submit(actor=worker_user, call=the_call, grounds="g", day=DAY)
    leading.formal_check(actor=bureau_officer, application=app, passed=True)
    return app


def test_a_worker_without_an_active_account_is_refused_by_name(in_panel, bureau_officer, changan):
    no_account = WorkerFactory(town=changan, employer=OrganisationFactory(town=changan), name="无账号专家")
    with pytest.raises(DomainError) as refused:
        leading.panel_member_add(actor=bureau_officer, call=in_panel.call, worker=no_account)
    assert refused.value.code == "no_account" and "无账号专家" in refused.value.message
    ew, eu = expert(changan, "停用专家")
    eu.is_active = False
    eu.save(update_fields=["is_active"])
    with pytest.raises(DomainError):
        leading.panel_member_add(actor=bureau_officer, call=in_panel.call, worker=ew)
    page = _client(bureau_officer).post(
        reverse("talents:leading_panel_add", args=[in_panel.call_id]),
        {"id_number": no_account.id_number},
        follow=True,
    )
    assert "无账号专家" in page.content.decode() and not in_panel.call.panel.exists()


def test_an_unscored_assignment_is_taken_back_on_the_page_and_audited(in_panel, bureau_officer, changan):
    ew, _eu = expert(changan)
    member = leading.panel_member_add(actor=bureau_officer, call=in_panel.call, worker=ew)
    assignment = leading.assign(actor=bureau_officer, application=in_panel, member=member)
    b = _client(bureau_officer)
    detail = b.get(reverse("talents:leading_detail", args=[in_panel.pk])).content.decode()
    assert 'value="unassign"' in detail
    b.post(
        reverse("talents:leading_act", args=[in_panel.pk]),
        {
            "action": "unassign",
            "assignment": assignment.pk,
            "back": reverse("talents:leading_detail", args=[in_panel.pk]),
        },
    )
    assert not in_panel.assignments.exists()
    assert AuditEvent.objects.filter(action="talents.panel.unassign", target_id=str(in_panel.pk)).exists()


def test_the_api_takes_back_and_a_scored_sheet_stays(in_panel, bureau_officer, worker_user, changan):
    ew, eu = expert(changan)
    member = leading.panel_member_add(actor=bureau_officer, call=in_panel.call, worker=ew)
    assignment = leading.assign(actor=bureau_officer, application=in_panel, member=member)
    url = f"/api/v1/talents/leading/applications/{in_panel.pk}/actions"
    b = _client(bureau_officer)
    assert _client(worker_user).post(
        url, {"action": "unassign", "assignment_id": assignment.pk}, content_type="application/json"
    ).status_code in (403, 404)
    ok = b.post(url, {"action": "unassign", "assignment_id": assignment.pk}, content_type="application/json")
    assert ok.status_code == 200 and not in_panel.assignments.exists()
    again = leading.assign(actor=bureau_officer, application=in_panel, member=member)
    leading.scores_submit(actor=eu, assignment=again, points=ZERO)
    with pytest.raises(DomainError) as scored:
        assignments.assignment_remove(actor=bureau_officer, assignment=again)
    assert scored.value.code == "already_scored"
    refused = b.post(url, {"action": "unassign", "assignment_id": again.pk}, content_type="application/json")
    assert refused.status_code == 409 and in_panel.assignments.exists()


def test_a_zero_score_shows_as_zero(in_panel, bureau_officer, changan):
    ew, eu = expert(changan)
    member = leading.panel_member_add(actor=bureau_officer, call=in_panel.call, worker=ew)
    assignment = leading.assign(actor=bureau_officer, application=in_panel, member=member)
    leading.scores_submit(actor=eu, assignment=assignment, points=ZERO)
    b = _client(bureau_officer)
    detail = b.get(reverse("talents:leading_detail", args=[in_panel.pk])).content.decode()
    scores = detail[detail.index('id="scores"') :]
    scores = scores[: scores.index("</table>")]
    assert "<td>专家甲</td>" + "<td>0.0</td>" * 5 in scores
    call_page = b.get(reverse("talents:leading_call", args=[in_panel.call_id])).content.decode()
    row = call_page[call_page.index('id="applications"') :]
    assert ">0.0</td>" in row


def test_the_empty_score_row_spans_every_column(in_panel, bureau_officer):
    detail = (
        _client(bureau_officer).get(reverse("talents:leading_detail", args=[in_panel.pk])).content.decode()
    )
    # expert + 4 criteria + total + the action column while in panel
    assert 'colspan="7"' in detail
