"""Reads for the awards pages and API: the competitions a user may make awards for, a unit's awards and
the applications made for it, the projects a camp may be recorded for, and each claim as shown."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from skillcity.competitions.models import (
    PROVINCIAL_OR_HIGHER,
    CampTrainee,
    Competition,
    ContestProject,
    Result,
    TrainingCamp,
)
from skillcity.competitions.services.awards import SOURCE_PREFIX, Claim
from skillcity.grants.models import Application
from skillcity.grants.services import funds_covering
from skillcity.policy.display import reason_texts, rule_title
from skillcity.policy.engine import load_rules
from skillcity.policy.facts import MONEY
from skillcity.policy.views import BASIS_LABELS
from skillcity.web.templatetags.labels import yuan

LIST_MAX = 200


def _is_bureau(user: Any) -> bool:
    return getattr(user, "role", None) == "bureau_officer" or bool(getattr(user, "is_superuser", False))


def competitions_for_awards(user: Any) -> QuerySet[Competition]:
    """The bureau: every competition; a unit: those it organises. With their confirmed projects counted."""
    qs = Competition.objects.select_related("organiser").annotate(
        confirmed=Count("projects", filter=Q(projects__state=ContestProject.State.CONFIRMED))
    )
    if _is_bureau(user):
        return qs.order_by("-year", "-starts_on", "-id")
    if getattr(user, "role", None) == "organisation_user" and user.organisation_id:
        return qs.filter(organiser_id=user.organisation_id).order_by("-year", "-starts_on", "-id")
    return qs.none()


def competition_for_awards(user: Any, pk: int) -> Competition:
    from skillcity.core.errors import NotFound

    found = competitions_for_awards(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("记录不存在或您无权查看"))
    return found


def unit_results(organisation_id: int) -> QuerySet[Result]:
    """A unit's results in confirmed projects (its entries' awards)."""
    return (
        Result.objects.filter(entry__unit_id=organisation_id, project__state=ContestProject.State.CONFIRMED)
        .select_related("project__competition", "entry")
        .prefetch_related("entry__players__worker")
        .order_by("-project__competition__year", "project_id", "rank")[:LIST_MAX]
    )


def unit_applications(organisation_id: int) -> list[Application]:
    """Applications made from competition records for the unit, or for its players and trainees from
    the unit's own entries and camps (not what the same people won with another unit)."""
    results = set(Result.objects.filter(entry__unit_id=organisation_id).values_list("pk", flat=True))
    camps = set(TrainingCamp.objects.filter(unit_id=organisation_id).values_list("pk", flat=True))
    workers = set(
        Result.objects.filter(pk__in=results).values_list("entry__players__worker", flat=True)
    ) | set(CampTrainee.objects.filter(camp_id__in=camps).values_list("worker", flat=True))
    found = (
        Application.objects.filter(source_key__startswith=SOURCE_PREFIX)
        .filter(Q(organisation_id=organisation_id) | Q(worker_id__in=workers))
        .select_related("organisation", "worker")
        .order_by("-id")
    )

    def ours(app: Application) -> bool:
        if app.organisation_id == organisation_id:
            return True
        kind, _sep, rest = app.source_key.removeprefix(SOURCE_PREFIX).partition(":")
        record = rest.split(":", 1)[0]
        return record.isdigit() and int(record) in (
            results if kind == "result" else camps if kind == "camp" else ()
        )

    return [app for app in found if ours(app)][:LIST_MAX]


def unit_camps(organisation_id: int) -> QuerySet[TrainingCamp]:
    return (
        TrainingCamp.objects.filter(unit_id=organisation_id)
        .select_related("project__competition")
        .annotate(trainee_count=Count("trainees"))
        .order_by("-starts_on", "-id")[:LIST_MAX]
    )


def camps_all() -> QuerySet[TrainingCamp]:
    return (
        TrainingCamp.objects.select_related("project__competition", "unit")
        .annotate(trainee_count=Count("trainees"))
        .order_by("completed", "-starts_on", "-id")[:LIST_MAX]
    )


def camp_projects() -> QuerySet[ContestProject]:
    """The provincial-or-higher projects a camp may be recorded for, newest first (a few hundred at
    most: Dongguan fields teams in tens of provincial and national projects a year)."""
    return (
        ContestProject.objects.filter(competition__level__in=PROVINCIAL_OR_HIGHER)
        .select_related("competition")
        .order_by("-competition__year", "competition__name", "name")
    )


def fact_rows(rule_id: str, facts: dict[str, Any]) -> list[tuple[str, str]]:
    """Facts with the rule's labels and choice names (never a code)."""
    rule = load_rules().get(rule_id)
    specs = {f.name: f for f in rule.facts} if rule else {}
    rows = []
    for name, value in facts.items():
        spec = specs.get(name)
        choices = {code: _(text) for code, text in spec.choices} if spec else {}
        if spec is not None and spec.kind == MONEY:
            shown = f"¥{yuan(value)}"  # 20,000.00, as every amount on a page
        else:
            shown = str(choices.get(value, value))
        rows.append((_(spec.label) if spec else name, shown))
    return rows


def missing_funds(claims: list[Claim]) -> list[tuple[str, int]]:
    """(rule, year) of the claims whose programme has no fund for the year: approval will ask for one."""
    wanted = {(c.rule_id, c.event_date.year) for c in claims if c.eligible}
    return sorted((r, y) for r, y in wanted if not funds_covering(r, y, y).exists())


def claim_row(claim: Claim) -> dict[str, Any]:
    """One claim as the page and the API show it."""
    outcome = claim.outcome
    app = claim.application
    return {
        "rule_id": claim.rule_id,
        "rule": rule_title(claim.rule_id),
        "payee": claim.payee_name,
        "payee_kind": "worker" if claim.payee_is_worker else "organisation",
        "project": claim.project.name,
        "record": claim.record,
        "event_date": claim.event_date,
        "facts": fact_rows(claim.rule_id, claim.facts),
        "fact_sources": claim.fact_sources,
        "eligible": claim.eligible,
        "basis": outcome.get("basis") or "none",
        "basis_label": str(BASIS_LABELS.get(outcome.get("basis") or "none", "")),
        "amount": outcome.get("amount"),
        "min": outcome.get("min"),
        "max": outcome.get("max"),
        "reasons": reason_texts(outcome),
        "source_key": claim.source_key,
        "application": app,
    }
