"""The demo's accounts: the bureau user, a provider's user and a learner for a worker."""

from __future__ import annotations

from typing import Any

LEARNER_USERNAME = "learner"
PROVIDER_USERNAME = "provider"


def _user(username: str) -> Any:
    from skillcity.accounts.models import User

    return User.objects.filter(username=username).first()


def _provider_account(organisation: Any) -> Any:
    from skillcity.accounts.models import Role
    from skillcity.accounts.services import user_create
    from skillcity.demo import DEMO_PASSWORD

    found = _user(PROVIDER_USERNAME)
    if found is not None:
        return found
    return user_create(
        username=PROVIDER_USERNAME,
        password=DEMO_PASSWORD,
        role=Role.ORGANISATION_USER,
        actor="demo",
        display_name="课程提供单位 演示经办人",
        organisation=organisation,
    )


def _learner_account(worker: Any) -> Any:
    from skillcity.accounts.models import Role
    from skillcity.accounts.services import user_create
    from skillcity.demo import DEMO_PASSWORD

    found = _user(LEARNER_USERNAME)
    if found is not None:
        return found
    return user_create(
        username=LEARNER_USERNAME,
        password=DEMO_PASSWORD,
        role=Role.WORKER,
        actor="demo",
        display_name=worker.name,
        worker=worker,
    )
