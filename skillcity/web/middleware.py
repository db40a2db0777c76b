"""Turn a DomainError raised by a page into the same page's message, once, at the edge; refuse a
request body past its view's limit before anything reads it; Chinese first."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import unquote_plus

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from skillcity.core.errors import DomainError

V = TypeVar("V", bound=Callable[..., Any])


def request_body_check(request: HttpRequest, *, limit: int) -> None:
    """Refuse (413) a request whose declared body is longer than `limit` bytes, without reading it."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise DomainError("body_too_large", _("提交的内容过大（上限 %(n)s 字节）") % {"n": limit}, status=413)


def body_limited(setting: str) -> Callable[[V], V]:
    """Mark a page view whose request body may not pass `settings.<setting>` bytes.

    BodyLimitMiddleware refuses a longer body in its process_view, which runs before CSRF's (that
    one reads request.POST, so a check in the view itself would come after the body was read).
    """

    def mark(view: V) -> V:
        view.body_limit_setting = setting  # type: ignore[attr-defined]
        return view

    return mark


# API operations (Django Ninja serves many operations through one view function, so they cannot be
# marked like a page view) by their URL's view name → the setting that bounds their body.
_API_BODY_LIMITS: dict[str, str] = {}


def api_body_limited(operation: str, setting: str) -> None:
    """Bound the body of the API operation whose Django view name is `api:<operation>`."""
    _API_BODY_LIMITS[f"api:{operation}"] = setting


def _refusal(request: HttpRequest, status: int, code: str, message: Any) -> HttpResponse:
    """A refusal at the edge: the API's error shape under /api/, the error page elsewhere."""
    if request.path.startswith("/api/"):
        from skillcity.api import error_response

        return error_response(request, status, code, str(message), {"__all__": [str(message)]})
    return render(request, "web/error.html", {"status": status, "message": message}, status=status)


class BodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        setting = getattr(view_func, "body_limit_setting", None)
        if setting is None and request.resolver_match is not None:
            setting = _API_BODY_LIMITS.get(request.resolver_match.view_name)
        if setting is None:
            return None
        try:
            request_body_check(request, limit=getattr(settings, setting))
        except DomainError as exc:
            return _refusal(request, exc.status, exc.code, exc.message)
        return None


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/") or not isinstance(exception, DomainError):
            return None
        if exception.status == 401 or (exception.status in (403, 404) and not request.user.is_authenticated):
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return render(
            request,
            "web/error.html",
            {"status": exception.status, "message": exception.message},
            status=exception.status,
        )


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the person chose otherwise with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an officer whose browser
    says English would get English pages they never asked for. The platform's language is Chinese;
    English is a choice made with the switch (its cookie), and only that.
    """

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(self.language_for(request.COOKIES))
        request.LANGUAGE_CODE = translation.get_language()

    @staticmethod
    def language_for(cookies: Mapping[str, str]) -> str:
        chosen = cookies.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        return chosen if chosen in supported else settings.LANGUAGE_CODE


class NullCharacterMiddleware:
    """Refuse a request whose query string or form/JSON body carries NUL (U+0000).

    PostgreSQL cannot hold NUL in text, so `?q=%00` or `{"name": "\\u0000"}` reached the database
    and answered 500 there (SQLite stored it). No field of the platform means NUL: 422 in the API's
    error shape, 400 with the error page elsewhere. Uploaded files (multipart) are not looked at.
    The check runs in process_view, after BodyLimitMiddleware's: a body past its view's limit is
    refused from its declared length before this reads it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not self._carries_nul(request):
            return None
        message = _("输入含有不允许的空字符（NUL）")
        return _refusal(request, 422 if request.path.startswith("/api/") else 400, "invalid", message)

    def _carries_nul(self, request: HttpRequest) -> bool:
        if "\x00" in unquote_plus(request.META.get("QUERY_STRING", "")):
            return True
        if request.content_type == "application/json":
            return b"\x00" in request.body or b"\\u0000" in request.body.lower()
        if request.content_type == "application/x-www-form-urlencoded":
            return b"\x00" in request.body or b"%00" in request.body
        return False
