"""The demo city: synthetic registry data and one named account per role.

Programme apps add their own demo data by appending a step to DEMO_STEPS; each step must be
idempotent (run on every `skillcity demo` start, doing nothing the second time).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

DEMO_PASSWORD = "skillcity2026"
DEMO_TOWNS = ("长安镇", "虎门镇")


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role_label: str
    scope: str


# (name, function(seed, stdout)) — run in order after the registry and accounts exist.
DEMO_STEPS: list[tuple[str, Callable[[int, Any], None]]] = []


# Accounts with a password that a programme's demo step creates (`alliance`: skillcity.alliances.demo),
# listed after the six made here once the steps have run: the banner names every account to log in with.
STEP_ACCOUNTS = ("alliance", "judge", "school", "learner", "provider")


@transaction.atomic
def demo_accounts_ensure() -> list[DemoAccount]:
    from skillcity.accounts.models import Role, User
    from skillcity.accounts.services import user_create
    from skillcity.registry.models import Organisation, OrganisationCategory, Town, Worker

    changan = Town.objects.get(name=DEMO_TOWNS[0])
    humen = Town.objects.get(name=DEMO_TOWNS[1])
    enterprise = (
        Organisation.objects.filter(town=changan, category=OrganisationCategory.ENTERPRISE)
        .order_by("id")
        .first()
    )
    worker = Worker.objects.filter(town=changan, highest_level__isnull=False).order_by("id").first()
    wanted: list[tuple[str, str, str, dict[str, Any]]] = [
        ("bureau", Role.BUREAU_OFFICER, "市人社局 演示科员", {}),
        # A second bureau officer: policy versions are published under maker–checker (one drafts, one checks).
        ("bureau2", Role.BUREAU_OFFICER, "市人社局 演示复核员", {}),
        ("changan", Role.TOWN_OFFICER, "长安镇 演示专员", {"town": changan}),
        ("humen", Role.TOWN_OFFICER, "虎门镇 演示专员", {"town": humen}),
        ("enterprise", Role.ORGANISATION_USER, "单位 演示经办人", {"organisation": enterprise}),
        ("worker", Role.WORKER, worker.name if worker else "", {"worker": worker}),
    ]
    accounts = []
    for username, role, display, scope in wanted:
        if None in scope.values():
            continue
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                actor="demo",
                display_name=display,
                **scope,
            )
        accounts.append(_account(user))
    return accounts


def _account(user: Any) -> DemoAccount:
    from skillcity.accounts.models import Role

    label = next(str(lbl) for v, lbl in Role.choices if v == user.role)
    where = (
        user.town
        or user.organisation
        or (user.worker and f"{user.worker.name} {user.worker.id_number_masked}")
        or "全市"
    )
    return DemoAccount(user.username, label, str(where))


def demo_accounts() -> list[DemoAccount]:
    """Every demo account with a password: the six named accounts, then those the steps created."""
    from skillcity.accounts.models import User

    accounts = demo_accounts_ensure()
    for username in STEP_ACCOUNTS:
        user = User.objects.filter(username=username).select_related("organisation").first()
        if user is not None:
            accounts.append(_account(user))
    return accounts


def demo_build(*, seed: int, stdout: Any, size: int | None = None) -> list[DemoAccount]:
    """The demo city (`size` workers; the demo scale's 20,000 by default), then each demo step."""
    from skillcity.registry.generate import generate_city
    from skillcity.registry.models import Worker

    if not Worker.objects.exists():
        stdout.write("Building the demo city (first start only)…")
        # On SQLite the build goes into a fresh file moved into place when complete (`skillcity demo`);
        # elsewhere the city is one transaction, so a build stopped half-way leaves nothing behind.
        atomic = transaction.atomic() if connection.vendor != "sqlite" else contextlib.nullcontext()
        with atomic:
            generate_city(seed=seed, scale="demo", progress=True, workers=size)
    demo_accounts_ensure()
    for name, step in DEMO_STEPS:
        stdout.write(f"Demo data: {name}")
        started = time.perf_counter()
        step(seed, stdout)
        stdout.write(f"  ({name}: {time.perf_counter() - started:.1f} s)")
    return demo_accounts()


def _funds_demo(seed: int, stdout: Any) -> None:
    from skillcity.grants.demo import demo_funds

    demo_funds(seed, stdout)


# First: the programmes' settlements and payments book against these funds.
DEMO_STEPS.append(("funds", _funds_demo))


def _training_demo(seed: int, stdout: Any) -> None:
    from skillcity.training.demo import training_demo_step

    training_demo_step(seed, stdout)


DEMO_STEPS.append(("training", _training_demo))


def _grants_demo(seed: int, stdout: Any) -> None:
    from skillcity.grants.demo import demo_grants

    demo_grants(seed, stdout)


def _alliances_demo(seed: int, stdout: Any) -> None:
    from skillcity.alliances.demo import alliances_demo

    alliances_demo(seed, stdout)


DEMO_STEPS.append(("training alliances", _alliances_demo))


def _certification_demo(seed: int, stdout: Any) -> None:
    from skillcity.certification.demo import certification_demo_step

    certification_demo_step(seed, stdout)


DEMO_STEPS.append(("certification", _certification_demo))


def _policy_draft_demo(seed: int, stdout: Any) -> None:
    from skillcity.policy.lifecycle.demo import policy_draft_demo

    policy_draft_demo(stdout)


DEMO_STEPS.append(("policy draft", _policy_draft_demo))


def _talent_cards_demo(seed: int, stdout: Any) -> None:
    from skillcity.talents.demo_card import card_demo_step

    card_demo_step(seed, stdout)


DEMO_STEPS.append(("talent cards", _talent_cards_demo))

# Grants last: its applications take facts from the other programmes' records (certificates for CRT-ENT).
DEMO_STEPS.append(("grants", _grants_demo))


def _competitions_demo(seed: int, stdout: Any) -> None:
    from skillcity.competitions.demo import competitions_demo

    competitions_demo(seed, stdout)


# After grants: grants' own samples are built only while no application exists, and the competitions'
# awards become applications of their own (made from the contests' records, then moved along grants).
DEMO_STEPS.append(("competitions", _competitions_demo))


def _leading_talents_demo(seed: int, stdout: Any) -> None:
    from skillcity.talents.demo_leading import leading_demo

    leading_demo(seed, stdout)


DEMO_STEPS.append(
    ("leading talents", _leading_talents_demo)
)  # after grants: its samples are made once, first


def _platforms_demo(seed: int, stdout: Any) -> None:
    """Issue 17: the expert pool first (panels draw from it), schools before the school–enterprise bases
    they apply for; each part's demo is its own module."""
    from skillcity.platforms import demo_bases, demo_experts, demo_standards, demo_studios, demo_subbases
    from skillcity.schools import demo as schools_demo

    for step in (
        demo_experts.experts_demo,
        schools_demo.schools_demo,
        demo_studios.studios_demo,
        demo_subbases.subbases_demo,
        demo_bases.bases_demo,
        demo_standards.standards_demo,
    ):
        step(seed, stdout)


DEMO_STEPS.append(("platforms and schools", _platforms_demo))  # after grants, like the talents


def _learning_demo(seed: int, stdout: Any) -> None:
    """Issue 18: 1,000 courses, their lessons and learners in every state (skillcity.learning.demo)."""
    from skillcity.learning.demo import learning_demo

    learning_demo(seed, stdout)


def _employment_demo(seed: int, stdout: Any) -> None:
    """Issue 19: monthly contributions (the graduates' cohorts read them) (skillcity.employment.demo)."""
    from skillcity.employment.demo import employment_demo

    employment_demo(seed, stdout)


DEMO_STEPS.append(("employment records", _employment_demo))  # after the schools: their graduates


def _apprenticeship_demo(seed: int, stdout: Any) -> None:
    """Issue 19 §1: apprenticeships and 校企双制 classes (skillcity.apprenticeship.demo)."""
    from skillcity.apprenticeship.demo import apprenticeship_demo

    apprenticeship_demo(seed, stdout)


def _matching_demo(seed: int, stdout: Any) -> None:
    """Issue 19 §4: job needs, matches, service officers and job fairs (skillcity.matching.demo)."""
    from skillcity.matching.demo import matching_demo

    matching_demo(seed, stdout)


DEMO_STEPS.append(("apprenticeships", _apprenticeship_demo))  # after certification and the schools
DEMO_STEPS.append(("jobs and matching", _matching_demo))  # after the employment records: hires confirm


def _supervision_demo(seed: int, stdout: Any) -> None:
    """Issue 20: a small planted set and a run of the checks (skillcity.supervision.demo)."""
    from skillcity.supervision.demo import supervision_demo

    supervision_demo(seed, stdout)


DEMO_STEPS.append(("online learning", _learning_demo))  # its providers and learners are the city's
DEMO_STEPS.append(("supervision", _supervision_demo))  # last: it checks every other programme's records
