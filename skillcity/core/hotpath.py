"""Hot routes: a few API requests answered before Django's request cycle, the same way.

A voucher redemption at the counter has to answer within milliseconds while many counters redeem at
once (bench/vouchers.py). Through Django's request cycle — ten middlewares, URL resolution, Django
Ninja's parameter handling and response building — the framework's share of it cost more than the
redemption itself. A hot route is answered by the WSGI application (skillcity.wsgi) directly, from
the same parts the API uses: the same bearer-token lookup, request schema, service and transaction,
response schema, JSON renderer and response headers (those found by running Django's own
middleware on a probe response, see `_response_headers`).

Only success is answered here. A handler returns the response data, or None to pass the request
on; a refusal (any DomainError, a request body the schema rejects) rolls the handler's transaction
back and passes the request on too. Passed on, the request, body intact, goes through Django,
which answers it the one canonical way: its error shape and language, its status codes, its logs.
A refused request is therefore tried twice, so a hot route must be safe to run again: a read, or a
write that a refusal leaves undone and that replays behind an idempotency key (voucher
redemption is both). Requests a hot route cannot judge as cheaply as Django (a host not plainly
allowed, a body too large or of unknown length, proxy headers in use) go to Django untouched.
"""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pydantic
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import setting_changed
from django.db import close_old_connections
from django.http import HttpResponse
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware
from django.utils import translation

from skillcity.core.errors import DomainError

logger = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass(frozen=True)
class HotRequest:
    environ: Mapping[str, Any]
    body: bytes

    def bearer_token(self) -> str | None:
        """The token of `Authorization: Bearer …`, read as Django Ninja's HttpBearer reads it."""
        parts = str(self.environ.get("HTTP_AUTHORIZATION", "")).split(" ")
        if parts[0].lower() != "bearer":
            return None
        return " ".join(parts[1:])


Handler = Callable[[HotRequest], Any]


class HotRoutes:
    """The WSGI application: hot routes by (method, path), Django for everything else."""

    def __init__(self, django: WSGIApp, routes: Mapping[tuple[str, str], Handler]):
        self.django = django
        self.routes = dict(routes)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        handler = self.routes.get((environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", "")))
        if handler is None or not _servable(environ):
            return self.django(environ, start_response)
        length = int(environ["CONTENT_LENGTH"])
        body = environ["wsgi.input"].read(length) if length else b""
        data = self._answer(handler, HotRequest(environ, body))
        if data is None:
            environ["wsgi.input"] = io.BytesIO(body)
            return self.django(environ, start_response)
        content = _render(data)
        language = _language(environ)
        headers = [("Content-Length", str(len(content)))]
        headers.extend(_response_headers(environ.get("wsgi.url_scheme") == "https", language))
        start_response("200 OK", headers)
        return [content]

    def _answer(self, handler: Handler, request: HotRequest) -> Any:
        # What Django's request_started and request_finished do for the database: a connection past
        # its CONN_MAX_AGE, or broken, is closed. (Their other receivers reset the query log, the
        # caches and the URLconf, none of which a hot route uses.)
        close_old_connections()
        try:
            return handler(request)
        except (DomainError, pydantic.ValidationError):
            return None  # refused: Django answers it the canonical way
        except Exception:
            # A fault of the hot route (or a database error): Django answers, and the log says so.
            logger.exception("hot route %s failed; Django answers it", request.environ.get("PATH_INFO"))
            return None
        finally:
            close_old_connections()


def _servable(environ: Mapping[str, Any]) -> bool:
    """Whether a hot route may judge this request, or Django must (see the module's docstring)."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return False
    rules = _rules()
    if length < 0 or length > rules.max_body or rules.behind_proxy:
        return False
    if rules.https_only and environ.get("wsgi.url_scheme") != "https":
        return False
    # As HttpRequest.get_host: the Host header whenever there is one, even an empty one.
    host = environ["HTTP_HOST"] if "HTTP_HOST" in environ else environ.get("SERVER_NAME", "")
    domain, _port = split_domain_port(str(host))
    return bool(domain) and validate_host(domain, rules.allowed_hosts)


@dataclass(frozen=True)
class _Rules:
    max_body: float
    behind_proxy: bool
    https_only: bool
    allowed_hosts: list[str]


@functools.cache
def _rules() -> _Rules:
    """The settings `_servable` reads, read once (and again when a test overrides one)."""
    allowed = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]  # what HttpRequest.get_host allows
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return _Rules(
        max_body=float("inf") if limit is None else limit,
        behind_proxy=bool(
            settings.USE_X_FORWARDED_HOST or settings.USE_X_FORWARDED_PORT or settings.SECURE_PROXY_SSL_HEADER
        ),
        https_only=settings.SECURE_SSL_REDIRECT,
        allowed_hosts=allowed,
    )


def _settings_changed(**_kwargs: Any) -> None:
    _rules.cache_clear()
    _response_headers.cache_clear()


setting_changed.connect(_settings_changed)


def _language(environ: Mapping[str, Any]) -> str:
    from skillcity.web.middleware import ChineseFirstLocaleMiddleware

    cookie = environ.get("HTTP_COOKIE")
    cookies = parse_cookie(cookie) if cookie else {}
    return ChineseFirstLocaleMiddleware.language_for(cookies)


def _render(data: Any) -> bytes:
    """JSON exactly as the API renders it (Django Ninja's renderer and encoder)."""
    from skillcity.api import api

    if isinstance(data, pydantic.BaseModel):
        data = data.model_dump()
    return str(api.renderer.render(None, data, response_status=200)).encode("utf-8")  # type: ignore[arg-type]


@functools.lru_cache(maxsize=16)
def _response_headers(secure: bool, language: str) -> tuple[tuple[str, str], ...]:
    """The headers Django puts on a JSON answer: a probe response run through the response half of
    the middleware that sets headers on API answers (security, content policy, framing, language)."""
    from skillcity.api import api
    from skillcity.web.middleware import ChineseFirstLocaleMiddleware

    request = WSGIRequest(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/api/",
            "SERVER_NAME": "probe",
            "SERVER_PORT": "443" if secure else "80",
            "wsgi.url_scheme": "https" if secure else "http",
            "wsgi.input": io.BytesIO(b""),
        }
    )
    request.LANGUAGE_CODE = language
    response = HttpResponse(b"", content_type=api.get_content_type())
    noop = HttpResponse
    with translation.override(language):
        # Django runs process_response in the reverse of MIDDLEWARE's order; these four only
        # set headers on the response they are given.
        XFrameOptionsMiddleware(noop).process_response(request, response)
        ChineseFirstLocaleMiddleware(noop).process_response(request, response)
        CSPMiddleware(noop).process_response(request, response)
        SecurityMiddleware(noop).process_response(request, response)
    return tuple(response.items())
