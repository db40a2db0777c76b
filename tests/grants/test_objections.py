"""Issue 12 §7: public objections cannot be used to block a grant — rate-limited per address and per
notice (counted in the database), bounded in size, answered with a receipt, and dismissable in bulk
as spam with a reason and an audit row each."""

from __future__ import annotations

import datetime
import io
import json
import re

import pytest
from django.test import Client
from django.test.client import ClientHandler

from skillcity.core.models import AuditEvent
from skillcity.grants import services
from skillcity.grants.models import ApplicationState, Objection
from tests.grants.conftest import AFTER_NOTICE, submitted, to_notice

pytestmark = pytest.mark.django_db

RECEIPT = re.compile(r"^\d{8}-[A-HJ-NP-Z2-9]{6}$")


@pytest.fixture
def on_notice(enterprise_user, changan_officer, bureau_officer, monkeypatch):
    app = to_notice(submitted(enterprise_user), [changan_officer, bureau_officer], bureau_officer)
    monkeypatch.setattr(services.common, "_today", lambda: datetime.date(2024, 4, 2))
    return app


def _object(client: Client, notice_id: int, address: str = "203.0.113.7", **body: str):
    payload = {"text": "该企业未举办此赛事", "contact": "13800000000", **body}
    return client.post(
        f"/api/v1/grants/notices/{notice_id}/objections",
        data=json.dumps(payload),
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def _bureau(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_objection_is_answered_with_a_stored_unique_receipt(on_notice):
    first = _object(Client(), on_notice.notice.pk)
    second = _object(Client(), on_notice.notice.pk)
    assert first.status_code == second.status_code == 201
    body = first.json()
    assert RECEIPT.match(body["receipt"]) and body["state_label"] == "待处理"
    assert body["receipt"] != second.json()["receipt"]
    stored = Objection.objects.get(pk=body["id"])
    assert (stored.receipt, stored.address) == (body["receipt"], "203.0.113.7")


def test_the_page_shows_the_objector_their_receipt(on_notice):
    response = Client().post(
        f"/grants/notices/{on_notice.notice.pk}/objection/",
        {"text": "重复申报", "contact": "138"},
        follow=True,
        REMOTE_ADDR="203.0.113.8",
    )
    receipt = Objection.objects.get().receipt
    assert f"回执编号 {receipt}" in response.content.decode()


def test_twenty_objections_at_once_from_one_address_are_limited(on_notice, settings):
    settings.OBJECTION_MAX_PER_ADDRESS = 5
    answers = [_object(Client(), on_notice.notice.pk).status_code for _ in range(20)]
    assert answers == [201] * 5 + [429] * 15
    assert Objection.objects.count() == 5
    # Another address is not held back by the first one's limit.
    assert _object(Client(), on_notice.notice.pk, address="198.51.100.1").status_code == 201


def test_the_limit_names_why_in_the_one_error_shape(on_notice, settings):
    settings.OBJECTION_MAX_PER_ADDRESS = 1
    _object(Client(), on_notice.notice.pk)
    refused = _object(Client(), on_notice.notice.pk)
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited" and "频繁" in refused.json()["message"]


def test_anonymous_objections_on_one_notice_are_limited_per_day(on_notice, settings, enterprise_user):
    settings.OBJECTION_MAX_PER_NOTICE = 3
    answers = [
        _object(Client(), on_notice.notice.pk, address=f"198.51.100.{n}").status_code for n in range(5)
    ]
    assert answers == [201, 201, 201, 429, 429]
    # A logged-in objector is accountable and still heard.
    signed_in = Client()
    signed_in.force_login(enterprise_user)
    assert _object(signed_in, on_notice.notice.pk, address="198.51.100.99").status_code == 201


def test_a_five_megabyte_objection_is_refused_before_it_is_read(on_notice):
    response = _object(Client(), on_notice.notice.pk, text="异" * (5 * 1024 * 1024 // 3))
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"
    assert Objection.objects.count() == 0


class _CountingInput(io.BytesIO):
    """A request body that counts how much of it the server read."""

    taken = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.taken += len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        data = super().readline(size)
        self.taken += len(data)
        return data


@pytest.mark.parametrize("nul", [False, True])
def test_a_five_megabyte_api_objection_is_refused_without_reading_a_byte(on_notice, nul):
    """Through the whole middleware stack (the NUL check reads JSON bodies): the limit is judged
    from the declared length first, so not one byte of the 5 MB is read."""
    body = json.dumps({"text": ("\u0000" if nul else "") + "x" * (5 * 1024 * 1024), "contact": ""}).encode()
    stream = _CountingInput(body)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": f"/api/v1/grants/notices/{on_notice.notice.pk}/objections",
        "QUERY_STRING": "",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "203.0.113.9",
        "wsgi.input": stream,
        "wsgi.url_scheme": "http",
    }
    # The test client's handler (it keeps the test's database connection open), given a WSGI
    # environment whose input counts what is read.
    response = ClientHandler()(environ)
    assert response.status_code == 413 and json.loads(response.content)["code"] == "body_too_large"
    assert stream.taken == 0
    assert Objection.objects.count() == 0


def test_a_five_megabyte_objection_on_the_page_is_refused_before_anything_reads_it(on_notice):
    # With CSRF enforced and no token: CSRF's check reads the form, so a 413 (not 403) shows the
    # size was judged first, from the declared length alone.
    response = Client(enforce_csrf_checks=True).post(
        f"/grants/notices/{on_notice.notice.pk}/objection/",
        {"text": "x" * (5 * 1024 * 1024), "contact": "138"},
    )
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()
    assert Objection.objects.count() == 0


@pytest.mark.parametrize(("field", "label"), [("text", "异议内容"), ("contact", "联系方式")])
def test_a_field_past_its_maximum_is_refused_naming_it(on_notice, field, label):
    response = _object(Client(), on_notice.notice.pk, **{field: "长" * 2001})
    assert response.status_code == 422
    body = response.json()
    assert list(body["fields"]) == [field] and label in body["message"]
    assert Objection.objects.count() == 0


def test_the_bureau_dismisses_objections_in_bulk_as_spam_and_the_grant_proceeds(
    on_notice, bureau_officer, settings
):
    settings.OBJECTION_MAX_PER_ADDRESS = 100
    ids = [_object(Client(), on_notice.notice.pk).json()["id"] for _ in range(12)]
    client = _bureau(bureau_officer)
    listed = client.get("/api/v1/grants/objections").json()
    assert sorted(o["id"] for o in listed) == sorted(ids) and {o["state_label"] for o in listed} == {"待处理"}
    response = client.post(
        "/api/v1/grants/objections/dismiss-spam",
        data=json.dumps({"ids": ids, "reason": "同一来源批量提交的无实质内容异议"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert {o["state_label"] for o in response.json()["dismissed"]} == {"作为垃圾异议驳回"}
    rows = AuditEvent.objects.filter(action="grants.objection.dismiss_spam")
    assert sorted(r.after["objection"] for r in rows) == sorted(ids)
    assert {r.after["reason"] for r in rows} == {"同一来源批量提交的无实质内容异议"}
    app = services.application_approve(application=on_notice, actor=bureau_officer, today=AFTER_NOTICE)
    assert app.state == ApplicationState.APPROVED


def test_a_bulk_dismissal_is_all_or_nothing(on_notice, bureau_officer):
    first = _object(Client(), on_notice.notice.pk).json()["id"]
    resolved = _object(Client(), on_notice.notice.pk).json()["id"]
    services.objection_resolve(
        objection=Objection.objects.get(pk=resolved), actor=bureau_officer, resolution="不成立", upheld=False
    )
    response = _bureau(bureau_officer).post(
        "/api/v1/grants/objections/dismiss-spam",
        data=json.dumps({"ids": [first, resolved], "reason": "垃圾"}),
        content_type="application/json",
    )
    assert response.status_code == 409 and "异议不成立" in response.json()["message"]
    assert Objection.objects.get(pk=first).state == Objection.State.OPEN
    assert not AuditEvent.objects.filter(action="grants.objection.dismiss_spam").exists()


def test_a_bulk_dismissal_needs_a_reason_and_the_bureau(on_notice, bureau_officer, enterprise_user):
    ids = [_object(Client(), on_notice.notice.pk).json()["id"]]
    no_reason = _bureau(bureau_officer).post(
        "/api/v1/grants/objections/dismiss-spam",
        data=json.dumps({"ids": ids, "reason": " "}),
        content_type="application/json",
    )
    assert no_reason.status_code == 422 and list(no_reason.json()["fields"]) == ["reason"]
    not_bureau = _bureau(enterprise_user).post(
        "/api/v1/grants/objections/dismiss-spam",
        data=json.dumps({"ids": ids, "reason": "垃圾"}),
        content_type="application/json",
    )
    assert not_bureau.status_code == 403
    assert Objection.objects.get().state == Objection.State.OPEN


def test_the_review_page_dismisses_the_ticked_objections_as_spam(on_notice, bureau_officer):
    ids = [_object(Client(), on_notice.notice.pk).json()["id"] for _ in range(3)]
    client = _bureau(bureau_officer)
    page = client.get("/grants/bureau/").content.decode()
    assert "将勾选的异议作为垃圾异议驳回" in page and "待处理" in page
    response = client.post(
        "/grants/objections/dismiss-spam/", {"ids": ids[:2], "reason": "重复提交"}, follow=True
    )
    assert "已作为垃圾异议驳回 2 条" in response.content.decode()
    states = dict(Objection.objects.values_list("pk", "state"))
    assert [states[i] for i in ids] == ["spam", "spam", "open"]
    assert AuditEvent.objects.filter(action="grants.objection.dismiss_spam").count() == 2
