"""Platforms: master studios, standards, public training sub-bases, alliances, experts (policy-catalog §4)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop as N_

from skillcity.policy.display import message
from skillcity.policy.engine import Case, Outcome, rule, yuan
from skillcity.policy.facts import BOOL, CHOICE, INT, MONEY, Fact

RECOGNITION = (("new_city", "新设市级工作室"), ("provincial", "获评省级"), ("national", "获评国家级"))


@rule(
    "PLT-STUDIO",
    title="技能大师工作室补贴",
    facts=(
        Fact("recognition", CHOICE, "认定情形", choices=RECOGNITION),
        Fact("requested", MONEY, "申请金额（元，新设市级工作室填写）", required=False, nullable=True),
    ),
    requires=("PLT-STUDIO.new_city_cap", "PLT-STUDIO.provincial", "PLT-STUDIO.national"),
    payee="studio",
    summary="新设市级工作室每个最高50万元；获评省级、国家级分别一次性奖励20万、30万元。",
)
def plt_studio(c: Case) -> Outcome:
    kind = c["recognition"]
    if kind == "new_city":
        cap = c.value("PLT-STUDIO.new_city_cap")
        requested = c["requested"]
        amount = None if requested is None else min(requested, cap)
        c.step(
            N_("新设市级工作室补贴上限"),
            parameter="PLT-STUDIO.new_city_cap",
            result=amount if amount is not None else cap,
        )
        if requested is None:
            c.reason(N_("新设市级技能大师工作室，补贴最高 %(cap)s 元，按核定金额给予。"), cap=yuan(cap))
        else:
            c.reason(
                N_("新设市级技能大师工作室，申请 %(requested)s 元，上限 %(cap)s 元，可给予 %(amount)s 元。"),
                requested=yuan(requested),
                cap=yuan(cap),
                amount=yuan(min(requested, cap)),
            )
        return c.cap(amount, cap)
    name = f"PLT-STUDIO.{kind}"
    amount = c.value(name)
    c.step(N_("获评更高级别工作室一次性奖励"), parameter=name, result=amount)
    c.reason(
        N_("工作室%(recognition_label)s技能大师工作室，一次性奖励 %(amount)s 元。"),
        recognition_label=dict(RECOGNITION)[kind],
        amount=yuan(amount),
    )
    return c.fixed(amount)


@rule(
    "PLT-STANDARD",
    title="职业技能培训评价标准开发经费",
    facts=(Fact("requested", MONEY, "申请金额（元）"),),
    requires=(("PLT-STANDARD.min", "PLT-STANDARD.max"), ("PLT-STANDARD.cap",)),
    payee="developer",
    summary="每开发认定一个标准给予2–5万元（D002）；2023年起每个最高20万元（D003）。",
)
def plt_standard(c: Case) -> Outcome:
    requested = c["requested"]
    if c.has("PLT-STANDARD.cap"):
        cap = c.value("PLT-STANDARD.cap")
        amount = min(requested, cap)
        c.step(N_("申请金额与每个标准上限取低"), parameter="PLT-STANDARD.cap", result=amount)
        c.reason(
            N_("每开发认定一个标准最高 %(cap)s 元；申请 %(requested)s 元，可给予 %(amount)s 元。"),
            cap=yuan(cap),
            requested=yuan(requested),
            amount=yuan(amount),
        )
        return c.cap(amount, cap)
    low, high = c.value("PLT-STANDARD.min"), c.value("PLT-STANDARD.max")
    c.step(N_("开发经费区间下限"), parameter="PLT-STANDARD.min", result=low)
    c.step(N_("开发经费区间上限"), parameter="PLT-STANDARD.max", result=high)
    c.reason(
        N_("每开发认定一个标准给予 %(low)s–%(high)s 元，由审核人在区间内核定（申请 %(requested)s 元）。"),
        low=yuan(low),
        high=yuan(high),
        requested=yuan(requested),
    )
    return c.range(low, high)


@rule(
    "PLT-SUBBASE",
    title="高技能公共实训分基地年度任务",
    facts=(
        Fact("recognised", BOOL, "已认定为市高技能公共实训中心分基地"),
        Fact("new_courses_this_year", INT, "本年度开发新课程门数", minimum=0),
    ),
    requires=("PLT-SUBBASE.target", "PLT-SUBBASE.new_courses_per_year"),
    summary="分基地总量目标20家；每年开发新课程5门以上；课程购买费用见“高技能公共实训分基地课程购买费用”。",
)
def plt_subbase(c: Case) -> Outcome:
    target = c.value("PLT-SUBBASE.target")
    c.step(N_("全市分基地总量目标"), parameter="PLT-SUBBASE.target", result=target)
    if not c["recognised"]:
        return c.not_eligible(N_("尚未认定为市高技能公共实训中心分基地。"))
    needed = c.value("PLT-SUBBASE.new_courses_per_year")
    met = c["new_courses_this_year"] >= needed
    c.step(N_("本年度新课程门数达标"), parameter="PLT-SUBBASE.new_courses_per_year", result=met)
    courses = c["new_courses_this_year"]
    if met:
        c.reason(
            N_("本年度开发新课程 %(courses)s 门，达到 %(needed)s 门以上的要求。"),
            courses=courses,
            needed=needed,
        )
    else:
        c.reason(
            N_("本年度开发新课程 %(courses)s 门，未达到 %(needed)s 门以上的要求。"),
            courses=courses,
            needed=needed,
        )
    c.reason(
        N_("分基地的课程购买费用按“%(rule_label)s”计算。"), rule_label="高技能公共实训分基地课程购买费用"
    )
    return c.no_money(met)


@rule(
    "PLT-ALLIANCE",
    title="职业培训联盟成员构成（备案条件）",
    facts=(
        Fact("initiators", INT, "发起单位数", minimum=0),
        Fact("training_units", INT, "职业院校、技工院校或职业培训机构数", minimum=0),
        Fact("research_institutes", INT, "科研机构数", minimum=0),
        Fact("enterprises", INT, "同行业、同类型企业数", minimum=0),
        Fact("charter_signed", BOOL, "成员已共同签署章程并签订书面合作协议"),
    ),
    requires=("PLT-ALLIANCE.composition",),
    summary="发起单位1家；成员须包括院校或培训机构、科研机构和同行业企业；签署章程和合作协议。",
)
def plt_alliance(c: Case) -> Outcome:
    need = c.value("PLT-ALLIANCE.composition")
    c.step(N_("成员构成要求"), parameter="PLT-ALLIANCE.composition")
    missing: list[dict[str, Any]] = []  # messages, listed in one reason
    if c["initiators"] != need["initiators"]:
        missing.append(
            message(
                N_("发起单位须由 %(need)s 家单位单独发起（现为 %(have)s 家）"),
                need=need["initiators"],
                have=c["initiators"],
            )
        )
    if c["training_units"] < need["training_units"]:
        missing.append(message(N_("缺少职业院校、技工院校或职业培训机构")))
    if c["research_institutes"] < need["research_institutes"]:
        missing.append(message(N_("缺少科研机构")))
    if c["enterprises"] < need["enterprises"]:
        missing.append(message(N_("缺少同行业、同类型企业")))
    if not c["charter_signed"]:
        missing.append(message(N_("成员尚未共同签署章程并签订书面合作协议")))
    if missing:
        c.reason(N_("不符合备案条件：%(missing)s。"), missing=missing)
        return c.no_money(False)
    c.reason(N_("成员构成符合职业培训联盟备案条件。"))
    return c.no_money(True)


@rule(
    "PLT-EXPERTS",
    title="职业能力建设专家库",
    facts=(Fact("sector_count", INT, "专家库覆盖的行业领域数", minimum=0),),
    requires=("PLT-EXPERTS.sectors",),
    summary="组建职业能力建设专家库，涵盖十大行业领域（登记制度，不涉及资金）。",
)
def plt_experts(c: Case) -> Outcome:
    sectors = c.value("PLT-EXPERTS.sectors")
    covered = c["sector_count"] >= sectors
    c.step(N_("专家库覆盖行业领域数达到要求"), parameter="PLT-EXPERTS.sectors", result=covered)
    c.reason(
        N_("专家库覆盖 %(count)s 个行业领域，达到 %(sectors)s 个的要求（不涉及资金）。")
        if covered
        else N_("专家库覆盖 %(count)s 个行业领域，未达到 %(sectors)s 个的要求（不涉及资金）。"),
        count=c["sector_count"],
        sectors=sectors,
    )
    return c.no_money(covered)
