"""/api/v1/accounts/: the current user and their personal access tokens."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from skillcity.accounts.models import ApiToken
from skillcity.accounts.services import token_create, token_revoke
from skillcity.core.access import acting_user
from skillcity.core.bounds import Id
from skillcity.core.errors import Conflict, NotFound
from skillcity.core.schemas import InputSchema

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    role: str
    display_name: str
    town_id: int | None
    organisation_id: int | None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None


class TokenCreated(TokenOut):
    token: str


class TokenIn(InputSchema):
    name: str


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> Any:
    return acting_user(request)


@router.get("/tokens", response=list[TokenOut])
def list_tokens(request: HttpRequest) -> Any:
    return ApiToken.objects.filter(user=acting_user(request))


@router.post("/tokens", response={201: TokenCreated})
def create_token(request: HttpRequest, payload: TokenIn) -> Any:
    token, clear = token_create(user=acting_user(request), name=payload.name, actor=acting_user(request))  # type: ignore[arg-type]
    return 201, {**TokenOut.from_orm(token).dict(), "token": clear}


@router.post("/tokens/{pk}/revoke", response=TokenOut)
def revoke_token(request: HttpRequest, pk: Id) -> Any:
    token = ApiToken.objects.filter(pk=pk, user=acting_user(request)).first()
    if token is None:
        raise NotFound("令牌不存在")
    if token.revoked_at is not None:
        raise Conflict("already_revoked", "该令牌已吊销")
    return token_revoke(token=token, actor=acting_user(request))
