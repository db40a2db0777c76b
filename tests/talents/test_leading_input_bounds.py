"""Money and ids typed into the leading-talent pages and API: an exponent, a huge number or a word is
refused with the field's label, never a server error."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from skillcity.core.errors import DomainError
from skillcity.talents.services import leading
from skillcity.talents.views.leading_forms import HomePurchaseForm, RentForm, RewardForm
from tests.talents.leading_helpers import DAY, expert, funds

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.parametrize(
    "raw", ["1e30", "1E5", "NaN", "Infinity", "99999999999999999999", "12.345", "-5", "abc"]
)
def test_parse_money_refuses_with_the_label_and_the_field(raw):
    with pytest.raises(DomainError) as refused:
        leading.parse_money(raw, "living_amount", "生活补贴")
    assert refused.value.code == "bad_amount"
    assert "生活补贴" in refused.value.message and "living_amount" in refused.value.fields


def test_parse_money_reads_a_plain_amount():
    assert str(leading.parse_money(" 150000.5 ", "x", "金额")) == "150000.50"


@pytest.mark.parametrize(
    "form_class,field",
    [(HomePurchaseForm, "requested"), (RewardForm, "requested"), (RentForm, "monthly_amount")],
)
def test_the_forms_bound_the_amounts(form_class, field):
    form = form_class(data={field: "1e30", "first_month": "2025-03-01", "months": "3"})
    assert not form.is_valid() and field in form.errors
    huge = form_class(data={field: "99999999999999", "first_month": "2025-03-01", "months": "3"})
    assert not huge.is_valid() and field in huge.errors


@pytest.fixture
def in_panel(bureau_officer, worker_user):
    funds(bureau_officer)
    call = leading.call_create(
        actor=bureau_officer,
        year=2025,
        title="2025年认定",
        opens_on=datetime.date(2025, 3, 1),
        closes_on=timezone.localdate() + datetime.timedelta(days=30),
        quota=25,
    )
    app = leading.application_submit(actor=worker_user, call=call, grounds="g", day=DAY)
    leading.formal_check(actor=bureau_officer, application=app, passed=True)
    return app


def test_the_review_page_refuses_an_exponent_and_a_word_as_member(in_panel, bureau_officer):
    b = _client(bureau_officer)
    act = reverse("talents:leading_act", args=[in_panel.pk])
    exponent = b.post(act, {"action": "shortlist", "living_amount": "1e30"}, follow=True)
    assert exponent.status_code == 200 and "生活补贴" in exponent.content.decode()
    word = b.post(act, {"action": "assign", "member": "abc"}, follow=True)
    assert word.status_code == 200 and "评审专家：请选择" in word.content.decode()
    huge = b.post(act, {"action": "assign", "member": "9" * 30}, follow=True)
    assert huge.status_code == 200 and not in_panel.assignments.exists()


def test_a_member_of_another_call_is_refused_on_the_page(in_panel, bureau_officer, changan):
    other_call = leading.call_create(
        actor=bureau_officer,
        year=2026,
        title="2026年认定",
        opens_on=datetime.date(2026, 3, 1),
        closes_on=datetime.date(2026, 3, 31),
        quota=5,
    )
    ew, _eu = expert(changan)
    member = leading.panel_member_add(actor=bureau_officer, call=other_call, worker=ew)
    b = _client(bureau_officer)
    b.post(reverse("talents:leading_act", args=[in_panel.pk]), {"action": "assign", "member": member.pk})
    assert not in_panel.assignments.exists()


def test_the_api_refuses_an_exponent_and_overlong_text(in_panel, bureau_officer):
    b = _client(bureau_officer)
    url = f"/api/v1/talents/leading/applications/{in_panel.pk}/actions"
    exponent = b.post(url, {"action": "shortlist", "living_amount": "1e30"}, content_type="application/json")
    assert exponent.status_code == 400 and "living_amount" in exponent.json()["fields"]
    long_note = b.post(
        url, {"action": "not_shortlisted", "note": "x" * 5000}, content_type="application/json"
    )
    assert long_note.status_code == 422
    long_amount = b.post(
        url, {"action": "shortlist", "living_amount": "1" * 5000}, content_type="application/json"
    )
    assert long_amount.status_code == 422
