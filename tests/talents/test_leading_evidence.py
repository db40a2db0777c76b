"""Opening an uploaded proof: the applicant (worker or their unit), the bureau, the panel members the
application is assigned to and the grants reviewer of a home-purchase claim; 404 for everyone else;
each opening audited; the pages link the names."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from skillcity.core.models import AuditEvent
from skillcity.talents.models import Evidence
from skillcity.talents.services import leading
from tests.factories import UserFactory
from tests.talents.leading_helpers import DAY, NOTICE_OVER, call, expert, funds, to_recognition

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def _pdf(name: str = "proof.pdf", body: bytes = b"%PDF-1.4 evidence") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.fixture
def submitted(bureau_officer, enterprise_user, changan_worker):
    funds(bureau_officer)
    the_call = call(bureau_officer)
    app = leading.application_submit(
        actor=enterprise_user,
        call=the_call,
        worker=changan_worker,
        grounds="g",
        uploads=[_pdf("获奖证书.pdf")],
        day=DAY,
    )
    return app


def test_the_applicant_their_unit_and_the_bureau_open_the_proof_and_it_is_audited(
    submitted, worker_user, enterprise_user, bureau_officer
):
    evidence = submitted.evidence.get()
    url = reverse("talents:evidence", args=[evidence.pk])
    for user in (worker_user, enterprise_user, bureau_officer):
        response = _client(user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
        assert "attachment" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="talents.evidence.download").count() == 3


def test_only_assigned_panel_members_open_it_and_others_get_404(
    submitted, bureau_officer, changan_officer, humen_worker, changan
):
    evidence = submitted.evidence.get()
    url = reverse("talents:evidence", args=[evidence.pk])
    leading.formal_check(actor=bureau_officer, application=submitted, passed=True)
    assigned_worker, assigned_user = expert(changan, "专家甲")
    idle_worker, idle_user = expert(changan, "专家乙")
    member = leading.panel_member_add(actor=bureau_officer, call=submitted.call, worker=assigned_worker)
    leading.panel_member_add(actor=bureau_officer, call=submitted.call, worker=idle_worker)
    leading.assign(actor=bureau_officer, application=submitted, member=member)
    assert _client(assigned_user).get(url).status_code == 200
    stranger = UserFactory(username="stranger", role="worker", worker=humen_worker)
    for user in (idle_user, changan_officer, stranger):
        assert _client(user).get(url).status_code == 404
    assert _client().get(url).status_code == 302  # to the sign-in page
    assert (
        _client(bureau_officer).get(reverse("talents:evidence", args=[evidence.pk + 999])).status_code == 404
    )


def test_the_grants_reviewer_opens_the_home_purchase_proof(
    submitted, bureau_officer, worker_user, changan, monkeypatch
):
    ew, eu = expert(changan)
    recognition = to_recognition(bureau_officer, submitted.call, submitted, ew, eu)
    leading.home_purchase_claim(
        actor=worker_user,
        recognition=recognition,
        requested="2000000",
        proof=_pdf("购房合同.pdf", b"%PDF-1.4 contract"),
        day=NOTICE_OVER,
    )
    proof = Evidence.objects.get(name="购房合同.pdf")
    other = submitted.evidence.get(name="获奖证书.pdf")
    # A reviewer who is not the bureau (a town officer, were the home-purchase stage theirs).
    from skillcity.grants import flows
    from skillcity.talents.selectors import evidence as access

    reviewer = UserFactory(username="reviewer", role="town_officer", town=changan)
    monkeypatch.setattr(
        access.flows,
        "stages_for",
        lambda rule_id: [flows.Stage(name="town", role="town_officer", due_days=5)],
    )
    assert access.may_open(reviewer, proof)
    assert not access.may_open(reviewer, other)


def test_the_pages_link_the_evidence(submitted, bureau_officer, worker_user, changan):
    evidence = submitted.evidence.get()
    link = reverse("talents:evidence", args=[evidence.pk])
    b = _client(bureau_officer)
    assert link in b.get(reverse("talents:leading_call", args=[submitted.call_id])).content.decode()
    assert (
        link
        in _client(worker_user).get(reverse("talents:leading_detail", args=[submitted.pk])).content.decode()
    )
    leading.formal_check(actor=bureau_officer, application=submitted, passed=True)
    ew, eu = expert(changan)
    member = leading.panel_member_add(actor=bureau_officer, call=submitted.call, worker=ew)
    assignment = leading.assign(actor=bureau_officer, application=submitted, member=member)
    assert link in _client(eu).get(reverse("talents:leading_score", args=[assignment.pk])).content.decode()
