"""/api/v1/learning/statements: the player's statements in (docs/learning.md "The statement
endpoint"), and the log out as standard xAPI JSON for a learner, a course or a period."""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router
from pydantic import Field

from skillcity.core.access import acting_user
from skillcity.core.bounds import ID_MAX, Id
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.learning.selectors.statements import (
    PAGE_SIZE_DEFAULT,
    PAGE_SIZE_MAX,
    XAPI_VERSION,
    parse_moment,
    statements_for,
    statements_page,
)
from skillcity.learning.services.statements import statements_store

router = Router(tags=["在线学习"])
STATEMENTS_PATH = "/api/v1/learning/statements"


def _xapi(response: HttpResponse) -> HttpResponse:
    response["X-Experience-API-Version"] = XAPI_VERSION
    return response


@router.post(
    "/statements",
    response={200: list[str]},
    summary="提交学习语句（xAPI）",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"oneOf": [{"type": "object"}, {"type": "array"}]}}},
        }
    },
)
def statements_post(request: HttpRequest) -> Any:
    """One xAPI statement (an object) or up to 50 (an array), for the signed-in learner; the ids,
    in order. A 200 means they are committed. 422 names a bad field; 403 a lesson not enrolled in."""
    user = acting_user(request)
    if not user.worker_id or not user.is_worker:
        raise PermissionDenied(_("只有学员本人可以提交学习语句"))
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise DomainError(
            "invalid", _("不是有效的 JSON"), {"__all__": _("不是有效的 JSON")}, status=422
        ) from None
    statements = body if isinstance(body, list) else [body]
    return statements_store(worker_id=user.worker_id, statements=statements)


@router.get("/statements", summary="导出学习语句（xAPI）")
def statements_get(
    request: HttpRequest,
    learner: Id | None = None,
    course: Id | None = None,
    since: str | None = None,
    until: str | None = None,
    after: Annotated[int, Field(ge=0, le=ID_MAX)] = 0,
    limit: Annotated[int, Field(ge=1, le=PAGE_SIZE_MAX)] = PAGE_SIZE_DEFAULT,
) -> HttpResponse:
    """Standard xAPI StatementResult `{"statements": [...], "more": "<next page>"}` for a learner
    (worker id), a course and a stored-time period (`since` inclusive, `until` exclusive). The bureau
    sees all, a town officer its town's learners, an organisation the lessons of its courses, a
    worker their own. At most 500 a page (`limit`); `more` is the next page's address, or ""."""
    user = acting_user(request)
    if not 1 <= limit <= PAGE_SIZE_MAX:
        raise DomainError(
            "invalid", _("每页条数有误"), {"limit": _("应为 1 到 %(n)s") % {"n": PAGE_SIZE_MAX}}, status=422
        )
    if after < 0:
        raise DomainError("invalid", _("翻页位置有误"), {"after": _("不能小于 0")}, status=422)
    selection = statements_for(
        user,
        learner=learner,
        course=course,
        since=parse_moment(since, "since"),
        until=parse_moment(until, "until"),
    )
    page, next_after = statements_page(selection, after=after, size=limit)
    more = ""
    if next_after is not None:
        query = {
            k: v
            for k, v in (("learner", learner), ("course", course), ("since", since), ("until", until))
            if v
        }
        more = f"{STATEMENTS_PATH}?{urlencode({**query, 'limit': limit, 'after': next_after})}"
    response = HttpResponse(
        json.dumps({"statements": page, "more": more}, ensure_ascii=False), content_type="application/json"
    )
    return _xapi(response)
