"""Accounts: users, personal access tokens, login throttling."""

from __future__ import annotations

import datetime
import functools
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.accounts.models import ApiToken, LoginFailure, Role, User, normalise_username
from skillcity.core.audit import audit_record
from skillcity.core.errors import DomainError
from skillcity.core.models import AuditEvent
from skillcity.core.rawsql import RowModel, Statement, convert_value, driver_cursor
from skillcity.registry.models import Organisation

TOKEN_PREFIX = "sct_"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: str,
    actor: Any,
    display_name: str = "",
    town: Any = None,
    organisation: Any = None,
    worker: Any = None,
    is_superuser: bool = False,
) -> User:
    if role not in Role.values:
        raise DomainError("invalid", f"未知角色 {role}", {"role": "未知角色"})
    username = normalise_username(username)
    if User.objects.filter(username=username).exists():
        raise DomainError("invalid", f"用户名 {username} 已存在", {"username": "用户名已存在"})
    user = User(
        username=username,
        role=role,
        display_name=display_name,
        town=town,
        organisation=organisation,
        worker=worker,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor,
        action="user.create",
        target=user,
        after={
            "username": username,
            "role": role,
            "town": user.town_id,
            "organisation": user.organisation_id,
            "worker": user.worker_id,
        },
    )
    return user


@transaction.atomic
def user_set_large_type(*, user: User, large_type: bool, actor: Any) -> User:
    """Switch 长辈模式 (large type) on or off for a user; remembered for their next visits."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.large_type != large_type:
        before = user.large_type
        user.large_type = large_type
        user.save(update_fields=["large_type"])
        audit_record(
            actor=actor,
            action="user.large_type",
            target=user,
            before={"large_type": before},
            after={"large_type": large_type},
        )
    return user


@transaction.atomic
def token_create(*, user: User, name: str, actor: Any) -> tuple[ApiToken, str]:
    """Create a token; the clear token is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise DomainError("invalid", _("请填写令牌名称"), {"name": _("必填")})
    if len(name) > 100:
        raise DomainError("invalid", _("令牌名称不能超过100个字符"), {"name": _("不能超过100个字符")})
    prefix = secrets.token_hex(4)
    clear = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=user, name=name, prefix=prefix, token_hash=_hash_token(clear))
    audit_record(
        actor=actor,
        action="api_token.create",
        target=token,
        target_label=f"{user.username}:{name}",
        after={"user": user.pk, "name": name, "prefix": prefix},
    )
    return token, clear


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Any) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise DomainError("already_revoked", "该令牌已吊销")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="api_token.revoke", target=token, after={"revoked_at": token.revoked_at})
    return token


def user_for_token(clear: str) -> User | None:
    """The active user a bearer token belongs to (with their organisation loaded), or None.

    Every API call comes through here, so it is one hand-written query (skillcity.core.rawsql):
    token, user and organisation in one round trip, with no ORM compilation.
    """
    user_row, organisation_row = _token_rows()
    row = _token_row(clear, f"{user_row.columns}, {organisation_row.columns}")
    if row is None:
        return None
    user = user_row.build(row[: user_row.width])
    if user.organisation_id is not None:
        user._state.fields_cache["organisation"] = organisation_row.build(row[user_row.width :])
    return user


@dataclass(frozen=True)
class Principal:
    """Who a bearer token speaks for, as plain values: what a hot route needs (skillcity.core.hotpath)."""

    user_id: int
    username: str
    role: str
    organisation_id: int | None
    organisation_name: str | None


def principal_for_token(clear: str) -> Principal | None:
    """`user_for_token` without building model instances: the same token, the same checks."""
    row = _token_row(clear, "u.id, u.username, u.role, u.is_superuser, o.id, o.name")
    if row is None:
        return None
    # A superuser acts as a bureau officer whatever the role column says (skillcity.core.access).
    role = Role.BUREAU_OFFICER if row[3] else row[2]
    return Principal(row[0], row[1], role, row[4], row[5])


