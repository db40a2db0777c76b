"""The statement endpoint's hot route answers a learner's bearer token or session (with its CSRF
token) before Django, and passes everything else on to Django, judged exactly as Django judges it."""

from __future__ import annotations

import datetime
import json

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
from django.test import Client, RequestFactory
from django.utils import timezone

from skillcity.accounts.services import token_create
from skillcity.core.hotpath import HotRoutes
from skillcity.learning import hot
from skillcity.learning.models import Statement
from tests.learning.ingest import course_with_lessons, enrol, statement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    # The hot path closes a connection whose autocommit differs from its setting, as Django does at
    # the end of a request; inside a test's transaction that would be every connection (PostgreSQL).
    monkeypatch.setattr("skillcity.core.hotpath.close_old_connections", lambda: None)


class Django:
    """Stands in for Django's application: records what was passed on."""

    def __init__(self) -> None:
        self.passed: list[str] = []

    def __call__(self, environ, start_response):
        self.passed.append(environ["PATH_INFO"])
        start_response("418 Passed On", [])
        return [b""]


@pytest.fixture
def lesson(changan_worker):
    course = course_with_lessons()
    enrol(changan_worker, course)
    return course.lessons.get()


def post(body, **headers):
    django = Django()
    app = HotRoutes(django, {hot.STATEMENTS_ROUTE: hot.statements})
    environ = (
        RequestFactory()
        .post("/api/v1/learning/statements", json.dumps(body), content_type="application/json", **headers)
        .environ
    )
    status: list[str] = []
    content = b"".join(app(environ, lambda s, h: status.append(s)))
    return status[0], content, django.passed


def session_for(user) -> tuple[str, str]:
    client = Client()
    client.force_login(user)
    secret = _get_new_csrf_string()
    return client.cookies[settings.SESSION_COOKIE_NAME].value, secret


def test_a_bearer_token_of_a_learner_is_answered_before_django(worker_user, lesson):
    _, clear = token_create(user=worker_user, name="p", actor="t")
    sent = statement(lesson)
    status, content, passed = post([sent], HTTP_AUTHORIZATION=f"Bearer {clear}")
    assert (status, json.loads(content), passed) == ("200 OK", [sent["id"]], [])
    assert Statement.objects.filter(uuid=sent["id"]).exists()


@pytest.mark.parametrize("plain", [True, False], ids=["two plain SELECTs", "Django's session engine"])
def test_a_session_with_its_csrf_token_is_answered_before_django(worker_user, lesson, plain, monkeypatch):
    # The platform's settings take the two SELECTs; with other session or auth settings the hot route
    # loads the session through Django's own engine.
    assert hot._plain_sessions()
    monkeypatch.setattr(hot, "_plain_sessions", lambda: plain)
    key, secret = session_for(worker_user)
    sent = statement(lesson)
    status, content, passed = post(
        sent,
        HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={key}; {settings.CSRF_COOKIE_NAME}={secret}",
        HTTP_X_CSRFTOKEN=_mask_cipher_secret(secret),
    )
    assert (status, json.loads(content), passed) == ("200 OK", [sent["id"]], [])


