"""Applications a programme makes from its own records, for a payee (an organisation or a worker).

A competition's prize, a hosting grant, a camp allowance: the facts are not typed by anyone, they are
read from the programme's records, each with its provenance (`fact_sources`), and the application is
submitted straight into review by the official who made it. It then follows the one grants path
(review → public notice → approval → payment once). `source_key` names the record: while an
application for it stands (not withdrawn or rejected) no second one is made — the database's
conditional unique constraint holds the same line under a race.

The calling programme decides who may act (the competition's organiser or the bureau); this service
only requires a signed-in official.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.grants import flows, outcomes
from skillcity.grants.models import Application, ApplicationState
from skillcity.grants.services import common
from skillcity.grants.services.common import S, _event
from skillcity.notifications.services import application_notify
from skillcity.policy.display import reason_texts
from skillcity.registry.models import Organisation, Worker

SOURCE_KEY_MAX = 120
STANDING_EXCLUDED = (ApplicationState.WITHDRAWN, ApplicationState.REJECTED)


def standing_for_source(source_key: str) -> Application | None:
    """The application standing for a record (not withdrawn or rejected), if any."""
    return Application.objects.filter(source_key=source_key).exclude(state__in=STANDING_EXCLUDED).first()


def standing_by_source(source_keys: list[str]) -> dict[str, Application]:
    """The standing application of each record, for a list of records: one query, not one per row."""
    rows = Application.objects.filter(source_key__in=source_keys).exclude(state__in=STANDING_EXCLUDED)
    return {a.source_key: a for a in rows}


def _refuse_duplicate(source_key: str, existing: Application | None) -> DomainError:
    label = flows.source_label(source_key) or source_key
    return DomainError(
        "source_already_claimed",
        _("“%(s)s”已有补贴申请（编号 %(id)s，状态：%(state)s），不能重复生成")
        % {
            "s": label,
            "id": existing.pk if existing else "—",
            "state": existing.get_state_display() if existing else "—",
        },
        {"source_key": source_key},
        status=409,
    )


@transaction.atomic
def application_from_records(
    *,
    actor: Any,
    rule_id: str,
    payee: Organisation | Worker,
    event_date: datetime.date,
    facts: dict[str, Any],
    fact_sources: dict[str, str],
    source_key: str,
    requested_amount: Decimal | None = None,
) -> Application:
    """Make and submit an application for `payee` from a programme's records, in one transaction:
    the engine's outcome stored, refused when not eligible or when the record already has a standing
    application; an audit row, the timeline's create and submit events, and a message to the payee."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录"))
    source_key = (source_key or "").strip()
    if not source_key or len(source_key) > SOURCE_KEY_MAX:
        raise DomainError("source_key_required", _("来源记录标识必须填写（1–120字符）"))
    if set(facts) - set(fact_sources):
        missing = "、".join(sorted(set(facts) - set(fact_sources)))
        raise DomainError("fact_source_missing", _("以下事实没有注明来源记录：%(f)s") % {"f": missing})
    if isinstance(payee, Organisation):
        scope: dict[str, Any] = {"organisation": payee}
    elif isinstance(payee, Worker):
        scope = {"worker": payee}
    else:
        raise DomainError("bad_payee", _("领取人必须是单位或劳动者"))
    existing = standing_for_source(source_key)
    if existing is not None:
        raise _refuse_duplicate(source_key, existing)
    try:
        outcome = outcomes.evaluate(rule_id, event_date, dict(facts))
    except DomainError as exc:
        if exc.code != "not_in_force":
            raise
        # Which document ended and when, on the programme's page — not the engine's "规则 <code> 没有有效版本".
        from skillcity.policy.in_force import refusal_text

        text = refusal_text(rule_id, event_date, exc)
        raise DomainError("not_in_force", text, {"event_date": text}, status=409) from None
    if not outcome.get("eligible"):
        raise DomainError(
            "not_eligible",
            _("测算结果为不符合条件，不能生成申请：%(r)s") % {"r": _("；").join(reason_texts(outcome))},
        )
    stage = flows.stages_for(rule_id)[0]
    try:
        with transaction.atomic():  # a savepoint: a racing twin's insert fails here, not the caller's work
            app = Application.objects.create(
                rule_id=rule_id,
                town=payee.town,
                event_date=event_date,
                facts=dict(facts),
                fact_sources=dict(fact_sources),
                outcome=outcome,
                state=S.IN_REVIEW,
                stage_index=0,
                stage_due=flows.add_working_days(common._today(), stage.due_days),
                submitted_at=timezone.now(),
                created_by=actor,
                source_key=source_key,
                # The amount the payee asked for (a claim on proof, e.g. a home purchase), when the
                # programme takes one; the review decides the amount.
                requested_amount=requested_amount,
                **scope,
            )
    except IntegrityError:
        raise _refuse_duplicate(source_key, standing_for_source(source_key)) from None
    _event(
        app, actor=actor, action="create", from_state="", reason=gettext_noop("由记录生成")
    )  # stored in Chinese, shown in the reader's language
    _event(app, actor=actor, action="submit", from_state=S.DRAFT)
    audit_record(
        actor=actor,
        action="grants.application.from_records",
        target=app,
        after={**snapshot(app), "source_key": source_key},
    )
    application_notify(application=app, event="made")
    return app
