"""Shared set-up for the expert-pool tests: a pool of experts in a few sectors, each a registry worker
of their own unit (and an account to sign in with, when asked)."""

from __future__ import annotations

from typing import Any

from skillcity.accounts.models import Role
from skillcity.platforms.models.experts import Expert
from tests.factories import OrganisationFactory, UserFactory, WorkerFactory


def make_expert(actor: Any, sector: str = "electronics", organisation: Any = None, **values: Any) -> Expert:
    organisation = organisation or OrganisationFactory()
    worker = WorkerFactory(employer=organisation)
    return Expert.objects.create(
        worker=worker,
        sector=sector,
        title=values.pop("title", "高级工程师"),
        organisation=organisation,
        phone=values.pop("phone", "13912345678"),
        created_by=actor,
        **values,
    )


def make_pool(actor: Any, per_sector: dict[str, int], *, accounts: bool = False) -> list[Expert]:
    """Experts per sector; with `accounts`, each can sign in (a leading-talent panel draws only those)."""
    pool = [make_expert(actor, sector) for sector, n in per_sector.items() for _ in range(n)]
    for expert in pool if accounts else ():
        expert_user(expert)
    return pool


def expert_user(expert: Expert) -> Any:
    from skillcity.accounts.models import User

    return User.objects.filter(worker=expert.worker).first() or UserFactory(
        role=Role.WORKER, worker=expert.worker
    )
