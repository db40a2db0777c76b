"""Certificates (技能等级认定): each certificate issued (and revoked), and skill records registered
without a platform certificate (issued elsewhere and recorded in the registry)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from skillcity.timeline.sources import TimelineEvent


def events(worker_id: int) -> list[TimelineEvent]:
    from skillcity.certification.models import Certificate
    from skillcity.registry.models import SkillRecord

    out: list[TimelineEvent] = []
    for c in Certificate.objects.filter(worker_id=worker_id).select_related(
        "occupation", "evaluator__organisation"
    ):
        detail = f"{c.occupation.name} {c.level_name}"
        facts = ((_("证书编号"), c.number), (_("评价机构"), c.evaluator.organisation.name))
        out.append(TimelineEvent(c.issued_on, "certification", _("取得职业技能等级证书"), detail, facts))
        if c.revoked_on is not None:
            out.append(TimelineEvent(c.revoked_on, "certification", _("证书被撤销"), detail, facts))
    records = SkillRecord.objects.filter(
        worker_id=worker_id, certificate__isnull=True, title__isnull=True
    ).select_related("occupation")
    for r in records:
        what = r.occupation.name if r.occupation else r.name
        level = r.get_level_display() if r.level else r.get_title_grade_display() or r.get_honour_display()
        out.append(
            TimelineEvent(
                r.obtained_on,
                "certification",
                _("登记%(kind)s") % {"kind": r.get_kind_display()},
                " ".join(x for x in (str(what or ""), str(level or "")) if x),
                ((_("证书编号"), r.certificate_number),) if r.certificate_number else (),
            )
        )
    return out
