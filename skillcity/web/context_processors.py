"""The navigation a role sees. Apps add their entries here, in the order of the menu."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# (url name, label, roles that see it; "*" = everyone including the public)
NAV_ITEMS: list[tuple[str, Any, set[str]]] = [
    ("web:home", _("首页"), {"*"}),
    ("registry:worker_list", _("劳动者"), {"bureau_officer", "town_officer", "organisation_user"}),
    ("registry:organisation_list", _("单位"), {"bureau_officer", "town_officer", "organisation_user"}),
    ("registry:reference", _("基础数据"), {"bureau_officer", "town_officer"}),
    ("talents:card_list", _("优才卡"), {"bureau_officer", "town_officer"}),
    ("talents:pool", _("高技能人才库"), {"bureau_officer", "town_officer"}),
    (
        "alliances:alliance_list",
        pgettext_lazy("nav", "培训联盟"),
        {"bureau_officer", "town_officer", "organisation_user"},
    ),
    ("training:home", _("职业培训"), {"bureau_officer", "town_officer", "organisation_user", "worker"}),
    (
        "certification:home",
        _("技能等级认定"),
        {"bureau_officer", "town_officer", "organisation_user", "worker"},
    ),
    ("certification:verify", pgettext_lazy("nav", "证书查询"), {"*"}),
    (
        "competitions:competition_list",
        _("职业技能竞赛"),
        {"bureau_officer", "town_officer", "organisation_user"},
    ),
    (
        "competitions:awards_index",
        _("竞赛奖励与补贴"),
        {"bureau_officer", "town_officer", "organisation_user"},
    ),
    ("competitions:calendar", _("竞赛日历"), {"*"}),
    ("competitions:my_contests", _("我的竞赛"), {"worker"}),
    ("competitions:stats", _("竞赛统计"), {"bureau_officer"}),
    (
        "competitions:title_list",
        pgettext_lazy("nav", "称号"),
        {"bureau_officer", "town_officer", "organisation_user", "worker"},
    ),
    # Platforms and schools (issue 17): one 平台院校 dropdown; an entry shows once its page exists.
    ("platforms:studio_list", _("技能大师工作室"), {"bureau_officer", "town_officer", "organisation_user"}),
    ("platforms:subbase_list", _("公共实训分基地"), {"bureau_officer", "organisation_user"}),
    ("platforms:base_list", _("校企合作基地"), {"bureau_officer", "organisation_user"}),
    ("platforms:standard_list", _("培训评价标准"), {"bureau_officer", "organisation_user"}),
    ("platforms:expert_list", _("专家库"), {"bureau_officer"}),
    ("platforms:my_assignments", _("我的评审任务"), {"worker"}),
    ("schools:school_list", _("技工院校"), {"bureau_officer", "organisation_user"}),
    ("platforms:public_index", _("平台名录"), {"public"}),
    # Online learning (issue 18), in the 职业培训 dropdown; an entry shows once its page exists.
    ("learning:catalogue", _("在线课程"), {"*"}),
    ("learning:my_courses", _("我的课程"), {"worker"}),
    ("learning:provider_courses", _("课程管理"), {"organisation_user"}),
    ("learning:review", _("课程审核"), {"bureau_officer"}),
    ("learning:stats", _("学习统计"), {"bureau_officer", "town_officer"}),
    # The employment loop (issue 19): the records the loop closes on, then its programmes.
    ("employment:records", _("就业记录"), {"bureau_officer", "town_officer"}),
    ("employment:my_spells", _("我的就业记录"), {"worker"}),
    ("apprenticeship:home", _("新型学徒制"), {"bureau_officer", "town_officer", "organisation_user"}),
    ("matching:home", _("岗位匹配"), {"bureau_officer", "town_officer", "organisation_user", "worker"}),
    # A visitor reaches the fairs from the home page (one more link would push the visitor's navbar past
    # 1366 px in English).
    ("matching:fair_list", _("招聘会"), {"bureau_officer", "town_officer", "organisation_user", "worker"}),
    ("timeline:mine", _("我的职业档案"), {"worker"}),
    ("timeline:outcomes", _("培训成效"), {"bureau_officer", "town_officer"}),
    ("employment:stats", _("就业统计"), {"bureau_officer", "town_officer"}),
    ("grants:home", _("补贴申报"), {"bureau_officer", "town_officer", "organisation_user", "worker"}),
    ("grants:notices", _("补贴公示"), {"public"}),
    ("talents:leading", _("技能领军人才"), {"bureau_officer", "organisation_user", "worker"}),
    ("talents:exceptional", _("破格晋升"), {"bureau_officer", "worker"}),
    ("policy:calculator", _("政策计算器"), {"*"}),
    ("policy:rules", _("政策规则"), {"bureau_officer"}),
    ("policy:simulate", _("政策模拟"), {"bureau_officer"}),
    # Supervision (issue 20): the alerts, in the 政策 dropdown (a menu of its own would push the
    # officers' navbar past 1366 px).
    ("supervision:alert_list", _("监管预警"), {"bureau_officer", "town_officer"}),
    ("talents:my_card", _("我的优才卡"), {"worker"}),
    ("web:audit_log", _("审计日志"), {"bureau_officer"}),
]


# Entries shown together under one dropdown, so a bureau officer's menu fits one line.
NAV_GROUPS: dict[str, Any] = {
    "registry:worker_list": _("登记"),
    "registry:organisation_list": _("登记"),
    "registry:reference": _("登记"),
    # Training and the training alliances: one 职业培训 dropdown (with issue 17's 平台院校 menu the
    # bureau's navbar must still fit one line at 1366 px).
    "training:home": pgettext_lazy("nav", "职业培训"),
    "alliances:alliance_list": pgettext_lazy("nav", "职业培训"),
    "certification:home": pgettext_lazy("nav", "技能人才"),
    "competitions:competition_list": pgettext_lazy("nav", "技能人才"),
    "competitions:title_list": pgettext_lazy("nav", "技能人才"),
    "policy:calculator": _("政策"),
    "policy:rules": _("政策"),
    "policy:simulate": _("政策"),
    "supervision:alert_list": _("政策"),
    # The talent card, the pool, leading talents, exceptional promotion: the same 技能人才 dropdown as
    # certification and competitions (one dropdown keeps every role's menu one line at 1366 px).
    "talents:card_list": pgettext_lazy("nav", "技能人才"),
    "talents:pool": pgettext_lazy("nav", "技能人才"),
    # The players', public and statistics pages join the same menu (the navbar stays one line at 1366 px).
    "competitions:awards_index": pgettext_lazy("nav", "技能人才"),
    "competitions:calendar": pgettext_lazy("nav", "技能人才"),
    "competitions:my_contests": pgettext_lazy("nav", "技能人才"),
    "competitions:stats": pgettext_lazy("nav", "技能人才"),
    "talents:leading": pgettext_lazy("nav", "技能人才"),
    "talents:exceptional": pgettext_lazy("nav", "技能人才"),
    "platforms:studio_list": pgettext_lazy("nav", "平台院校"),
    "platforms:subbase_list": pgettext_lazy("nav", "平台院校"),
    "platforms:base_list": pgettext_lazy("nav", "平台院校"),
    "platforms:standard_list": pgettext_lazy("nav", "平台院校"),
    "platforms:expert_list": pgettext_lazy("nav", "平台院校"),
    "schools:school_list": pgettext_lazy("nav", "平台院校"),
    # Online learning joins the 职业培训 dropdown (a menu of its own would push every signed-in role's
    # navbar past 1366 px in English); a visitor, who has no training menu, sees 在线课程 as a link.
    "learning:catalogue": pgettext_lazy("nav", "职业培训"),
    "learning:my_courses": pgettext_lazy("nav", "职业培训"),
    "learning:provider_courses": pgettext_lazy("nav", "职业培训"),
    "learning:review": pgettext_lazy("nav", "职业培训"),
    "learning:stats": pgettext_lazy("nav", "职业培训"),
    # The employment loop (issue 19) joins the same dropdown — records, apprenticeship, matching, fairs,
    # the worker's timeline, the training outcomes: a menu of its own would push every role's navbar
    # past 1366 px in English.
    "employment:records": pgettext_lazy("nav", "职业培训"),
    "employment:my_spells": pgettext_lazy("nav", "职业培训"),
    "apprenticeship:home": pgettext_lazy("nav", "职业培训"),
    "matching:home": pgettext_lazy("nav", "职业培训"),
    "matching:fair_list": pgettext_lazy("nav", "职业培训"),
    "timeline:mine": pgettext_lazy("nav", "职业培训"),
    "timeline:outcomes": pgettext_lazy("nav", "职业培训"),
    "employment:stats": pgettext_lazy("nav", "职业培训"),
}


def _role(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "public"
    return "bureau_officer" if user.is_superuser else str(user.role)


def navigation(request: HttpRequest) -> dict[str, Any]:
    role = _role(request)
    items: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for name, label, roles in NAV_ITEMS:
        if "*" not in roles and role not in roles:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # an app not installed yet in this build
            continue
        entry = {
            "url": url,
            "label": label,
            "active": request.path == url or (url != "/" and request.path.startswith(url)),
        }
        group = NAV_GROUPS.get(name)
        if group is None:
            items.append(entry)
            continue
        key = str(group)
        if key not in groups:
            groups[key] = {"label": group, "children": [], "active": False}
            items.append(groups[key])
        groups[key]["children"].append(entry)
        groups[key]["active"] = groups[key]["active"] or entry["active"]
    # A group with a single entry for this role is shown as a plain link.
    items = [i["children"][0] if "children" in i and len(i["children"]) == 1 else i for i in items]
    return {"nav_items": items, "user_role": role}


def display_preferences(request: HttpRequest) -> dict[str, Any]:
    """长辈模式 (large type): on when the user saved it, or when this browser's cookie says so — an older
    person who switched it on before logging in keeps it after (switching off clears both)."""
    user = getattr(request, "user", None)
    saved = bool(user is not None and user.is_authenticated and getattr(user, "large_type", False))
    return {"large_type": saved or request.COOKIES.get("sc_large_type") == "1"}
