"""Who may see and change what. Every page and API endpoint looks objects up through here.

A scoped model declares which field places a record in a town (TOWN_FIELD), an organisation
(ORGANISATION_FIELD) and a worker (WORKER_FIELD); a role sees the records its scope reaches:

| role               | sees                          | changes                         |
|--------------------|-------------------------------|---------------------------------|
| bureau officer     | everything                    | everything                      |
| town officer       | records of their own town     | records of their own town       |
| organisation user  | records of their organisation | their organisation's own record |
| worker             | their own records             | nothing in the registry         |
| public             | nothing private               | nothing                         |

An object outside the caller's scope is reported as not found, so its existence does not leak.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from skillcity.core.errors import NotFound, PermissionDenied

if TYPE_CHECKING:
    from skillcity.accounts.models import User

M = TypeVar("M", bound=models.Model)


def _role(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if getattr(user, "is_superuser", False):
        return "bureau_officer"
    return str(user.role)


def visible_to(user: Any, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """The part of `queryset` that `user` may see."""
    model = queryset.model
    role = _role(user)
    if role == "bureau_officer":
        return queryset
    field: str | None = None
    value: Any = None
    if role == "town_officer":
        field, value = getattr(model, "TOWN_FIELD", None), user.town_id
    elif role == "organisation_user":
        field, value = getattr(model, "ORGANISATION_FIELD", None), user.organisation_id
    elif role == "worker":
        field, value = getattr(model, "WORKER_FIELD", None), user.worker_id
    if field is None or value is None:
        return queryset.none()
    return queryset.filter(**{field: value})


def can_write(user: Any, obj: models.Model) -> bool:
    role = _role(user)
    if role == "bureau_officer":
        return True
    if role == "town_officer":
        field = getattr(obj, "TOWN_FIELD", None)
        return field is not None and _resolve(obj, field) == user.town_id
    if role == "organisation_user":
        # An organisation user keeps its own organisation's record (contacts, Annex 1 counts), and the
        # records of models that say their organisation runs them (a provider's projects and rosters).
        field = getattr(obj, "ORGANISATION_FIELD", None)
        if field == "pk":
            return bool(obj.pk == user.organisation_id)
        return (
            bool(getattr(obj, "ORGANISATION_WRITES", False))
            and field is not None
            and (_resolve(obj, field) == user.organisation_id)
        )
    return False


def _resolve(obj: models.Model, path: str) -> Any:
    """The id a field path (e.g. 'worker__town') leads to on an instance."""
    value: Any = obj
    parts = path.split("__")
    for i, part in enumerate(parts):
        if part == "pk":
            return value.pk
        if i == len(parts) - 1:
            return getattr(value, f"{part}_id", getattr(value, part, None))
        value = getattr(value, part)
        if value is None:
            return None
    return value


def get_for(user: Any, queryset: models.QuerySet[M], pk: Any, *, write: bool = False) -> M:
    """The object `pk` if `user` may see it (and, with write=True, change it); otherwise raise."""
    try:
        obj = visible_to(user, queryset).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise NotFound(_("记录不存在或您无权查看")) from None
    if write and not can_write(user, obj):
        raise PermissionDenied(_("您无权修改该记录"))
    return obj


def require_role(user: Any, *roles: str) -> None:
    if _role(user) not in roles:
        raise PermissionDenied(_("您的角色无权执行此操作"))


def acting_user(request: Any) -> User:
    """The logged-in user of a request (pages are login_required, the API authenticates)."""
    from skillcity.accounts.models import User as UserModel

    user = request.user
    if not isinstance(user, UserModel):
        raise PermissionDenied(_("请先登录"))
    return user


def client_address(request: Any) -> str:
    """The address a request came from, as throttles and rate limits key it (REMOTE_ADDR: behind a
    proxy, the proxy must set it to the client's, e.g. Granian's or nginx's real-IP handling)."""
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")
