"""/api/v1/: one NinjaAPI, one error shape {"code", "message", "fields"}, routers added by each app."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, include, path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from skillcity.core.errors import DomainError


class TokenAuth(HttpBearer):
    """Authorization: Bearer sct_… — a personal access token from the profile page or `skillcity token create`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from skillcity.accounts.services import user_for_token

        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser's login session (pages calling the API with htmx); CSRF is checked for writes."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if key:
            super()._get_key(request)  # the CSRF check for writes: raises HttpError(403)
        return key

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


api = NinjaAPI(
    title="SkillCity API",
    version="1",
    description="技能人才之都综合服务平台 API. Errors: {code, message, fields}.",
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth(csrf=True)],
)


def error_response(
    request: HttpRequest, status: int, code: str, message: str, fields: dict[str, Any] | None = None
) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "fields": fields or {}}, status=status
    )


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


# pydantic's error types in Chinese, with their limits (skillcity.core.bounds sets them); custom
# errors (bounds' own parsers) carry their Chinese message already.
_MESSAGES = {
    "missing": "必填",
    "extra_forbidden": "不能在此提交或修改",
    "less_than_equal": "不能大于 {le}",
    "less_than": "应小于 {lt}",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "应大于 {gt}",
    "decimal_max_places": "最多 {decimal_places} 位小数",
    "decimal_max_digits": "数字位数过多（最多 {max_digits} 位）",
    "decimal_whole_digits": "整数部分位数过多",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "finite_number": "应为有限的数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "int_parsing_size": "整数过大",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "string_too_long": "不能超过 {max_length} 个字符",
    "date_parsing": "日期应为 YYYY-MM-DD 格式",
    "date_from_datetime_parsing": "日期应为 YYYY-MM-DD 格式",
    "date_from_datetime_inexact": "日期应为 YYYY-MM-DD 格式",
    "date_type": "日期应为 YYYY-MM-DD 格式",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
    "list_type": "应为列表",
    "dict_type": "应为 JSON 对象",
    "model_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "json_invalid": "不是有效的 JSON",
}


def _message(error: dict[str, Any]) -> str:
    template = _MESSAGES.get(str(error.get("type", "")))
    if template is None:
        return str(error.get("msg", "invalid"))
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return template


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(p) for p in error.get("loc", []) if p not in ("body", "query", "path", "payload", "form")]
        fields.setdefault(".".join(loc) or "__all__", []).append(_message(error))
    names = "、".join(fields)
    return error_response(request, 422, "invalid", f"输入有误：{names}", fields)


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, "unauthenticated", "请先登录或提供有效的 API 令牌")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(request, exc.status_code, "http_error", str(exc))


def unknown_api_path(request: HttpRequest) -> HttpResponse:
    """Any /api/v1/ path no router serves: a 404 in the one error shape, not the HTML error page."""
    return error_response(request, 404, "not_found", "接口不存在")


def _register_routers() -> None:
    # Each app exposes `router` in its api module; the order here is the order in the docs.
    from skillcity.accounts.api import router as accounts_router
    from skillcity.alliances.api import router as alliances_router
    from skillcity.apprenticeship.api import router as apprenticeship_router
    from skillcity.certification.api import router as certification_router
    from skillcity.competitions.api import router as competitions_router
    from skillcity.employment.api import router as employment_router
    from skillcity.grants.api import router as grants_router
    from skillcity.learning.api import router as learning_router
    from skillcity.matching.api import router as matching_router
    from skillcity.notifications.api import router as notifications_router
    from skillcity.platforms.api import router as platforms_router
    from skillcity.policy.api import router as policy_router
    from skillcity.policy.lifecycle.api import router as policy_lifecycle_router
    from skillcity.registry.api import router as registry_router
    from skillcity.schools.api import router as schools_router
    from skillcity.schools.api.retention import router as schools_retention_router
    from skillcity.supervision.api import router as supervision_router
    from skillcity.talents.api import router as talents_router
    from skillcity.timeline.api import router as timeline_router
    from skillcity.training.api import router as training_router

    api.add_router("/accounts/", accounts_router)
    api.add_router("/registry/", registry_router)
    api.add_router("/policy/", policy_router)
    api.add_router("/policy/", policy_lifecycle_router)  # drafts, documents (issue 14)
    api.add_router("/alliances/", alliances_router)
    api.add_router("/certification/", certification_router)
    api.add_router("/competitions/", competitions_router)
    api.add_router("/talents/", talents_router)
    api.add_router("/platforms/", platforms_router)
    api.add_router("/schools/", schools_router)
    api.add_router("/schools/", schools_retention_router)  # EDU-GRAD-RETENTION cohorts (issue 19)
    api.add_router("/employment/", employment_router)
    api.add_router("/apprenticeship/", apprenticeship_router)
    api.add_router("/matching/", matching_router)
    api.add_router("/timeline/", timeline_router)
    api.add_router("/supervision/", supervision_router)
    api.add_router("/learning/", learning_router)
    api.add_router("/grants/", grants_router)
    api.add_router("/training/", training_router)
    api.add_router("/notifications", notifications_router)


_register_routers()


def api_urls() -> tuple[list[Any], str, str]:
    """`api.urls`, with each router's paths grouped under its prefix.

    Ninja gives one flat list of ~110 paths, which Django tries one by one (building its list of
    tried patterns for each miss): most of a trivial API call's URL resolution. Grouped by their
    first segment (`training/`, `grants/` …), a path is found among a handful. Names and the `api`
    namespace are unchanged, so reverse() works as before.
    """
    patterns, app_name, namespace = api.urls
    grouped: list[Any] = []
    groups: dict[str, list[Any]] = {}
    for pattern in patterns:
        head, slash, rest = str(pattern.pattern).partition("/")
        if not slash or not isinstance(pattern, URLPattern):
            grouped.append(pattern)
            continue
        if head not in groups:
            groups[head] = []
            grouped.append(path(f"{head}/", include(groups[head])))
        groups[head].append(path(rest, pattern.callback, pattern.default_args, pattern.name))  # type: ignore[arg-type]
    return grouped, app_name, namespace
