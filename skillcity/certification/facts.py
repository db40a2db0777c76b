"""Facts other rules need, computed from certificates (policy-catalog §13 names).

CRT-ENT (an enterprise, a calendar year): filed_and_certifying, qbank_filed, shortage_certification,
year_new_certificates, year_new_certificates_level2_or_higher, provincial_social_org.
TAL-CARD (a worker): titles, highest_skill_level. TRN-UPSKILL (a worker's latest certificate):
certificate_kind, level, in_shortage_catalog.

Revoked certificates count for nothing. Registered with the grants fact-provider registry in apps.py.
"""

from __future__ import annotations

import datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from skillcity.certification.models import Certificate, Evaluator
from skillcity.registry.models import Organisation, SkillRecord, Worker

FALLBACK_SHORTAGE_FILE = Path(__file__).parent / "data" / "shortage_occupations.yaml"


@cache
def _fallback_shortage() -> dict[int, frozenset[str]]:
    data = yaml.safe_load(FALLBACK_SHORTAGE_FILE.read_text(encoding="utf-8")) or {}
    return {int(year): frozenset(str(code) for code in codes) for year, codes in data.items()}


def shortage_occupation_codes(year: int) -> frozenset[str]:
    """The year's shortage catalog: the training app's imported catalog, or the fallback data file."""
    try:
        from skillcity.training.models import ShortageCatalogEntry
    except ImportError:  # pragma: no cover - the training app is part of the platform
        return _fallback_shortage().get(year, frozenset())
    codes = frozenset(
        ShortageCatalogEntry.objects.filter(year=year).values_list("occupation__code", flat=True)
    )
    return codes or _fallback_shortage().get(year, frozenset())


def _valid_certificates() -> Any:
    return Certificate.objects.filter(status=Certificate.Status.VALID)


def enterprise_certification_facts(organisation: Organisation, year: int) -> dict[str, Any]:
    """CRT-ENT's facts for one enterprise and one calendar year (D002 item 21: both thresholds in one year)."""
    evaluator = Evaluator.objects.filter(organisation=organisation).first()
    if evaluator is None:
        return {
            "filed_and_certifying": False,
            "qbank_filed": False,
            "shortage_certification": False,
            "year_new_certificates": 0,
            "year_new_certificates_level2_or_higher": 0,
            "provincial_social_org": False,
        }
    issued = _valid_certificates().filter(evaluator=evaluator)
    in_year = issued.filter(issued_on__year=year)
    shortage = shortage_occupation_codes(year)
    return {
        # Filed (备案 approved; a suspended evaluator was filed too) and has issued at least one certificate.
        "filed_and_certifying": evaluator.state in (Evaluator.State.ACTIVE, Evaluator.State.SUSPENDED)
        and issued.filter(issued_on__year__lte=year).exists(),
        "qbank_filed": evaluator.qbank_filed,
        "shortage_certification": bool(shortage) and in_year.filter(occupation__code__in=shortage).exists(),
        "year_new_certificates": in_year.count(),
        "year_new_certificates_level2_or_higher": in_year.filter(level__lte=2).count(),
        "provincial_social_org": evaluator.provincial
        and evaluator.kind == "social_organisation"
        and evaluator.state == Evaluator.State.ACTIVE,
    }


def _standing_skill_records(worker: Worker, on: datetime.date) -> Any:
    # A revoked certificate's record, and a revoked title's (competitions.Title, "revoked"), no longer count.
    return (
        SkillRecord.objects.filter(worker=worker, obtained_on__lte=on)
        .exclude(certificate__status=Certificate.Status.REVOKED)
        .exclude(title__status="revoked")
    )


def worker_talent_facts(worker: Worker, on: datetime.date) -> dict[str, Any]:
    """TAL-CARD's facts from the worker's records (studio_lead_level comes from the platforms app)."""
    records = _standing_skill_records(worker, on)
    levels = records.filter(kind=SkillRecord.Kind.SKILL_LEVEL, level__isnull=False).values_list(
        "level", flat=True
    )
    titles = sorted(
        set(records.filter(kind=SkillRecord.Kind.HONOUR).exclude(honour="").values_list("honour", flat=True))
    )
    return {"highest_skill_level": min(levels, default=None), "titles": titles}


def worker_upskill_facts(worker: Worker, on: datetime.date) -> dict[str, Any] | None:
    """TRN-UPSKILL's facts for the worker's latest valid certificate on or before `on`, or None."""
    certificate = (
        _valid_certificates()
        .filter(worker=worker, issued_on__lte=on)
        .select_related("occupation")
        .order_by("-issued_on", "-id")
        .first()
    )
    if certificate is None:
        return None
    return {
        "certificate_kind": "skill_level",
        "level": certificate.level,
        "in_shortage_catalog": certificate.occupation.code
        in shortage_occupation_codes(certificate.issued_on.year),
        "certificate_number": certificate.number,
    }


# --- grants fact providers: function(applicant, event_date) -> {fact: (value, provenance)} -------------

PROVENANCE = "平台证书记录（技能等级认定）"


def provide_crt_ent(applicant: Any, event_date: datetime.date) -> dict[str, tuple[Any, str]]:
    if not isinstance(applicant, Organisation):
        return {}
    facts = enterprise_certification_facts(applicant, event_date.year)
    source = f"{PROVENANCE}：{event_date.year}年"
    return {name: (value, source) for name, value in facts.items()}


def provide_tal_card(applicant: Any, event_date: datetime.date) -> dict[str, tuple[Any, str]]:
    if not isinstance(applicant, Worker):
        return {}
    return {name: (value, PROVENANCE) for name, value in worker_talent_facts(applicant, event_date).items()}


def provide_trn_upskill(applicant: Any, event_date: datetime.date) -> dict[str, tuple[Any, str]]:
    if not isinstance(applicant, Worker):
        return {}
    facts = worker_upskill_facts(applicant, event_date)
    if facts is None:
        return {}
    source = f"{PROVENANCE}：证书{facts.pop('certificate_number')}"
    return {name: (value, source) for name, value in facts.items()}


def register_fact_providers() -> None:
    try:
        from skillcity.grants.flows import register_fact_provider
    except ImportError:  # pragma: no cover - grants is part of the platform
        return
    register_fact_provider("CRT-ENT", provide_crt_ent)
    register_fact_provider("TAL-CARD", provide_tal_card)
    register_fact_provider("TRN-UPSKILL", provide_trn_upskill)
