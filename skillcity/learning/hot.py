"""The statement endpoint as a hot route (skillcity.core.hotpath): every learner's player posts a
heartbeat every 30 s, so POST /api/v1/learning/statements is answered before Django's request cycle,
from the same parts as the API route (skillcity.learning.api.statements): the learner authenticated
as Django would, `statements_store` in its transaction, the same JSON.

Two ways in, each judged exactly as Django judges it, by Django's own code:
- a bearer token: the same lookup as the API's TokenAuth (`user_for_token`);
- the browser's session cookie: the session row and its expiry (`SessionStore.load`), the user, their
  backend, `is_active` and the session's auth hash (`django.contrib.auth.get_user`), then the CSRF
  check (`CsrfViewMiddleware.process_view`, as Django Ninja's session auth runs it). With the
  platform's settings (database sessions, the model backend) the session row and the user row are
  read by two plain SELECTs, and the rest is Django's own code: the session's decoding, the user
  instance built as a queryset builds it, `user_can_authenticate` and the auth hash. From a session's
  second heartbeat on, the two rows come in one SELECT (`_SESSION_USERS`).
Anything else — no credentials, a user who is not a learner, a failed CSRF check, a body with NUL,
invalid JSON, any refusal by `statements_store` — is passed on to the API route, which answers it
the canonical way. Passing on is safe: a refusal stores nothing, and a statement stored once is
stored once whatever is sent again (its UUID).
"""

from __future__ import annotations

import functools
import io
import json
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user,
    get_user_model,
    load_backend,
)
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.core.handlers.wsgi import WSGIRequest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.http import HttpResponse
from django.http.cookie import parse_cookie
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from skillcity.accounts.models import Role
from skillcity.accounts.services import user_for_token
from skillcity.core.hotpath import HotRequest
from skillcity.core.rawsql import RowModel, Statement, driver_cursor
from skillcity.learning.services.statements import statements_store

STATEMENTS_ROUTE = ("POST", "/api/v1/learning/statements")


def statements(request: HotRequest) -> Any:
    if b"\x00" in request.body or b"\\u0000" in request.body:
        return None  # NullCharacterMiddleware's 422
    worker_id = _learner(request)
    if worker_id is None:
        return None
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None
    return statements_store(worker_id=worker_id, statements=body if isinstance(body, list) else [body])


def _learner(request: HotRequest) -> int | None:
    """The worker the request speaks for, if Django would let it post statements."""
    token = request.bearer_token()
    if token is not None:
        return _worker_of(user_for_token(token))
    # Like Django Ninja's auth chain: with no bearer token, the session cookie.
    key = parse_cookie(str(request.environ.get("HTTP_COOKIE", ""))).get(settings.SESSION_COOKIE_NAME)
    if not key:
        return None
    django_request = WSGIRequest({**request.environ, "wsgi.input": io.BytesIO(request.body)})
    if _plain_sessions():
        user = _session_user(key)
    else:  # another session engine or auth backend: Django's own calls, whatever they are
        engine = import_module(settings.SESSION_ENGINE)
        django_request.session = engine.SessionStore(key)
        user = get_user(django_request)
    if not getattr(user, "is_authenticated", False):
        return None
    csrf = CsrfViewMiddleware(lambda r: HttpResponse())
    csrf.process_request(django_request)
    if csrf.process_view(django_request, _view, (), {}) is not None:
        return None  # Django answers 403
    return _worker_of(user)


# The session and its user in two plain SELECTs instead of the ORM's (what `SessionStore.load` and
# `ModelBackend.get_user` run, half of a heartbeat's cost through the ORM): the database session
# engine and the model backend, the platform's settings, only; the rest is Django's own code.
_DB_SESSIONS = "django.contrib.sessions.backends.db"
_SESSION_SQL = Statement(
    "SELECT session_data FROM django_session WHERE session_key = %s AND expire_date > %s"
)


