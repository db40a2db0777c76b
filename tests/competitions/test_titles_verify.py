"""A title verified by the public (QR or number and name), then revoked: the page says revoked, the
holder is told, and TAL-CARD's facts no longer count it."""

from __future__ import annotations

import datetime
from urllib.parse import quote

import pytest
from django.urls import reverse

from skillcity.accounts.models import Role
from skillcity.certification import facts, signing
from skillcity.competitions.models import Title
from skillcity.competitions.services import titles
from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.notifications.models import Notification, NotificationKind
from tests.competitions.titles_helpers import confirmed_project, players_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AWARDED_ON = datetime.date(2024, 10, 8)


@pytest.fixture
def title(bureau_officer) -> Title:
    project = confirmed_project(totals=["95", "90"], title_quota=1)
    (made,) = titles.titles_award(project=project, actor=bureau_officer, awarded_on=AWARDED_ON)
    return made


def _verify_qr(client, token: str):
    return client.get(f"{reverse('competitions:title_verify')}?qr={quote(token)}")


def test_the_public_verifies_a_title_by_its_qr_with_the_name_masked(client, title):
    response = _verify_qr(client, title.qr_token)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="valid"' in page
    assert title.number in page and "东莞市技术能手" in page
    assert title.holder_name not in page  # 测试员12 → 测**2
    assert title.holder_name[0] + "*" in page
    assert title.worker.id_number not in page


def test_the_public_verifies_by_number_and_name_and_both_must_match(client, title):
    url = reverse("competitions:title_verify")
    good = client.get(url, {"number": title.number, "name": title.holder_name})
    assert 'data-status="valid"' in good.content.decode()
    wrong = client.get(url, {"number": title.number, "name": "张三"})
    assert 'data-status="not_found"' in wrong.content.decode()
    empty = client.get(url, {"number": "", "name": ""})
    assert empty.status_code == 400
    assert "请填写" in empty.content.decode() or "请输入" in empty.content.decode()


def test_a_tampered_title_code_is_refused(client, title):
    _body, signature = title.qr_token.split(".")
    forged = signing.sign_payload({"t": "title", "n": title.number, "nm": "李四"}, key=None)
    assert (
        'data-status="tampered"'
        in _verify_qr(client, forged.split(".")[0] + "." + signature).content.decode()
    )


def test_a_title_code_sent_to_the_certificate_page_goes_to_the_titles_page(client, title):
    response = client.get(f"{reverse('certification:verify')}?qr={quote(title.qr_token)}")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("competitions:title_verify"))


def test_a_certificate_code_is_never_read_as_a_title(client, title):
    certificate_like = signing.sign_payload({"n": title.number, "nm": title.holder_name})
    page = _verify_qr(client, certificate_like).content.decode()
    assert 'data-status="not_found"' in page and "不是称号证书" in page


def test_revoked_the_public_sees_revoked_and_the_talent_card_no_longer_counts_it(
    client, title, bureau_officer
):
    holder = UserFactory(role=Role.WORKER, worker=title.worker)
    on = datetime.date(2025, 1, 1)
    assert "dongguan_technical_expert" in facts.worker_talent_facts(title.worker, on)["titles"]
    titles.title_revoke(title=title, reason="弄虚作假，取消成绩", actor=bureau_officer)
    page = _verify_qr(client, title.qr_token).content.decode()
    assert 'data-status="revoked"' in page and "弄虚作假，取消成绩" in page
    assert "dongguan_technical_expert" not in facts.worker_talent_facts(title.worker, on)["titles"]
    notice = Notification.objects.get(user=holder, kind=NotificationKind.TITLE_REVOKED)
    assert "弄虚作假" in notice.text
    with pytest.raises(Conflict):
        titles.title_revoke(title=title, reason="再次", actor=bureau_officer)


def test_revoking_needs_a_reason_and_the_right_person(title, bureau_officer, enterprise_user):
    with pytest.raises(DomainError) as caught:
        titles.title_revoke(title=title, reason="  ", actor=bureau_officer)
    assert "reason" in caught.value.fields
    with pytest.raises(PermissionDenied):
        titles.title_revoke(title=title, reason="无权", actor=enterprise_user)


def test_the_revoke_form_puts_the_missing_reason_beside_its_field(client, title, bureau_officer):
    client.force_login(bureau_officer)
    response = client.post(reverse("competitions:title_revoke", args=[title.pk]), {"reason": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="revoke-reason"' in page and "撤销原因" in page and "is-invalid" in page
    title.refresh_from_db()
    assert title.status == Title.Status.VALID
    done = client.post(reverse("competitions:title_revoke", args=[title.pk]), {"reason": "成绩作废"})
    assert done.status_code == 302
    title.refresh_from_db()
    assert title.status == Title.Status.REVOKED


def test_the_holder_sees_their_title_with_its_qr_and_another_worker_does_not(client, title, worker_user):
    holder = UserFactory(role=Role.WORKER, worker=title.worker)
    client.force_login(holder)
    mine = client.get(reverse("competitions:my_titles")).content.decode()
    assert title.number in mine
    detail = client.get(reverse("competitions:title_detail", args=[title.pk])).content.decode()
    assert 'id="title-qr"' in detail and "data:image/png;base64," in detail
    assert 'id="revoke-form"' not in detail
    client.force_login(worker_user)
    assert client.get(reverse("competitions:title_detail", args=[title.pk])).status_code == 404


def test_titles_for_lists_a_workers_titles(title):
    from skillcity.competitions.selectors.titles import titles_for

    assert list(titles_for(title.worker)) == [title]
    assert not titles_for(players_of(title.result.project)[1]).exists()


def test_the_title_pages_read_in_english(client, title, bureau_officer):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    public = _verify_qr(client, title.qr_token).content.decode()
    assert "Verify a technical expert or other title" in public and "The title is valid" in public
    client.force_login(bureau_officer)
    for url in (
        reverse("competitions:title_list"),
        reverse("competitions:title_actions"),
        reverse("competitions:titles_import"),
        reverse("competitions:title_detail", args=[title.pk]),
    ):
        page = client.get(url).content.decode()
        for chinese in (
            "技术能手等称号",
            "授予称号与晋升等级",
            "导入省级、国家级称号",
            "撤销称号",
            "已授称号",
        ):
            assert chinese not in page, (url, chinese)


def test_the_list_takes_a_fixed_number_of_queries_and_a_town_officer_sees_no_actions(
    client, bureau_officer, changan_officer, django_assert_max_num_queries
):
    for _ in range(3):
        titles.titles_award(
            project=confirmed_project(totals=["95", "90", "85"]), actor=bureau_officer, awarded_on=AWARDED_ON
        )
    client.force_login(bureau_officer)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("competitions:title_list")).content.decode()
    assert page.count("DGJSNS2024") >= 9
    client.force_login(changan_officer)
    page = client.get(reverse("competitions:title_list")).content.decode()
    assert reverse("competitions:title_actions") not in page


def test_the_certificate_api_does_not_read_a_title_code_as_a_certificate(client, title):
    from django.core.cache import cache

    cache.clear()
    response = client.post(
        "/api/v1/certification/verify-qr", {"qr": title.qr_token}, content_type="application/json"
    )
    assert response.json()["status"] == "not_found" and response.json()["certificate"] is None
