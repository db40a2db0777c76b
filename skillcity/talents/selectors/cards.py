"""Talent card reads: eligibility computed live by TAL-CARD from the platform's records, the holder's
card and services, the bureau's list, and the public verification of a scanned card."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.certification import signing
from skillcity.core.access import visible_to
from skillcity.core.masking import mask_name
from skillcity.policy.engine import Outcome, evaluate, get_rule
from skillcity.registry.models import Worker
from skillcity.talents.models import STUDIO_RANK, CardService, StudioLead, TalentCard

# The QR payload's type marker: a card token is never taken for a certificate (whose payload has none).
CARD_TOKEN_TYPE = "talent_card"
STUDIO_PROVENANCE = "工作室领办人导入名单（平台建设工作室前的过渡）"


def provide_studio_lead(applicant: Any, event_date: datetime.date) -> dict[str, tuple[Any, str]]:
    """TAL-CARD's studio_lead_level: the highest studio the worker leads, from the imported list and the
    platforms' recognised, open studios (the highest level wins and names its source). Registered with the
    grants fact providers in apps.py."""
    if not isinstance(applicant, Worker):
        return {}
    levels = StudioLead.objects.filter(worker=applicant, recognised_on__lte=event_date).values_list(
        "level", flat=True
    )
    found = [(str(lv), STUDIO_PROVENANCE) for lv in levels]
    # The platforms' own studios (issue 17): recognised and open ones; the provenance names the studio.
    from skillcity.platforms.selectors.studios import lead_levels

    found += lead_levels(applicant, event_date)
    best = max(found, key=lambda row: STUDIO_RANK[row[0]], default=None)  # type: ignore[index]
    return {"studio_lead_level": best if best is not None else (None, STUDIO_PROVENANCE)}


def card_facts(worker: Worker, on: datetime.date) -> dict[str, tuple[Any, str]]:
    from skillcity.grants.flows import provided_facts

    facts = provided_facts("TAL-CARD", worker, on)
    facts.setdefault("titles", ([], ""))
    facts.setdefault("studio_lead_level", (None, ""))
    facts.setdefault("highest_skill_level", (None, ""))
    return facts


def card_eligibility(worker: Worker, on: datetime.date | None = None) -> Outcome:
    """TAL-CARD evaluated now from the worker's standing records (revoked certificates count for nothing)."""
    day = on or timezone.localdate()
    facts = {name: value for name, (value, _provenance) in card_facts(worker, day).items()}
    return evaluate_in_force("TAL-CARD", day, facts)


def evaluate_in_force(rule_id: str, day: datetime.date, facts: dict[str, Any]) -> Outcome:
    """Evaluate on `day`, or, when the rule is out of force then, under its last version in force, with
    `extra["in_force_note"]` saying so. Every Dongguan document of the pack ended by 2025-12-31; the card,
    the honours share and the education equivalence are standing statuses, not one-off payments, so the
    records of `day` are judged under the last version until the bureau publishes a continuation
    (policy lifecycle), and the pages say which."""
    from skillcity.policy.in_force import out_of_force

    gap = out_of_force(get_rule(rule_id), day)
    if gap is None or gap.offered_day is None:
        outcome = evaluate(rule_id, day, facts)
        outcome.extra["in_force_note"] = ""
        return outcome
    outcome = evaluate(rule_id, gap.offered_day, facts)
    outcome.extra["in_force_note"] = gap.message() + _("按本政策最后适用的版本（%(d)s）计算。") % {
        "d": gap.offered_day.isoformat()
    }
    return outcome


def valid_card(worker: Worker) -> TalentCard | None:
    return TalentCard.objects.filter(worker=worker, status=TalentCard.Status.VALID).first()


def worker_cards(worker: Worker) -> QuerySet[TalentCard]:
    return TalentCard.objects.filter(worker=worker).order_by("-issued_on", "-id")


def active_services() -> QuerySet[CardService]:
    return CardService.objects.filter(active=True).order_by("order", "id")


def card_list(user: Any, *, status: str = "", q: str = "") -> QuerySet[TalentCard]:
    cards = visible_to(user, TalentCard.objects.select_related("worker__town", "worker__employer"))
    if status:
        cards = cards.filter(status=status)
    if q:
        cards = cards.filter(number=q.strip().upper()) | cards.filter(worker__name=q.strip())
    return cards.order_by("-issued_on", "-id")


@dataclass
class CardVerification:
    """What the public may learn from a scanned card: the holder's name masked, the number, the dates."""

    status: str  # valid | revoked | not_found | tampered
    message: str
    card: dict[str, Any] = field(default_factory=dict)
    # 持卡人姓名已更正: the registry name differs from the name the card was signed with.
    name_changed: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "message": self.message,
            "card": self.card or None,
            "name_changed": self.name_changed,
        }


def _public_card(card: TalentCard) -> dict[str, Any]:
    view: dict[str, Any] = {
        "number": card.number,
        "name_masked": mask_name(card.worker.name),
        "issued_on": card.issued_on.isoformat(),
        "status": card.status,
        "status_name": str(card.get_status_display()),
        "grounds": list(card.grounds),
        "grounds_texts": card.grounds_texts,  # the page's, in the reader's language
    }
    if card.status == TalentCard.Status.REVOKED:
        view["revoked_on"] = card.revoked_on.isoformat() if card.revoked_on else None
        view["revoked_reason"] = card.revoked_reason
    return view


def verify_card_token(token: str) -> CardVerification:
    check = signing.verify_token(token)
    if not check.valid or check.payload is None:
        return CardVerification("tampered", _("二维码签名无效，可能被篡改"))
    if check.payload.get("t") != CARD_TOKEN_TYPE:
        # A certificate's QR (signed with the same key) is not a card.
        return CardVerification("not_found", _("这不是优才卡二维码；职业技能等级证书请到证书查询页查验"))
    card = TalentCard.objects.select_related("worker").filter(number=str(check.payload.get("n", ""))).first()
    if card is None:
        return CardVerification("not_found", _("二维码签名有效，但平台中没有该优才卡"))
    # The signature is the platform's, so the signed name is the name the card was issued to: a
    # different registry name now means the name was corrected since, not that the card was forged.
    name_changed = card.worker.name != check.payload.get("nm")
    if card.status == TalentCard.Status.REVOKED:
        return CardVerification(
            "revoked",
            _("该优才卡已撤销（%(d)s）：%(r)s")
            % {"d": f"{card.revoked_on:%Y-%m-%d}", "r": card.revoked_reason},
            _public_card(card),
            name_changed,
        )
    if name_changed:
        return CardVerification(
            "valid", _("优才卡有效；持卡人姓名已更正（发卡后登记姓名有变更）"), _public_card(card), True
        )
    return CardVerification("valid", _("优才卡有效"), _public_card(card))