@functools.cache
def _users() -> RowModel[Any]:
    return RowModel(get_user_model(), "u")


def _user_table() -> tuple[str, str]:
    model = get_user_model()
    pk = model._meta.pk.column  # type: ignore[union-attr]
    return connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(str(pk))


@functools.cache
def _user_sql() -> Statement:
    table, pk = _user_table()
    return Statement(f"SELECT {_users().columns} FROM {table} u WHERE u.{pk} = %s")


def _plain_sessions() -> bool:
    return (
        settings.SESSION_ENGINE == _DB_SESSIONS
        and not settings.CSRF_USE_SESSIONS
        and all(_backend(path).__class__ is ModelBackend for path in settings.AUTHENTICATION_BACKENDS)
    )


@functools.cache
def _backend(path: str) -> Any:
    return load_backend(path)


@functools.cache
def _session_and_user_sql() -> Statement:
    table, pk = _user_table()
    return Statement(
        f"SELECT s.session_data, {_users().columns} FROM django_session s LEFT JOIN {table} u "
        f"ON u.{pk} = %s WHERE s.session_key = %s AND s.expire_date > %s"
    )


# The user a session key was last found to name, by this process. A session's user never changes
# under the same key (Django's login() gives a new key to another user), so on the next heartbeat the
# session row and that user's row are read in one SELECT: two round trips to the database instead of
# three. Only which user row to read comes from here: the session row is still read (a logged-out
# session is gone), still decoded, and must still name this user, or the user is read apart; the user
# row is read afresh, so a password change, a deactivation or a new role counts at once.
_SESSION_USERS: dict[str, Any] = {}
_SESSION_USERS_MAX = 200_000


def _session_user(key: str) -> Any:
    """What `django.contrib.auth.get_user` returns for this session key, for a user Django would keep
    signed in with no change to the session; None otherwise (Django then judges it: a session hash
    made with a fallback secret key is rotated there, an invalid one flushed)."""
    store = import_module(_DB_SESSIONS).SessionStore(key)
    if store.session_key is None:  # a key Django does not accept (too short)
        return None
    db = connections[DEFAULT_DB_ALIAS]
    remembered = _SESSION_USERS.get(store.session_key)
    with driver_cursor(db) as cursor:
        now = db.ops.adapt_datetimefield_value(timezone.now())
        if remembered is None:
            row = _SESSION_SQL.run(cursor, [store.session_key, now]).fetchone()
        else:
            row = _session_and_user_sql().run(cursor, [remembered, store.session_key, now]).fetchone()
        if row is None:
            return None
        session = store.decode(row[0])
        backend_path = session.get(SESSION_KEY) and session.get(BACKEND_SESSION_KEY)
        if backend_path not in settings.AUTHENTICATION_BACKENDS:
            return None
        try:
            user_id = get_user_model()._meta.pk.to_python(session[SESSION_KEY])  # type: ignore[union-attr]
        except ValidationError:
            return None
        if remembered is not None and user_id == remembered:
            found = row[1:] if row[1] is not None else None
        else:
            found = _user_sql().run(cursor, [user_id]).fetchone()
    if found is None:
        return None
    if remembered != user_id:
        if len(_SESSION_USERS) > _SESSION_USERS_MAX:
            _SESSION_USERS.clear()
        _SESSION_USERS[store.session_key] = user_id
    user = _users().build(found)
    if not _backend(backend_path).user_can_authenticate(user):
        return None
    session_hash = session.get(HASH_SESSION_KEY)
    if not session_hash or not constant_time_compare(session_hash, user.get_session_auth_hash()):
        return None
    user.backend = backend_path
    return user


def _worker_of(user: Any) -> int | None:
    if user is None or getattr(user, "is_superuser", False) or user.role != Role.WORKER:
        return None
    return int(user.worker_id) if user.worker_id else None


def _view(request: Any) -> HttpResponse:  # the CSRF check's stand-in view: not exempt
    return HttpResponse()
