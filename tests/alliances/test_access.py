"""Who sees and changes an alliance: the bureau everything; a town officer the alliances initiated in
their town, read-only; an organisation user the alliances it is a member of, the initiator edits."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from skillcity.alliances import selectors
from skillcity.alliances.models import AllianceStatus, DocumentKind, Membership
from skillcity.core.errors import NotFound, PermissionDenied
from tests.conftest import PASSWORD


def _client(client, user):
    client.force_login(user)
    return client


def test_a_town_officer_of_another_town_does_not_see_the_alliance(make_alliance, humen_officer, client):
    alliance = make_alliance()  # initiated by a Changan training institution
    with pytest.raises(NotFound):
        selectors.alliance_get_for(humen_officer, alliance.pk)
    assert selectors.alliance_rows(humen_officer) == []
    response = _client(client, humen_officer).get(reverse("alliances:alliance_detail", args=[alliance.pk]))
    assert response.status_code == 404
    assert alliance.name not in response.content.decode()


def test_a_town_officer_of_the_initiators_town_reads_but_cannot_change(
    make_alliance, changan_officer, client
):
    alliance = make_alliance(until="draft")
    c = _client(client, changan_officer)
    assert c.get(reverse("alliances:alliance_detail", args=[alliance.pk])).status_code == 200
    assert [r.alliance for r in selectors.alliance_rows(changan_officer)] == [alliance]
    assert c.post(reverse("alliances:alliance_file", args=[alliance.pk])).status_code == 403
    assert c.get(reverse("alliances:alliance_edit", args=[alliance.pk])).status_code == 403
    assert c.post(reverse("alliances:alliance_accept", args=[alliance.pk])).status_code == 403
    alliance.refresh_from_db()
    assert alliance.status == AllianceStatus.DRAFT


def test_a_non_member_organisation_user_does_not_see_the_alliance(make_alliance, outsider_user, client):
    alliance = make_alliance()
    c = _client(client, outsider_user)
    assert c.get(reverse("alliances:alliance_detail", args=[alliance.pk])).status_code == 404
    document = alliance.documents.first()
    assert c.get(reverse("alliances:document_download", args=[alliance.pk, document.pk])).status_code == 404
    assert c.get(reverse("alliances:alliance_annex2", args=[alliance.pk])).status_code == 404
    assert selectors.alliance_rows(outsider_user) == []


def test_a_member_sees_the_alliance_but_only_the_initiator_edits(
    make_alliance, member_user, initiator_user, client
):
    alliance = make_alliance(until="draft")
    with pytest.raises(PermissionDenied):
        selectors.alliance_get_for(member_user, alliance.pk, write=True)
    assert selectors.alliance_get_for(initiator_user, alliance.pk, write=True) == alliance
    c = _client(client, member_user)
    assert c.get(reverse("alliances:alliance_detail", args=[alliance.pk])).status_code == 200
    assert c.post(reverse("alliances:alliance_file", args=[alliance.pk])).status_code == 403
    assert c.get(reverse("alliances:member_add", args=[alliance.pk])).status_code == 403


def test_a_member_that_left_no_longer_sees_the_alliance(
    make_alliance, member_user, initiator_user, enterprise
):
    from skillcity.alliances import services

    alliance = make_alliance()
    services.member_remove(
        membership=Membership.objects.get(alliance=alliance, organisation=enterprise), actor=initiator_user
    )
    with pytest.raises(NotFound):
        selectors.alliance_get_for(member_user, alliance.pk)


def test_annex1_is_filled_by_the_member_itself_or_by_the_initiator(
    make_alliance, member_user, initiator_user, lead_user, enterprise, lead_enterprise, client
):
    alliance = make_alliance(until="draft")
    own = Membership.objects.get(alliance=alliance, organisation=enterprise)
    other = Membership.objects.get(alliance=alliance, organisation=lead_enterprise)
    assert selectors.can_fill_annex1(member_user, alliance, own)
    assert not selectors.can_fill_annex1(member_user, alliance, other)
    assert selectors.can_fill_annex1(initiator_user, alliance, other)
    c = _client(client, lead_user)
    url = reverse("alliances:member_annex1", args=[alliance.pk, own.pk])
    assert c.post(url, {"total_staff": "1"}).status_code == 403
    enterprise.refresh_from_db()
    assert enterprise.total_staff == 120


def test_only_the_bureau_reviews(make_alliance, initiator_user, changan_officer):
    alliance = make_alliance(until="filed")
    for user in (initiator_user, changan_officer):
        with pytest.raises(PermissionDenied):
            selectors.alliance_review_get_for(user, alliance.pk)


def test_documents_are_served_to_members_after_the_access_check(make_alliance, member_user, client):
    alliance = make_alliance()
    document = alliance.documents.get(kind=DocumentKind.CHARTER)
    response = _client(client, member_user).get(
        reverse("alliances:document_download", args=[alliance.pk, document.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["X-Content-SHA256"] == document.sha256
    assert "attachment" in response["Content-Disposition"]


def test_anonymous_visitors_are_sent_to_log_in(make_alliance, client):
    alliance = make_alliance()
    response = client.get(reverse("alliances:alliance_detail", args=[alliance.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/api/v1/alliances/").status_code == 401


def test_a_worker_sees_no_alliance_list(worker_user, client):
    assert _client(client, worker_user).get(reverse("alliances:alliance_list")).status_code == 403


def test_the_list_page_makes_the_same_number_of_queries_for_more_alliances(
    make_alliance, bureau_officer, client, initiator_user, electronics
):
    from skillcity.alliances import services

    make_alliance()
    c = _client(client, bureau_officer)
    url = reverse("alliances:alliance_list")
    c.get(url)
    with CaptureQueriesContext(connection) as one:
        assert c.get(url).status_code == 200
    for i in range(5):
        services.alliance_create(
            name=f"联盟{i}", industry=electronics, initiator=initiator_user.organisation, actor=initiator_user
        )
    with CaptureQueriesContext(connection) as six:
        assert c.get(url).status_code == 200
    assert len(six.captured_queries) == len(one.captured_queries)
    assert len(one.captured_queries) <= 12


def test_login_with_password_reaches_the_list(initiator_user, client):
    assert client.login(username="initiator_user", password=PASSWORD)
    assert client.get(reverse("alliances:alliance_list")).status_code == 200
