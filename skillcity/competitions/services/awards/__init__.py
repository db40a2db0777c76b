"""Awards from a competition's records: each claimable award computed, and its grants application made
by one action of the organiser or the bureau (docs/competitions.md, "奖励与补贴").

Nothing is typed: every fact comes from a record (the competition's level, a result's award and prize
money, a camp's months) and says which one in `fact_sources`. The amount is the policy engine's
(skillcity.grants.outcomes.evaluate), shown before anything is made; the application then goes the one
grants path (review → public notice → approval → payment once) through
`grants.services.application_from_records`. Each award has a source key naming its record, so a second
"generate" makes no duplicate.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from skillcity.competitions.models import Competition, ContestProject, Entry, Result, TrainingCamp
from skillcity.competitions.services.awards.claims import (
    AWARD_RULES,
    SOURCE_PREFIX,
    Claim,
    claims_for,
    project_label,
    result_source,
)
from skillcity.core.audit import audit_record
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.grants import services as grants
from skillcity.grants.models import Application

__all__ = [
    "AWARD_RULES",
    "SOURCE_PREFIX",
    "Claim",
    "awards_generate",
    "can_generate",
    "claims_for",
    "describe_source",
]


def can_generate(user: Any, competition: Competition) -> bool:
    """The bureau, or a user of the competition's organiser."""
    role = getattr(user, "role", None)
    if not getattr(user, "is_authenticated", False):
        return False
    if role == "bureau_officer" or getattr(user, "is_superuser", False):
        return True
    return bool(
        role == "organisation_user"
        and competition.organiser_id is not None
        and user.organisation_id == competition.organiser_id
    )


def awards_generate(*, competition: Competition, actor: Any, source_key: str = "") -> list[Application]:
    """Make the application of every claimable award of the competition not yet claimed (or of the one
    `source_key`). Each is its own transaction (grants.services.application_from_records): a fund or an
    outcome that refuses one row leaves the others made; a second run makes nothing new."""
    if not can_generate(actor, competition):
        raise PermissionDenied(_("只有竞赛主办单位或市人社局可以生成补贴申请"))
    claims = [c for c in claims_for(competition) if not source_key or c.source_key == source_key]
    if source_key and not claims:
        raise DomainError("claim_not_found", _("该竞赛没有这项可申请的奖励"), {"source_key": source_key})
    made = []
    for claim in claims:
        # One row asked for: the grants service refuses it, naming the record, when it is claimed or
        # not eligible. Every row: those are skipped, so a second run makes nothing new.
        if not source_key and (claim.application is not None or not claim.eligible):
            continue
        try:
            app = grants.application_from_records(
                actor=actor,
                rule_id=claim.rule_id,
                payee=claim.payee,
                event_date=claim.event_date,
                facts=claim.facts,
                fact_sources=claim.fact_sources,
                source_key=claim.source_key,
            )
        except DomainError as exc:
            # Every row: one made meanwhile by someone else is skipped, as it would have been listed.
            if source_key or exc.code != "source_already_claimed":
                raise
            continue
        made.append(app)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="competitions.awards.generate",
            target=competition,
            after={"made": [a.pk for a in made], "source_key": source_key},
        )
    return made


def describe_source(source_key: str) -> str | None:
    """The record a competitions source key names, for the grants pages ("来源：…竞赛…项目…")."""
    parts = source_key.removeprefix(SOURCE_PREFIX).split(":")
    if len(parts) < 3 or not parts[1].isdigit():
        return None
    kind, pk = parts[0], int(parts[1])
    if kind == "result":
        result = Result.objects.select_related("project__competition").filter(pk=pk).first()
        return result_source(result) if result else None
    if kind == "project":
        project = ContestProject.objects.select_related("competition").filter(pk=pk).first()
        return project_label(project) if project else None
    if kind == "camp":
        camp = TrainingCamp.objects.select_related("project__competition", "unit").filter(pk=pk).first()
        return (
            _("%(p)s 的集训（%(u)s）") % {"p": project_label(camp.project), "u": camp.unit.name}
            if camp
            else None
        )
    if kind == "entry":
        entry = Entry.objects.select_related("project__competition").filter(pk=pk).first()
        return _("%(p)s 的参赛报名") % {"p": project_label(entry.project)} if entry else None
    return None
