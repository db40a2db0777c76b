"""Issue 13 item 4: a public notice a citizen can read — the rule's title, the applicant (a person's
name masked), the town, the amount, a stored notice number and the period; searched, paged, with a
breadcrumb; an objection answered with its receipt number, and its errors next to its fields."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from skillcity.core.masking import mask_name
from skillcity.grants import services
from skillcity.grants.models import Objection, PublicNotice
from tests.grants.conftest import submitted

pytestmark = pytest.mark.django_db

NOTICES = "/grants/notices/"


def _on_notice(user, reviewers, bureau, amount=None, rule="CMP-HOST"):
    app = submitted(user, rule=rule)
    for i, reviewer in enumerate(reviewers):
        last = i == len(reviewers) - 1
        app = services.application_review_pass(
            application=app, actor=reviewer, amount=amount if last else None
        )
    services.notice_start(application=app, actor=bureau, start=timezone.localdate())
    app.refresh_from_db()
    return app


@pytest.fixture
def org_notice(enterprise_user, changan_officer, bureau_officer):
    return _on_notice(enterprise_user, [changan_officer, bureau_officer], bureau_officer, Decimal("36000.00"))


def test_a_person_s_name_is_masked_keeping_the_first_and_last_character():
    assert mask_name("张三明") == "张*明"
    assert mask_name("李四") == "李*"
    assert mask_name("欧阳修文") == "欧**文"
    assert mask_name("") == ""


def test_a_notice_gets_a_stable_number_when_it_starts(org_notice):
    notice = org_notice.notice
    assert notice.number == f"GS-{notice.start.year}-{notice.pk:06d}"
    assert re.fullmatch(r"GS-\d{4}-\d{6}", notice.number)
    notice.refresh_from_db()
    assert PublicNotice.objects.filter(number=notice.number).count() == 1


def test_the_notice_shows_title_applicant_town_amount_number_and_period(org_notice):
    html = Client().get(NOTICES).content.decode()
    notice = org_notice.notice
    assert "承办竞赛补助" in html  # the rule's title, not only its ID
    assert org_notice.organisation.name in html  # an organisation in full
    assert org_notice.town.name in html
    assert '<dd class="col-8 col-md-4 sc-notice-amount">36,000.00</dd>' in html
    assert notice.number in html
    assert f"{notice.start:%Y-%m-%d} 至 {notice.end:%Y-%m-%d}" in html
    card = html.split(f'id="notice-{notice.pk}"')[1].split("</article>")[0]
    assert " · " not in card  # no dangling separator where the amount was
    assert '<li class="breadcrumb-item active" aria-current="page">补贴公示</li>' in html


def test_the_amount_falls_back_to_the_engine_s_when_none_was_decided(
    enterprise_user, changan_officer, bureau_officer, finance_officer
):
    app = _on_notice(enterprise_user, [bureau_officer, finance_officer], bureau_officer, rule="EDU-BASE")
    assert app.decided_amount is None
    assert app.notice.amount == Decimal("1000000.00")
    assert "1,000,000.00" in Client().get(NOTICES).content.decode()


def test_a_worker_s_name_is_shown_masked(worker_user, changan_officer, bureau_officer):
    app = _on_notice(worker_user, [changan_officer, bureau_officer], bureau_officer, rule="TAL-CARD-FLOOR")
    html = Client().get(NOTICES).content.decode()
    assert app.worker.name not in html and mask_name(app.worker.name) in html
    # …and cannot be found by the full name either.
    found = Client().get(NOTICES, {"q": app.worker.name}).content.decode()
    assert app.notice.number not in found


def test_notices_are_searched_by_rule_applicant_number_and_town(org_notice, changan, humen):
    notice = org_notice.notice
    client = Client()
    name = org_notice.organisation.name
    assert notice.number in client.get(NOTICES, {"q": name[:3]}).content.decode()
    assert notice.number in client.get(NOTICES, {"q": notice.number}).content.decode()
    assert notice.number in client.get(NOTICES, {"rule": "CMP-HOST"}).content.decode()
    assert notice.number not in client.get(NOTICES, {"rule": "EDU-BASE"}).content.decode()
    assert notice.number in client.get(NOTICES, {"town": changan.pk}).content.decode()
    missing = client.get(NOTICES, {"town": humen.pk}).content.decode()
    assert notice.number not in missing and "没有符合条件的公示" in missing


def test_notices_are_paged(enterprise_user, changan_officer, bureau_officer, settings):
    settings.PAGE_SIZE = 2
    numbers = [
        _on_notice(enterprise_user, [changan_officer, bureau_officer], bureau_officer).notice.number
        for _ in range(3)
    ]
    first = Client().get(NOTICES).content.decode()
    second = Client().get(NOTICES, {"page": 2}).content.decode()
    assert "第 1 / 2 页，共 3 条" in first
    assert sum(n in first for n in numbers) == 2 and sum(n in second for n in numbers) == 1


def test_an_objection_is_answered_with_its_receipt_on_the_page(org_notice):
    client = Client()
    response = client.post(
        f"/grants/notices/{org_notice.notice.pk}/objection/",
        {"text": "重复申报", "contact": "138"},
        follow=True,
    )
    receipt = Objection.objects.get().receipt
    html = response.content.decode()
    assert f'<strong class="sc-receipt-number" id="receipt-number">{receipt}</strong>' in html
    assert org_notice.notice.number in html.split('id="receipt"')[1].split("</div>")[0]
    assert receipt not in client.get(NOTICES).content.decode()  # shown once


def test_an_empty_objection_says_what_to_fill_in_next_to_the_fields(org_notice):
    response = Client().post(
        f"/grants/notices/{org_notice.notice.pk}/objection/", {"text": "", "contact": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-text" data-field="text"><li>请填写“异议内容”</li>' in html
    assert "请修正以下 1 处错误" in html
    assert Objection.objects.count() == 0


def test_an_anonymous_objection_without_contact_names_the_contact_field(org_notice):
    response = Client().post(f"/grants/notices/{org_notice.notice.pk}/objection/", {"text": "重复申报"})
    html = response.content.decode()
    assert 'id="error-contact" data-field="contact"><li>请填写“联系方式”</li>' in html
    assert "未登录提出异议须留下联系方式" in html