def _token_row(clear: str, select: str) -> tuple[Any, ...] | None:
    """`select` (over `u` the user and `o` their organisation) for a live token of an active user.

    Touches the token's last_used_at, at most once a minute: a busy client must not turn every
    read into a write.
    """
    if not clear.startswith(TOKEN_PREFIX):
        return None
    with driver_cursor(connections[DEFAULT_DB_ALIAS]) as cursor:
        row = _token_statement(select).run(cursor, [_hash_token(clear)]).fetchone()
    if row is None or not row[2]:
        return None
    now = timezone.now()
    last_used = convert_value(ApiToken, "last_used_at", row[1])
    if last_used is None or now - last_used > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=row[0]).update(last_used_at=now)
    return tuple(row[3:])


@functools.cache
def _token_statement(select: str) -> Statement:
    return Statement(
        f"SELECT t.id, t.last_used_at, u.is_active, {select} "
        "FROM accounts_apitoken t JOIN accounts_user u ON u.id = t.user_id "
        "LEFT JOIN registry_organisation o ON o.id = u.organisation_id "
        "WHERE t.token_hash = %s AND t.revoked_at IS NULL"
    )


@functools.cache
def _token_rows() -> tuple[RowModel[User], RowModel[Organisation]]:
    return RowModel(User, "u"), RowModel(Organisation, "o")


# --- login throttling --------------------------------------------------------------------------------
#
# State lives in the database (LoginFailure rows), so every worker process and every app server sees
# the same failures: a lock set by one process holds in all of them.
#
# Three keys: the normalised username together with the address (LOGIN_MAX_FAILURES: guessing one
# account's password from one place); the normalised username from any address
# (LOGIN_USERNAME_MAX_FAILURES, set higher: guessing one account's password from many addresses, so
# that a change of address gives no fresh tries, while typing an officer's name five times from
# elsewhere does not lock them out); and the address alone (LOGIN_ADDRESS_MAX_FAILURES: trying many
# names from one place).

UNKNOWN_USER_AUDIT_ACTION = "login.failure.unknown_user"


def _window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.LOGIN_LOCK_SECONDS)


def _locked_until(failures: Any, limit: int) -> datetime.datetime | None:
    recent = list(failures.order_by("-at").values_list("at", flat=True)[:limit])
    if len(recent) < limit:
        return None
    return recent[0] + datetime.timedelta(seconds=settings.LOGIN_LOCK_SECONDS)


def login_locked_until(*, username: str, address: str) -> datetime.datetime | None:
    """When the lock on this username (normalised) from this address, on this username from any
    address, or on the address, ends."""
    window = LoginFailure.objects.filter(at__gte=_window_start())
    name = normalise_username(username)[:150]
    from_here = window.filter(address=address)
    ends = [
        _locked_until(from_here.filter(username=name), settings.LOGIN_MAX_FAILURES),
        _locked_until(window.filter(username=name), settings.LOGIN_USERNAME_MAX_FAILURES),
        _locked_until(from_here, settings.LOGIN_ADDRESS_MAX_FAILURES),
    ]
    found = [end for end in ends if end is not None]
    return max(found) if found else None


@transaction.atomic
def login_failure_record(*, username: str, address: str) -> None:
    """Count a failure; audit it once per failure for a real account, once per address and window
    for names that match no account (a flood of made-up names must not grow the audit log without
    bound: the count is in LoginFailure, the audit row marks the address and the window)."""
    name = normalise_username(username)[:150]
    now = timezone.now()
    # Failures older than the window can neither lock nor be counted again.
    LoginFailure.objects.filter(at__lt=now - datetime.timedelta(seconds=settings.LOGIN_LOCK_SECONDS)).delete()
    LoginFailure.objects.create(username=name, address=address, at=now)
    if User.objects.filter(username=name).exists():
        audit_record(
            actor=None,
            action="login.failure",
            target_type="accounts.user",
            target_id=name[:64],
            after={"address": address},
        )
        return
    already = AuditEvent.objects.filter(
        action=UNKNOWN_USER_AUDIT_ACTION, target_id=address[:64], at__gte=_window_start()
    ).exists()
    if not already:
        audit_record(
            actor=None,
            action=UNKNOWN_USER_AUDIT_ACTION,
            target_type="accounts.login_address",
            target_id=address[:64],
            after={"address": address, "window_seconds": settings.LOGIN_LOCK_SECONDS},
        )


def login_failures_clear(*, username: str, address: str) -> None:
    """A success clears that account's failures from that address (not the address's other ones)."""
    LoginFailure.objects.filter(username=normalise_username(username)[:150], address=address).delete()
