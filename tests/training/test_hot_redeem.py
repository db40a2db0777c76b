"""The counter's redemption as a hot route (skillcity.core.hotpath, skillcity.training.hot).

Every request goes through the real WSGI application, built as skillcity.wsgi builds it, with the
Django application it passes requests to recorded: a test can tell who answered, and that both
answer alike.
"""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import override_settings

from skillcity.accounts.services import principal_for_token, token_create, token_revoke
from skillcity.core import hotpath
from skillcity.core.audit import audit_verify
from skillcity.core.hotpath import HotRoutes
from skillcity.core.models import AuditEvent
from skillcity.training import hot
from skillcity.training.models import Redemption, Voucher, VoucherEvent, VoucherState
from skillcity.wsgi import django_whole_bodies
from tests.factories import UserFactory
from tests.training.conftest import issue

pytestmark = pytest.mark.django_db

PATH = "/api/v1/training/vouchers/redeem"


class Answer:
    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes, by: str):
        self.status_code = int(status.split()[0])
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body
        self.by = by

    def json(self) -> Any:
        return json.loads(self.body)


class Server:
    """The WSGI application with the Django side recorded, as a WSGI server would call it."""

    def __init__(
        self, routes: dict[tuple[str, str], Any] | None = None, django_app: Any = django_whole_bodies
    ):
        self.django_calls = 0

        def django(environ: dict[str, Any], start_response: Any) -> Any:
            self.django_calls += 1
            return django_app(environ, start_response)

        self.app = HotRoutes(django, routes if routes is not None else {hot.REDEEM_ROUTE: hot.redeem})

    def post(
        self,
        body: Any,
        *,
        token: str | None = None,
        path: str = PATH,
        raw: bytes | None = None,
        **environ: str,
    ) -> Answer:
        data = raw if raw is not None else json.dumps(body).encode()
        env: dict[str, Any] = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "testserver",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(data)),
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.input": io.BytesIO(data),
            "wsgi.url_scheme": "http",
            "wsgi.errors": io.StringIO(),
        }
        if token is not None:
            env["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        env.update(environ)
        started: list[Any] = []
        before = self.django_calls
        chunks = self.app(env, lambda status, headers, exc_info=None: started.extend([status, headers]))
        body_bytes = b"".join(chunks)
        return Answer(started[0], started[1], body_bytes, "django" if self.django_calls > before else "hot")


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    """What Django's test Client does: the request signals must not close the test's connection."""
    monkeypatch.setattr(hotpath, "close_old_connections", lambda: None)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(institution_user) -> str:
    return token_create(user=institution_user, name="counter", actor="test")[1]


@pytest.fixture
def vouchers(changan_worker, humen_worker) -> list[Voucher]:
    return list(issue([changan_worker, humen_worker]).vouchers.order_by("id"))


def test_a_bearer_redemption_is_answered_by_the_hot_route_and_stored_once(token, vouchers, institution_user):
    server = Server()
    answer = server.post({"code": vouchers[0].code, "idempotency_key": "k1"}, token=token)
    assert (answer.status_code, answer.by) == (200, "hot")
    assert answer.json()["voucher_code"] == vouchers[0].code
    assert answer.json()["amount"] == "800.00"
    assert answer.json()["enrolment_id"] is None
    redemption = Redemption.objects.get()
    assert (redemption.voucher_id, redemption.provider_id) == (
        vouchers[0].pk,
        institution_user.organisation_id,
    )
    assert Voucher.objects.get(pk=vouchers[0].pk).state == VoucherState.REDEEMED
    event = VoucherEvent.objects.get(voucher=vouchers[0], state="redeemed")
    assert (event.actor_label, event.note) == ("institution_user", institution_user.organisation.name)
    audit = AuditEvent.objects.get(action="voucher.redeem")
    assert (audit.actor_id, audit.actor_label, audit.target_label) == (
        institution_user.pk,
        "institution_user",
        vouchers[0].code,
    )
    assert audit_verify().ok


def test_the_hot_route_answers_exactly_as_the_api_route(token, vouchers):
    hot_answer = Server().post({"code": vouchers[0].code, "idempotency_key": "k1"}, token=token)
    # The same request through Django alone (no hot routes), for the other voucher.
    django_answer = Server(routes={}).post({"code": vouchers[1].code, "idempotency_key": "k2"}, token=token)
    assert (hot_answer.by, django_answer.by, django_answer.status_code) == ("hot", "django", 200)
    hot_body, django_body = hot_answer.json(), django_answer.json()
    assert list(hot_body) == list(django_body)  # the same fields in the same order
    assert (hot_body["voucher_code"], django_body["voucher_code"]) == (vouchers[0].code, vouchers[1].code)
    assert hot_body["amount"] == django_body["amount"] == "800.00"
    assert hot_body["enrolment_id"] is django_body["enrolment_id"] is None
    # The times differ; their rendering does not (Django Ninja's encoder: milliseconds and Z).
    stored = {r.voucher.code: r.redeemed_at for r in Redemption.objects.select_related("voucher")}
    for body in (hot_body, django_body):
        expected = stored[body["voucher_code"]].isoformat(timespec="milliseconds").replace("+00:00", "Z")
        assert body["redeemed_at"] == expected
    assert hot_answer.headers == {
        **django_answer.headers,
        "content-length": hot_answer.headers["content-length"],
    }
    assert hot_answer.headers["content-language"] == "zh-hans"


def test_headers_follow_the_language_cookie_and_the_security_settings(token, vouchers):
    english = {"HTTP_COOKIE": "django_language=en"}
    hot_answer = Server().post({"code": vouchers[0].code, "idempotency_key": "k1"}, token=token, **english)
    django_answer = Server(routes={}).post(
        {"code": vouchers[1].code, "idempotency_key": "k2"}, token=token, **english
    )
    assert hot_answer.by == "hot" and hot_answer.headers["content-language"] == "en"
    assert set(hot_answer.headers) == set(django_answer.headers)
    assert hot_answer.headers["content-language"] == django_answer.headers["content-language"]


def test_over_https_with_hsts_the_headers_are_djangos(token, changan_worker, humen_worker):
    codes = [v.code for v in issue([changan_worker, humen_worker]).vouchers.order_by("id")]
    secure = {"wsgi.url_scheme": "https", "SERVER_PORT": "443"}
    with override_settings(SECURE_HSTS_SECONDS=3600, SECURE_HSTS_INCLUDE_SUBDOMAINS=True):
        # Django reads these settings when it loads its middleware: a handler loaded under them.
        django_app = WSGIHandler()
        hot_answer = Server(django_app=django_app).post(
            {"code": codes[0], "idempotency_key": "k1"}, token=token, **secure
        )
        django_answer = Server(routes={}, django_app=django_app).post(
            {"code": codes[1], "idempotency_key": "k2"}, token=token, **secure
        )
    assert hot_answer.by == "hot"
    assert hot_answer.headers["strict-transport-security"] == "max-age=3600; includeSubDomains"
    assert hot_answer.headers == {
        **django_answer.headers,
        "content-length": hot_answer.headers["content-length"],
    }


def test_a_replay_is_answered_by_the_hot_route_with_the_first_result(token, vouchers):
    server = Server()
    first = server.post({"code": vouchers[0].code, "idempotency_key": "k1"}, token=token)
    again = server.post({"code": vouchers[0].code, "idempotency_key": "k1"}, token=token)
    assert (again.by, again.json()) == ("hot", first.json())
    assert Redemption.objects.count() == 1


@pytest.mark.parametrize(
    ("case", "status", "code"),
    [
        ("redeemed_twice", 409, "voucher_not_redeemable"),
        ("key_reused", 409, "idempotency_key_reused"),
        ("bad_checksum", 400, "invalid_voucher_code"),
        ("missing_key", 422, "invalid"),
        ("not_json", 400, None),
        ("unknown_token", 401, "unauthenticated"),
        ("revoked_token", 401, "unauthenticated"),
    ],
)
def test_a_refusal_is_passed_to_django_with_its_body_and_answered_canonically(
    case, status, code, token, vouchers, institution_user
):
    server = Server()
    server.post({"code": vouchers[0].code, "idempotency_key": "k1"}, token=token)
    body: dict[str, Any] = {"code": vouchers[0].code, "idempotency_key": "k2"}
    raw = None
    use_token = token
    if case == "key_reused":
        body = {"code": vouchers[1].code, "idempotency_key": "k1"}
    elif case == "bad_checksum":
        body = {
            "code": vouchers[1].code[:-1] + ("A" if vouchers[1].code[-1] != "A" else "B"),
            "idempotency_key": "k3",
        }
    elif case == "missing_key":
        body = {"code": vouchers[1].code}
    elif case == "not_json":
        raw = b"{not json"
    elif case == "unknown_token":
        use_token = "sct_00000000_unknown"
    elif case == "revoked_token":
        token_revoke(token=institution_user.api_tokens.get(), actor="test")
    answer = server.post(body, token=use_token, raw=raw)
    assert (answer.by, answer.status_code) == ("django", status), answer.body
    if code is not None:
        assert answer.json()["code"] == code
    if case == "missing_key":
        assert "idempotency_key" in answer.json()["fields"]
    if case == "key_reused":  # the second voucher's claim was taken back
        assert Voucher.objects.get(pk=vouchers[1].pk).state == VoucherState.ISSUED
    assert Redemption.objects.count() == 1
    assert AuditEvent.objects.filter(action="voucher.redeem").count() == 1


def test_a_refusal_is_in_the_chosen_language(token, vouchers):
    server = Server()
    server.post({"code": vouchers[0].code, "idempotency_key": "k1"}, token=token)
    again = server.post(
        {"code": vouchers[0].code, "idempotency_key": "k2"}, token=token, HTTP_COOKIE="django_language=en"
    )
    assert again.by == "django"
    assert again.json()["message"] == "This training voucher has been redeemed"


def test_other_roles_sessions_and_enrolments_go_to_django(
    worker_user, token, vouchers, enrolment, changan_worker
):
    server = Server()
    worker_token = token_create(user=worker_user, name="phone", actor="test")[1]
    refused = server.post({"code": vouchers[0].code, "idempotency_key": "k1"}, token=worker_token)
    assert (refused.by, refused.status_code) == ("django", 403)
    no_token = server.post({"code": vouchers[0].code, "idempotency_key": "k1"})
    assert (no_token.by, no_token.status_code) == ("django", 401)
    mine = changan_worker.vouchers.order_by("id").first()
    with_enrolment = server.post(
        {"code": mine.code, "idempotency_key": "k2", "enrolment_id": enrolment.pk}, token=token
    )
    assert (with_enrolment.by, with_enrolment.status_code) == ("django", 200), with_enrolment.body
    assert with_enrolment.json()["enrolment_id"] == enrolment.pk


def test_a_superuser_token_is_not_a_provider(token, vouchers, institution):
    boss = UserFactory(username="boss", role="organisation_user", organisation=institution, is_superuser=True)
    boss_token = token_create(user=boss, name="t", actor="test")[1]
    assert principal_for_token(boss_token).role == "bureau_officer"
    answer = Server().post({"code": vouchers[0].code, "idempotency_key": "k1"}, token=boss_token)
    assert (answer.by, answer.status_code) == ("django", 403)


def test_an_inactive_users_token_speaks_for_nobody(token, institution_user):
    assert principal_for_token(token).username == "institution_user"
    institution_user.is_active = False
    institution_user.save()
    assert principal_for_token(token) is None
    assert principal_for_token("not-a-token") is None


@pytest.mark.parametrize(
    ("environ", "status"),
    [
        ({"HTTP_HOST": "evil.example"}, 400),  # DisallowedHost
        ({"HTTP_HOST": ""}, 400),  # an empty Host header is Django's to refuse too
        ({"CONTENT_LENGTH": ""}, 422),  # no length: Django reads no body
        ({"CONTENT_LENGTH": "-1"}, 422),
    ],
)
def test_requests_the_hot_route_cannot_judge_cheaply_go_to_django_untouched(environ, status, token, vouchers):
    answer = Server().post({"code": vouchers[0].code, "idempotency_key": "k1"}, token=token, **environ)
    assert (answer.by, answer.status_code) == ("django", status)
    assert not Redemption.objects.exists()


def test_a_body_over_the_upload_limit_goes_to_django(token, vouchers):
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10):
        answer = Server().post({"code": vouchers[0].code, "idempotency_key": "k1"}, token=token)
    assert answer.by == "django"


def test_a_route_that_breaks_is_logged_and_django_answers(caplog, token):
    def broken(request: hotpath.HotRequest) -> Any:
        raise RuntimeError("boom")

    server = Server(routes={("POST", "/api/v1/training/health"): broken})
    with caplog.at_level(logging.ERROR, logger="skillcity.core.hotpath"):
        answer = server.post({}, token=token, path="/api/v1/training/health")
    assert answer.by == "django" and answer.status_code == 405  # health is GET only: Django says so
    assert "hot route /api/v1/training/health failed" in caplog.text


def test_the_hot_path_is_the_api_routes_path_and_the_server_application_serves_it():
    from django.urls import resolve

    import skillcity.wsgi

    assert hot.REDEEM_ROUTE == ("POST", PATH)
    assert resolve(PATH).url_name == "redeem"
    application = skillcity.wsgi.application
    assert isinstance(application, HotRoutes)
    assert application.routes[hot.REDEEM_ROUTE] is hot.redeem  # beside the learning statements route
    assert application.django is django_whole_bodies
