"""Demo step: 2023–2025 training activity for the demo city, and the state it leaves today.

Events are dated inside the policies' validity (2022–2025); what a visitor finds today is what that
history leaves behind, plus vouchers valid now. Built through the services — the catalog import, project
and class creation, voucher issue, redemption (one call each), expiry, settlement, approval, payment —
except the classes' rosters and weekly sign-ins, which are history at volume and are bulk-loaded with one
audit row, as the registry's and certification's demo loads are. The demo worker's own enrolments,
sign-ins and completions go through the services one by one.

Idempotent (does nothing when projects exist) and deterministic from the seed, except the vouchers
valid today, whose validity is counted from the day of the build.
"""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from skillcity.training.demo.courses import (
    projects,
    rosters,
    shortage_catalog,
    worker_completions,
    worker_enrolments,
)
from skillcity.training.demo.money import settlements, vouchers_current, vouchers_history
from skillcity.training.demo.plan import ACTOR, PROJECT_OCCUPATIONS, PROVIDERS, Plan

__all__ = ["training_demo_step"]


def training_demo_step(seed: int, stdout: Any) -> None:
    from skillcity.accounts.models import User
    from skillcity.registry.models import Occupation, Worker
    from skillcity.training import services
    from skillcity.training.models import TrainingProject

    if TrainingProject.objects.exists():
        return
    providers = _providers()
    wanted = list(Occupation.objects.filter(code__in=PROJECT_OCCUPATIONS, active=True).order_by("code"))
    occupations = wanted or list(Occupation.objects.filter(active=True).order_by("id")[:15])
    if not providers or not occupations or not Worker.objects.exists():
        return
    rng = random.Random(seed)
    worker_user = User.objects.filter(username="worker").select_related("worker").first()
    plan = Plan(
        today=timezone.localdate(),
        providers=providers,
        demo_worker=worker_user.worker if worker_user else None,
    )
    # One transaction: a build stopped half-way leaves no training data, and the next start builds it.
    with transaction.atomic():
        catalog = shortage_catalog(rng, occupations)
        projects(rng, plan, occupations, catalog)
        enrolments, sign_ins = rosters(rng, plan)
        worker_enrolments(plan)
        redeemed = vouchers_history(rng, plan)
        worker_completions(plan)
        expired = services.vouchers_expire(today=plan.today, actor=ACTOR)
        current = vouchers_current(rng, plan)
        waiting = settlements(plan)
    stdout.write(
        f"  training: {enrolments} enrolments, {sign_ins} sign-ins, {redeemed} vouchers redeemed, "
        f"{expired} expired, {current} valid today, {waiting} settlements waiting for approval"
    )


def _providers() -> list[Any]:
    from skillcity.accounts.models import User
    from skillcity.registry.models import Organisation, OrganisationCategory

    demo_org = User.objects.filter(username="enterprise").values_list("organisation_id", flat=True).first()
    institutions = Organisation.objects.filter(category=OrganisationCategory.TRAINING_INSTITUTION)
    enterprises = Organisation.objects.filter(category=OrganisationCategory.ENTERPRISE)
    chosen: list[Any] = list(Organisation.objects.filter(pk=demo_org)) if demo_org else []
    for organisation in [*institutions.order_by("id")[:9], *enterprises.order_by("id")[:PROVIDERS]]:
        if len(chosen) >= PROVIDERS:
            break
        if organisation.pk != demo_org:
            chosen.append(organisation)
    return chosen
