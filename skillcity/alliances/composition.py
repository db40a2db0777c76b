"""D000 二's composition and filing rules, checked when the initiator files (and when an active
alliance loses a member). Every missing item is listed together, each in a sentence naming it.

"Same industry/type" (D000 二(三)3) is checked strictly: the alliance names one industry and every
enterprise member must be registered in that industry in the registry; an enterprise with another
or no industry is named in the message. (docs/alliances.md explains the choice.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from skillcity.alliances.models import Alliance, AllianceDocument, DocumentKind, MemberRole, Membership
from skillcity.registry.models import OrganisationCategory

# D000 二(一): the initiator is a training-related unit.
INITIATOR_CATEGORIES: tuple[str, ...] = (
    OrganisationCategory.VOCATIONAL_COLLEGE,
    OrganisationCategory.TECHNICAL_SCHOOL,
    OrganisationCategory.TRAINING_INSTITUTION,
    OrganisationCategory.RESEARCH_INSTITUTE,
    OrganisationCategory.INDUSTRY_ASSOCIATION,
)
# D000 二(三)1: units able to do vocational-ability R&D and training.
TRAINING_CATEGORIES: tuple[str, ...] = (
    OrganisationCategory.VOCATIONAL_COLLEGE,
    OrganisationCategory.TECHNICAL_SCHOOL,
    OrganisationCategory.TRAINING_INSTITUTION,
)


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


def check_composition(alliance: Alliance, members: Iterable[Membership]) -> list[Problem]:
    """The membership rules of D000 二(一)–(三), over the current members."""
    current = [m for m in members if m.left_on is None]
    problems: list[Problem] = []
    initiators = [m for m in current if m.role == MemberRole.INITIATOR]
    if len(initiators) != 1:
        problems.append(
            Problem("initiator", _("联盟应由1家发起单位单独发起，现有%(n)s家") % {"n": len(initiators)})
        )
    elif initiators[0].organisation.category not in INITIATOR_CATEGORIES:
        problems.append(
            Problem(
                "initiator",
                _(
                    "发起单位“%(name)s”是%(category)s，"
                    "发起单位应为职业院校、技工院校、职业培训机构、科研机构或行业协会"
                )
                % {
                    "name": initiators[0].organisation.name,
                    "category": initiators[0].organisation.get_category_display(),
                },
            )
        )
    categories = [m.organisation.category for m in current]
    if not any(c in TRAINING_CATEGORIES for c in categories):
        problems.append(
            Problem(
                "members", _("缺少可承担职业能力研究开发、技能人才培养的职业院校、技工院校或职业培训机构")
            )
        )
    if OrganisationCategory.RESEARCH_INSTITUTE not in categories:
        problems.append(Problem("members", _("缺少可提供职业能力开发及理论研究和技术支持的科研机构")))
    enterprises = [m for m in current if m.organisation.category == OrganisationCategory.ENTERPRISE]
    if not enterprises:
        problems.append(Problem("members", _("缺少同行业、同类型的企业成员")))
    for m in enterprises:
        if m.organisation.industry_id != alliance.industry_id:
            registered = m.organisation.industry.name if m.organisation.industry else _("未登记")
            problems.append(
                Problem(
                    "members",
                    _("企业成员“%(name)s”的所属产业（%(registered)s）与联盟所属产业（%(industry)s）不一致")
                    % {
                        "name": m.organisation.name,
                        "registered": registered,
                        "industry": alliance.industry.name,
                    },
                )
            )
    leads = [m for m in current if m.is_lead]
    if not leads:
        problems.append(Problem("lead", _("未指定承担主体（应为联盟中的优势企业）")))
    elif leads[0].organisation.category != OrganisationCategory.ENTERPRISE:
        problems.append(
            Problem(
                "lead",
                _("承担主体“%(name)s”不是企业，承担主体应为优势企业") % {"name": leads[0].organisation.name},
            )
        )
    return problems


def check_filing(
    alliance: Alliance, members: Iterable[Membership], documents: Iterable[AllianceDocument]
) -> list[Problem]:
    """Everything D000 二(四)–(六) asks for at filing: composition, charter, agreement, Annex 1 of every member."""
    members = list(members)
    problems = check_composition(alliance, members)
    kinds = {d.kind for d in documents}
    if DocumentKind.CHARTER not in kinds:
        problems.append(Problem("charter", _("未上传联盟章程")))
    if DocumentKind.COOPERATION_AGREEMENT not in kinds:
        problems.append(Problem("cooperation_agreement", _("未上传合作协议")))
    missing_annex1 = [
        m.organisation.name for m in members if m.left_on is None and m.annex1_filled_at is None
    ]
    if missing_annex1:
        problems.append(
            Problem(
                "annex1",
                _("以下成员单位未填报《职业培训联盟成员单位登记表》（附件1）：%(names)s")
                % {"names": "、".join(missing_annex1)},
            )
        )
    return problems
