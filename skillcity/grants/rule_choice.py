"""Which rules the grants form offers: the rules applied for here, and those made from a programme's
records (the form still takes them, with a note saying where they are made and a flag for reviewers)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from skillcity.policy import views as policy_views

# The rules applied for here (catalog: EDU-*, CMP-*, PLT-*, CRT-ENT, TAL-*); the training rules are settled
# by the training app, and the lookups/checks that grant nothing are not applications.
GRANT_PREFIXES = ("EDU-", "CMP-", "PLT-", "CRT-", "TAL-")
NOT_APPLIED_FOR = {"EDU-EQUIV", "CMP-TITLE", "PLT-SUBBASE", "PLT-ALLIANCE", "PLT-EXPERTS", "TAL-HONOUR-SHARE"}
# The competition awards follow from a competition's records: the organiser or the bureau makes them from
# the competition's awards page (competitions.services.awards), so nobody retypes a prize here and a prize
# is not claimed twice (D-42). The form still takes them, for cases no record holds; a typed one shows
# its reviewers any application made from records for the same rule, payee and year.
_COMPETITION_RECORDS = (
    gettext_lazy(
        "该补贴按竞赛记录（成绩、承办、组队、集训）计算，由竞赛组织单位或市人社局在竞赛的“奖励与补贴”页面一键"
        "生成申请，获奖选手和单位无需手工申报，同一奖项只申请一次。"
    ),
    "competitions:awards_index",
    gettext_lazy("查看竞赛奖励与补贴"),
)
_SCHOOL_RECORDS = (
    gettext_lazy(
        "该补贴按学校的专业、在校生和学生证书记录计算，由学校在本校页面按记录一键生成申请，每项记录只申请一次。"
    ),
    "schools:school_list",
    gettext_lazy("查看技工院校"),
)
# Rule → (why it is made from records, the page that makes it, the link's label). Issue 17 adds the
# platforms' and schools' rules: studios, standards and bases are paid from their recognition records,
# sub-base courses from their rosters, the schools' per-major and per-student grants from their rolls.
FROM_RECORDS: dict[str, tuple[Any, str, Any]] = {
    **dict.fromkeys(
        (
            "CMP-PRIZE-CITY",
            "CMP-HOST",
            "CMP-TEAM",
            "CMP-CAMP",
            "CMP-CAMP-TRAINEE",
            "CMP-MATCH",
            "CMP-MATCH-COACH",
            "CMP-WORLDSKILLS",
            "CMP-WORLDSKILLS-COACH",
            "CMP-WS-BASE",
        ),
        _COMPETITION_RECORDS,
    ),
    "PLT-STUDIO": (
        gettext_lazy(
            "该补贴按技能大师工作室的认定记录计算：市人社局认定工作室、记录其获评省级或国家级时由平台生成申请，"
            "无需手工申报，每项只申请一次。"
        ),
        "platforms:studio_list",
        gettext_lazy("查看技能大师工作室"),
    ),
    "PLT-STANDARD": (
        gettext_lazy(
            "该经费按培训评价标准的开发和认定记录计算，标准经专家组认定时由平台生成申请，每个标准只申请一次。"
        ),
        "platforms:standard_list",
        gettext_lazy("查看培训评价标准"),
    ),
    "EDU-BASE": (
        gettext_lazy(
            "该经费按校企合作基地的认定记录计算，基地认定时由平台在专项资金内生成申请，每个基地只申请一次。"
        ),
        "platforms:base_list",
        gettext_lazy("查看校企合作基地"),
    ),
    "EDU-MAJOR-BUILD": _SCHOOL_RECORDS,
    "EDU-DEMO-MAJOR": _SCHOOL_RECORDS,
    "EDU-INTL-CERT": _SCHOOL_RECORDS,
    # Issue 19: the graduate's employment comes from the social-insurance contributions, never typed.
    "EDU-GRAD-RETENTION": (
        gettext_lazy(
            "该奖励按毕业记录和社保缴费记录计算：学校在本校页面“毕业生留莞就业奖励”按届查看每名毕业生的就业情况，"
            "为符合条件的毕业生一次生成申请，每名毕业生只申请一次。"
        ),
        "schools:school_list",
        gettext_lazy("查看技工院校"),
    ),
}


def grant_rule_groups() -> list[dict[str, Any]]:
    groups = []
    for group in policy_views.rule_groups():
        rules = [
            r
            for r in group["rules"]
            if r.id.startswith(GRANT_PREFIXES) and r.id not in NOT_APPLIED_FOR | FROM_RECORDS.keys()
        ]
        if rules:
            groups.append({**group, "rules": rules})
    return groups