def test_what_django_would_refuse_is_passed_on_to_django(worker_user, bureau_officer, lesson):
    key, secret = session_for(worker_user)
    cookies = f"{settings.SESSION_COOKIE_NAME}={key}; {settings.CSRF_COOKIE_NAME}={secret}"
    good_csrf = _mask_cipher_secret(secret)
    refused = [
        {},  # no credentials
        {"HTTP_COOKIE": cookies},  # no CSRF token
        {"HTTP_COOKIE": cookies, "HTTP_X_CSRFTOKEN": _mask_cipher_secret(_get_new_csrf_string())},
        {"HTTP_AUTHORIZATION": "Bearer sct_nonsense"},
    ]
    for headers in refused:
        assert post(statement(lesson), **headers)[2] == ["/api/v1/learning/statements"], headers
    # A bad statement, or a lesson not enrolled in: refused by Django's answer, nothing stored.
    headers = {"HTTP_COOKIE": cookies, "HTTP_X_CSRFTOKEN": good_csrf}
    assert post({**statement(lesson), "id": "x"}, **headers)[2]
    assert post(statement(course_with_lessons(code="KC9").lessons.get()), **headers)[2]
    # Not a learner.
    other_key, other_secret = session_for(bureau_officer)
    assert post(
        statement(lesson),
        HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={other_key}; {settings.CSRF_COOKIE_NAME}={other_secret}",
        HTTP_X_CSRFTOKEN=_mask_cipher_secret(other_secret),
    )[2]
    assert not Statement.objects.exists()
    # A changed password ends the session (its auth hash), as in Django.
    worker_user.set_password("a new password 123")
    worker_user.save()
    assert post(statement(lesson), **headers)[2]
    assert not Statement.objects.exists()


def test_an_expired_session_is_passed_on(worker_user, lesson):
    key, secret = session_for(worker_user)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    passed = post(
        statement(lesson),
        HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={key}; {settings.CSRF_COOKIE_NAME}={secret}",
        HTTP_X_CSRFTOKEN=_mask_cipher_secret(secret),
    )[2]
    assert passed and not Statement.objects.exists()


def test_the_server_application_serves_the_route():
    from skillcity.wsgi import application

    assert application.routes[hot.STATEMENTS_ROUTE] is hot.statements


def test_a_session_django_would_not_keep_signed_in_is_passed_on(worker_user, lesson):
    """The session and user are read by plain SELECTs; each way Django's get_user would refuse is
    still refused: the session gone, a backend not configured, the user made inactive."""
    from django.contrib.auth import BACKEND_SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    def send(key, secret):
        return post(
            statement(lesson),
            HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={key}; {settings.CSRF_COOKIE_NAME}={secret}",
            HTTP_X_CSRFTOKEN=_mask_cipher_secret(secret),
        )

    key, secret = session_for(worker_user)
    assert send(key, secret)[2] == []  # answered here while it stands
    Session.objects.filter(session_key=key).delete()
    assert send(key, secret)[2]
    key, secret = session_for(worker_user)
    store = SessionStore(key)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.RemoteUserBackend"
    store.save()
    assert send(key, secret)[2]
    key, secret = session_for(worker_user)
    assert send("short", secret)[2]  # a key Django does not accept
    worker_user.is_active = False
    worker_user.save()
    assert send(key, secret)[2]
    assert Statement.objects.count() == 1


def test_a_session_now_naming_another_user_is_judged_for_that_user(worker_user, humen_worker, lesson):
    """From a session's second heartbeat the session and its user are read in one SELECT, by the user
    the key named before; a session row that names someone else is judged for whom it names."""
    from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from skillcity.accounts.models import Role
    from tests.factories import UserFactory

    other = UserFactory(username="humen_learner", role=Role.WORKER, worker=humen_worker)
    enrol(humen_worker, lesson.course)
    key, secret = session_for(worker_user)
    headers = {
        "HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={key}; {settings.CSRF_COOKIE_NAME}={secret}",
        "HTTP_X_CSRFTOKEN": _mask_cipher_secret(secret),
    }
    for _ in range(2):  # the first reads the session and the user apart, the second together
        assert post(statement(lesson), **headers)[2] == []
    assert hot._SESSION_USERS[key] == worker_user.pk
    store = SessionStore(key)
    store[SESSION_KEY] = str(other.pk)
    store[HASH_SESSION_KEY] = other.get_session_auth_hash()
    store.save()
    assert post(statement(lesson), **headers)[2] == []
    assert list(Statement.objects.order_by("id").values_list("worker_id", flat=True)) == [
        worker_user.worker_id,
        worker_user.worker_id,
        humen_worker.pk,
    ]
    assert hot._SESSION_USERS[key] == other.pk
