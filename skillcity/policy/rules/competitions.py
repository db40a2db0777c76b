"""Competitions: policy-catalog §3."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_noop as N_

from skillcity.policy.engine import Case, Outcome, rule, yuan
from skillcity.policy.facts import CHOICE, INT, MONEY, Fact

LEVELS = (
    ("city_class1", "市级一类"),
    ("city_class2", "市级二类"),
    ("city_selection", "省级以上竞赛东莞市选拔赛"),
    ("provincial_class1", "省级一类"),
    ("provincial_class2", "省级二类"),
    ("national_class1", "国家级一类"),
    ("national_class2", "国家级二类"),
    ("worldskills", "世界技能大赛"),
)
LEVEL_NAMES = dict(LEVELS)
PROVINCIAL_OR_HIGHER = (
    "provincial_class1",
    "provincial_class2",
    "national_class1",
    "national_class2",
    "worldskills",
)
MEDALS = (("gold", "金奖"), ("silver", "银奖"), ("bronze", "铜奖"))
AWARDS = (*MEDALS, ("excellence", "优胜奖"))

LEVEL_FACT = Fact("competition_level", CHOICE, "竞赛级别", choices=LEVELS)
HOST_FLOORS = ("city_class1", "city_class2", "city_selection", "provincial_class1", "provincial_class2")


@rule(
    "CMP-HOST",
    title="承办竞赛补助",
    facts=(LEVEL_FACT,),
    requires=(*(f"CMP-HOST.{lvl}" for lvl in HOST_FLOORS), "CMP-HOST.national_case_by_case"),
    payee="host_unit",
    summary="承办市级一类/二类每项目不低于20/10万元，选拔赛不低于3万元，省级一类/二类不低于40/20万元，国家级一事一议。",
)
def cmp_host(c: Case) -> Outcome:
    level = c["competition_level"]
    if level in HOST_FLOORS:
        name = f"CMP-HOST.{level}"
        floor = c.value(name)
        c.step(
            N_("%(level_label)s竞赛每个项目补助下限"),
            parameter=name,
            result=floor,
            level_label=LEVEL_NAMES[level],
        )
        c.reason(
            N_("承办%(level_label)s竞赛，每个项目补助不低于 %(floor)s 元。"),
            level_label=LEVEL_NAMES[level],
            floor=yuan(floor),
        )
        return c.floor(floor)
    if level in ("national_class1", "national_class2"):
        c.step(N_("国家级竞赛一事一议"), parameter="CMP-HOST.national_case_by_case", result="case_by_case")
        c.reason(N_("承办国家级竞赛，由市人社局以“一事一议”方式向市政府申请资金支持，金额逐案决定。"))
        return c.case_by_case()
    return c.not_eligible(N_("文件未规定承办%(level_label)s的补助。"), level_label=LEVEL_NAMES[level])


@rule(
    "CMP-PRIZE-CITY",
    title="市级一类竞赛奖金",
    facts=(LEVEL_FACT, Fact("award", CHOICE, "奖项", choices=AWARDS)),
    requires=tuple(f"CMP-PRIZE-CITY.{a}" for a, _ in AWARDS),
    payee="player",
    summary="市级一类竞赛金、银、铜、优胜奖分别不低于1万、0.8万、0.5万、0.1万元。",
)
def cmp_prize_city(c: Case) -> Outcome:
    if c["competition_level"] != "city_class1":
        return c.not_eligible(
            N_("该奖金标准只适用于市级一类竞赛，不适用于%(level_label)s。"),
            level_label=LEVEL_NAMES[c["competition_level"]],
        )
    name = f"CMP-PRIZE-CITY.{c['award']}"
    floor = c.value(name)
    c.step(N_("按奖项取奖金下限"), parameter=name, result=floor)
    c.reason(
        N_("市级一类竞赛%(award_label)s，奖金不低于 %(floor)s 元。"),
        award_label=dict(AWARDS)[c["award"]],
        floor=yuan(floor),
    )
    return c.floor(floor)


@rule(
    "CMP-TEAM",
    title="组队参赛补贴",
    facts=(LEVEL_FACT,),
    requires=(("CMP-TEAM.min", "CMP-TEAM.max"), ("CMP-TEAM.cap",)),
    payee="unit",
    summary="组队参加省级以上竞赛每项目3–5万元（D002）；2023年起选手选拔、训练和参赛最高12万元（D003）。",
)
def cmp_team(c: Case) -> Outcome:
    level = c["competition_level"]
    if level not in PROVINCIAL_OR_HIGHER:
        return c.not_eligible(
            N_("组队参赛补贴只适用于省级以上竞赛，不适用于%(level_label)s。"), level_label=LEVEL_NAMES[level]
        )
    if c.has("CMP-TEAM.cap"):
        cap = c.value("CMP-TEAM.cap")
        c.step(N_("选手选拔、训练和参赛补贴上限"), parameter="CMP-TEAM.cap", result=cap)
        c.reason(
            N_("组队参加%(level_label)s竞赛，补贴最高 %(cap)s 元，按实际核定。"),
            level_label=LEVEL_NAMES[level],
            cap=yuan(cap),
        )
        return c.cap(None, cap)
    low, high = c.value("CMP-TEAM.min"), c.value("CMP-TEAM.max")
    c.step(N_("每个参赛项目补贴下限"), parameter="CMP-TEAM.min", result=low)
    c.step(N_("每个参赛项目补贴上限"), parameter="CMP-TEAM.max", result=high)
    c.reason(
        N_("组队参加%(level_label)s竞赛，每个参赛项目补贴 %(low)s–%(high)s 元，由审核人在区间内核定。"),
        level_label=LEVEL_NAMES[level],
        low=yuan(low),
        high=yuan(high),
    )
    return c.range(low, high)


@rule(
    "CMP-CAMP",
    title="集训补贴",
    facts=(LEVEL_FACT,),
    requires=("CMP-CAMP.min", "CMP-CAMP.max"),
    optional=("CMP-CAMP.trainee_monthly_allowance",),
    payee="unit",
    summary="承担省级以上竞赛集训的单位每项目5–8万元；东莞选手按月发放集训补贴（文件未定金额，演示值）。",
)
def cmp_camp(c: Case) -> Outcome:
    level = c["competition_level"]
    if level not in PROVINCIAL_OR_HIGHER:
        return c.not_eligible(
            N_("集训补贴只适用于省级以上竞赛，不适用于%(level_label)s。"), level_label=LEVEL_NAMES[level]
        )
    low, high = c.value("CMP-CAMP.min"), c.value("CMP-CAMP.max")
    c.step(N_("每个项目集训补贴下限"), parameter="CMP-CAMP.min", result=low)
    c.step(N_("每个项目集训补贴上限"), parameter="CMP-CAMP.max", result=high)
    c.reason(
        N_("承担%(level_label)s竞赛集训，每个项目补贴 %(low)s–%(high)s 元。"),
        level_label=LEVEL_NAMES[level],
        low=yuan(low),
        high=yuan(high),
    )
    if c.has("CMP-CAMP.trainee_monthly_allowance"):
        # Paid to each Dongguan trainee, monthly: shown beside the unit's range, not part of it.
        monthly = c.value("CMP-CAMP.trainee_monthly_allowance")
        c.step(
            N_("参加集训的东莞市选手按月发放集训补贴"),
            parameter="CMP-CAMP.trainee_monthly_allowance",
            result=monthly,
        )
        c.extra["trainee_monthly_allowance"] = yuan(monthly)
        c.reason(
            N_("参加集训的东莞市选手另按月发放集训补贴，每人每月 %(monthly)s 元（文件未定金额，演示值）。"),
            monthly=yuan(monthly),
        )
    return c.range(low, high)


@rule(
    "CMP-CAMP-TRAINEE",
    title="集训选手集训补贴",
    facts=(Fact("camp_months", INT, "集训月数", minimum=1, maximum=36),),
    requires=("CMP-CAMP.trainee_monthly_allowance",),
    payee="trainee",
    summary="参加省级以上竞赛集训的东莞市选手按月发放集训补贴，每人每月金额文件未定（演示值）。",
)
def cmp_camp_trainee(c: Case) -> Outcome:
    # D002 第12条: "对参加集训的东莞市选手按月发放集训补贴" — per trainee, per month of camp.
    monthly = c.value("CMP-CAMP.trainee_monthly_allowance")
    months = c["camp_months"]
    amount = monthly * months
    c.step(
        N_("每人每月集训补贴 × 集训月数"),
        parameter="CMP-CAMP.trainee_monthly_allowance",
        result=amount,
    )
    c.reason(
        N_("参加集训 %(months)s 个月，每月 %(monthly)s 元（文件未定金额，演示值），共 %(amount)s 元。"),
        months=months,
        monthly=yuan(monthly),
        amount=yuan(amount),
    )
    return c.fixed(amount)


MATCH_LEVELS = tuple((code, name) for code, name in LEVELS if code.startswith(("provincial", "national")))


@rule(
    "CMP-MATCH",
    title="省赛国赛获奖配套奖励",
    facts=(
        Fact("competition_level", CHOICE, "竞赛级别", choices=MATCH_LEVELS),
        Fact("contest_prize_money", MONEY, "竞赛发放的奖金（元，没有填0）"),
    ),
    requires=("CMP-MATCH.ratio", "CMP-MATCH.no_prize_national", "CMP-MATCH.no_prize_provincial"),
    optional=("CMP-MATCH.cap", "CMP-MATCH.coach_share"),
    payee="player",
    summary="有竞赛奖金的1:1配套；没有的按赛事级别奖励；2023年起获奖选手及教练团队最高75万元。",
)
def cmp_match(c: Case) -> Outcome:
    level, prize = c["competition_level"], c["contest_prize_money"]
    if prize > 0:
        ratio = c.value("CMP-MATCH.ratio")
        amount = prize * ratio
        c.step(N_("竞赛奖金 × 配套比例"), parameter="CMP-MATCH.ratio", result=amount)
        c.reason(
            N_("%(level_label)s竞赛获奖，竞赛奖金 %(prize)s 元，按 1:%(ratio)s 配套 %(amount)s 元。"),
            level_label=LEVEL_NAMES[level],
            prize=yuan(prize),
            ratio=str(ratio),
            amount=yuan(amount),
        )
        basis = "matched"
    else:
        name = (
            "CMP-MATCH.no_prize_national" if level.startswith("national") else "CMP-MATCH.no_prize_provincial"
        )
        amount = c.value(name)
        c.step(N_("没有竞赛奖金：按赛事级别奖励"), parameter=name, result=amount)
        c.reason(
            N_("%(level_label)s竞赛获奖且没有竞赛奖金，按赛事级别奖励 %(amount)s 元。"),
            level_label=LEVEL_NAMES[level],
            amount=yuan(amount),
        )
        basis = "fixed"
    cap = c.value("CMP-MATCH.cap") if c.has("CMP-MATCH.cap") else None
    if cap is not None:
        if amount > cap:
            amount = cap
            c.reason(N_("超过获奖选手及其教练团队奖金奖励上限，按 %(cap)s 元。"), cap=yuan(cap))
        c.step(N_("奖金奖励上限"), parameter="CMP-MATCH.cap", result=amount)
    if c.has("CMP-MATCH.coach_share"):
        # Coaches and base staff: a share of their player's award (the share is a demo value); from 2023
        # the player and the coaching team together stay within D003's cap.
        share = c.value("CMP-MATCH.coach_share")
        coaches = amount * share if cap is None else min(amount * share, cap - amount)
        c.step(
            N_("教练及训练基地工作人员：选手奖金 × 比例"), parameter="CMP-MATCH.coach_share", result=coaches
        )
        c.extra["coach_share"] = {"ratio": str(share), "amount": yuan(coaches)}
        c.reason(
            N_(
                "教练及训练基地工作人员另按选手奖金的 %(percent)s%% 奖励，共 %(amount)s 元（文件未定比例，演示值）。"
            ),
            percent=f"{share * 100:.0f}",
            amount=yuan(coaches),
        )
    return c.matched(amount) if basis == "matched" else c.fixed(amount)


@rule(
    "CMP-MATCH-COACH",
    title="省赛国赛获奖选手教练团队奖励",
    facts=(Fact("players_award", MONEY, "所带选手按省赛国赛配套奖励所得奖金（元）"),),
    requires=("CMP-MATCH.coach_share",),
    optional=("CMP-MATCH.cap",),
    payee="coach",
    summary="教练及训练基地工作人员按所带选手奖金的一定比例奖励（比例文件未定，演示值）；2023年起与选手合计不超过75万元。",
)
def cmp_match_coach(c: Case) -> Outcome:
    award = c["players_award"]
    if award <= 0:
        return c.not_eligible(N_("所带选手没有获得省赛国赛配套奖励，教练团队奖励为0。"))
    share = c.value("CMP-MATCH.coach_share")
    amount = award * share
    c.step(N_("选手奖金 × 教练团队比例"), parameter="CMP-MATCH.coach_share", result=amount)
    c.reason(
        N_(
            "所带选手奖金 %(award)s 元，教练团队按 %(percent)s%% 奖励 %(amount)s 元（文件未定比例，演示值）。"
        ),
        award=yuan(award),
        percent=f"{share * 100:.0f}",
        amount=yuan(amount),
    )
    if c.has("CMP-MATCH.cap"):
        # D003 §一(五)一: "对获奖选手及其教练团队给予最高 75 万元" — one cap for the player and the coaching
        # team together; the player's award is counted first, the team gets at most what is left (D-XX).
        cap = c.value("CMP-MATCH.cap")
        left = max(cap - award, Decimal("0"))
        if amount > left:
            amount = left
            c.reason(
                N_(
                    "获奖选手及其教练团队合计最高 %(cap)s 元，选手已得 %(award)s 元，教练团队最多 %(left)s 元。"
                ),
                cap=yuan(cap),
                award=yuan(award),
                left=yuan(left),
            )
        c.step(N_("选手与教练团队合计上限剩余"), parameter="CMP-MATCH.cap", result=amount)
    return c.matched(amount)


@rule(
    "CMP-WORLDSKILLS",
    title="世界技能大赛奖励",
    facts=(
        Fact("medal", CHOICE, "奖牌", choices=MEDALS),
        Fact("contest_prize_money", MONEY, "竞赛发放的奖金（元，没有填0）"),
    ),
    requires=(
        "CMP-WORLDSKILLS.ratio",
        "CMP-WORLDSKILLS.gold",
        "CMP-WORLDSKILLS.silver",
        "CMP-WORLDSKILLS.bronze",
    ),
    payee="player",
    summary="世赛金、银、铜奖：有竞赛奖金的1:1配套，没有的分别奖励50万、30万、15万元。",
)
def cmp_worldskills(c: Case) -> Outcome:
    medal, prize = c["medal"], c["contest_prize_money"]
    if prize > 0:
        ratio = c.value("CMP-WORLDSKILLS.ratio")
        amount = prize * ratio
        c.step(N_("竞赛奖金 × 配套比例"), parameter="CMP-WORLDSKILLS.ratio", result=amount)
        c.reason(
            N_("世赛%(medal_label)s，竞赛奖金 %(prize)s 元，按 1:%(ratio)s 配套 %(amount)s 元。"),
            medal_label=dict(MEDALS)[medal],
            prize=yuan(prize),
            ratio=str(ratio),
            amount=yuan(amount),
        )
        return c.matched(amount)
    name = f"CMP-WORLDSKILLS.{medal}"
    amount = c.value(name)
    c.step(N_("没有竞赛奖金：按奖牌奖励"), parameter=name, result=amount)
    c.reason(
        N_("世赛%(medal_label)s，没有竞赛奖金，奖励 %(amount)s 元。"),
        medal_label=dict(MEDALS)[medal],
        amount=yuan(amount),
    )
    return c.fixed(amount)


@rule(
    "CMP-WORLDSKILLS-COACH",
    title="世界技能大赛教练奖励",
    facts=(Fact("players_awards_total", MONEY, "所带选手按世赛奖励所得奖金总额（元）"),),
    requires=("CMP-WORLDSKILLS-COACH.ratio",),
    payee="coach",
    summary="教练按所带选手奖金总额的150%奖励。",
)
def cmp_worldskills_coach(c: Case) -> Outcome:
    total = c["players_awards_total"]
    if total <= 0:
        return c.not_eligible(N_("所带选手没有获得世赛奖励，教练奖励为0。"))
    ratio = c.value("CMP-WORLDSKILLS-COACH.ratio")
    amount = total * ratio
    c.step(N_("选手奖金总额 × 比例"), parameter="CMP-WORLDSKILLS-COACH.ratio", result=amount)
    c.reason(
        N_("所带选手奖金总额 %(total)s 元 × %(ratio)s = %(amount)s 元。"),
        total=yuan(total),
        ratio=str(ratio),
        amount=yuan(amount),
    )
    return c.matched(amount)


WS_BASE_LEVELS = (("national", "国家级"), ("provincial", "省级"), ("city", "市级"))


@rule(
    "CMP-WS-BASE",
    title="世赛集训基地阶段性集训补贴",
    facts=(Fact("selection_level", CHOICE, "完成的选拔集训任务级别", choices=WS_BASE_LEVELS),),
    requires=("CMP-WS-BASE.national", "CMP-WS-BASE.provincial", "CMP-WS-BASE.city"),
    payee="base",
    summary="完成世赛国家、省、市级选拔集训任务的集训基地，每个项目分别50万、30万、15万元。",
)
def cmp_ws_base(c: Case) -> Outcome:
    name = f"CMP-WS-BASE.{c['selection_level']}"
    amount = c.value(name)
    c.step(N_("按选拔集训级别取定额"), parameter=name, result=amount)
    c.reason(
        N_("完成世赛%(level_label)s选拔集训任务，每个项目补贴 %(amount)s 元。"),
        level_label=dict(WS_BASE_LEVELS)[c["selection_level"]],
        amount=yuan(amount),
    )
    return c.fixed(amount)


@rule(
    "CMP-TITLE",
    title="“东莞市技术能手”称号",
    facts=(
        Fact(
            "competition_level",
            CHOICE,
            "竞赛级别",
            choices=(("city_class1", "市级一类"), ("city_class2", "市级二类")),
        ),
        Fact("rank", INT, "名次", minimum=1),
    ),
    requires=("CMP-TITLE.per_contest",),
    payee="player",
    summary="市级竞赛优胜选手按规定授予“东莞市技术能手”称号；获奖和成绩合格者可颁发或晋升相应等级。",
)
def cmp_title(c: Case) -> Outcome:
    places = c.value("CMP-TITLE.per_contest")
    qualifies = c["rank"] <= places
    c.step(N_("名次在前 %(places)s 名内"), parameter="CMP-TITLE.per_contest", result=qualifies, places=places)
    if not qualifies:
        c.reason(
            N_(
                "第 %(rank)s 名，不在授予称号的前 %(places)s 名内；竞赛成绩合格的仍可按规定颁发或晋升相应职业技能等级。"
            ),
            rank=c["rank"],
            places=places,
        )
        return c.no_money(False)
    c.extra["title"] = "dongguan_technical_expert"
    c.reason(
        N_("市级竞赛第 %(rank)s 名，可按规定授予“东莞市技术能手”称号，并可颁发或晋升相应职业技能等级。"),
        rank=c["rank"],
    )
    c.reason(N_("称号可用于申请人才入户、申购“三限房”、申领东莞优才卡等（D002第11条）。"))
    return c.no_money(True)
