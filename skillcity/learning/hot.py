"""The statement endpoint as a hot route (skillcity.core.hotpath): every learner's player posts a
heartbeat every 30 s, so POST /api/v1/learning/statements is answered before Django's request cycle,
from the same parts as the API route (skillcity.learning.api.statements): the learner authenticated
as Django would, `statements_store` in its transaction, the same JSON.

Two ways in, each judged exactly as Django judges it, by Django's own code:
- a bearer token: the same lookup as the API's TokenAuth (`user_for_token`);
- the browser's session cookie: the session row and its expiry (`SessionStore.load`), the user, their
  backend, `is_active` and the session's auth hash (`django.contrib.auth.get_user`), then the CSRF
  check (`CsrfViewMiddleware.process_view`, as Django Ninja's session auth runs it).
Anything else — no credentials, a user who is not a learner, a failed CSRF check, a body with NUL,
invalid JSON, any refusal by `statements_store` — is passed on to the API route, which answers it
the canonical way. Passing on is safe: a refusal stores nothing, and a statement stored once is
stored once whatever is sent again (its UUID).
"""

from __future__ import annotations

import io
import json
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware

from skillcity.accounts.models import Role
from skillcity.accounts.services import user_for_token
from skillcity.core.hotpath import HotRequest
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
    environ = dict(request.environ)
    cookie_name = settings.SESSION_COOKIE_NAME
    django_request = WSGIRequest({**environ, "wsgi.input": io.BytesIO(request.body)})
    key = django_request.COOKIES.get(cookie_name)
    if not key:
        return None
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


def _worker_of(user: Any) -> int | None:
    if user is None or getattr(user, "is_superuser", False) or user.role != Role.WORKER:
        return None
    return int(user.worker_id) if user.worker_id else None


def _view(request: Any) -> HttpResponse:  # the CSRF check's stand-in view: not exempt
    return HttpResponse()
