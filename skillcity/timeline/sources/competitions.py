"""Competitions (职业技能竞赛): each contest entered, its result once confirmed, and titles held."""

from __future__ import annotations

from django.utils.translation import gettext as _

from skillcity.timeline.sources import TimelineEvent


def events(worker_id: int) -> list[TimelineEvent]:
    from skillcity.competitions.models import EntryPlayer, Title

    out: list[TimelineEvent] = []
    players = EntryPlayer.objects.filter(worker_id=worker_id).select_related(
        "entry__project__competition", "entry__result"
    )
    for p in players:
        project = p.entry.project
        detail = f"{project.competition.name} · {project.name}"
        out.append(TimelineEvent(project.starts_on, "competitions", _("参加职业技能竞赛"), detail))
        result = getattr(p.entry, "result", None)
        if result is None or project.confirmed_at is None or result.rank is None:
            continue
        facts: list[tuple[str, str]] = [(_("名次"), str(result.rank))]
        if result.award:
            facts.append((_("奖项"), str(result.get_award_display())))
        out.append(TimelineEvent(project.ends_on, "competitions", _("竞赛成绩"), detail, tuple(facts)))
    for t in Title.objects.filter(worker_id=worker_id):
        title_facts = ((_("称号证书编号"), t.number),)
        out.append(
            TimelineEvent(t.awarded_on, "competitions", _("获得称号"), t.get_honour_display(), title_facts)
        )
        if t.revoked_on is not None:
            out.append(
                TimelineEvent(
                    t.revoked_on, "competitions", _("称号被撤销"), t.get_honour_display(), title_facts
                )
            )
    return out
