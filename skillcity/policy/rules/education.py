"""Schools and industry–education integration: policy-catalog §2."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_noop as N_

from skillcity.policy.display import message
from skillcity.policy.engine import Case, Outcome, rule, yuan
from skillcity.policy.facts import BOOL, CHOICE, DATE, INT, MONEY, Fact


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 Feb becomes 28 Feb in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def demo_major_check(facts: dict[str, Any]) -> dict[str, str]:
    enrolled = facts["students_year1"] + facts["students_year2"] + facts["students_year3"]
    if facts["excluded_hs_advanced"] > enrolled:
        return {"excluded_hs_advanced": f"不能大于一至三年级学生总数 {enrolled}"}
    return {}


@rule(
    "EDU-DEMO-MAJOR",
    title="民办技工院校示范性专业建设经费",
    facts=(
        Fact("school_is_private", BOOL, "民办技工院校"),
        Fact("major_is_demonstration", BOOL, "入选示范性专业"),
        Fact("students_year1", INT, "一年级全日制在校生数", minimum=0),
        Fact("students_year2", INT, "二年级全日制在校生数", minimum=0),
        Fact("students_year3", INT, "三年级全日制在校生数", minimum=0),
        Fact("excluded_hs_advanced", INT, "其中招收高中阶段毕业生的高级工班及以上学生数", minimum=0),
    ),
    requires=("EDU-DEMO-MAJOR.per_student",),
    check=demo_major_check,
    payee="school",
    summary="按入选专业一至三年级全日制在校生数（不含招收高中毕业生的高级工班及以上）每人200元，每年给予。",
)
def edu_demo_major(c: Case) -> Outcome:
    per = c.value("EDU-DEMO-MAJOR.per_student")
    if not c["school_is_private"]:
        return c.not_eligible(N_("示范性专业建设经费只面向民办技工院校。"))
    if not c["major_is_demonstration"]:
        return c.not_eligible(N_("该专业未入选示范性专业。"))
    enrolled = c["students_year1"] + c["students_year2"] + c["students_year3"]
    counted = enrolled - c["excluded_hs_advanced"]
    amount = per * Decimal(counted)
    c.step(N_("计入人数 = 一、二、三年级学生数 − 招收高中毕业生的高级工班及以上学生数"), result=counted)
    c.step(N_("计入人数 × 每人标准"), parameter="EDU-DEMO-MAJOR.per_student", result=amount)
    c.reason(
        N_("计入学生 %(counted)s 人 × %(per)s 元 = %(amount)s 元（每年）。"),
        counted=counted,
        per=yuan(per),
        amount=yuan(amount),
    )
    return c.fixed(amount)


@rule(
    "EDU-INTL-CLASS",
    title="国际课程班生均经费",
    facts=(
        Fact("international_class_students", INT, "当年国际课程班在校生人数", minimum=0),
        Fact("actual_cost", MONEY, "当年办学实际所需费用（元，可不填）", required=False, nullable=True),
    ),
    requires=("EDU-INTL-CLASS.per_student", "EDU-INTL-CLASS.cap_on_actual_cost"),
    payee="school",
    summary="在校生人数×5000元；2022-05-05起按实际所需费用申请，以人数×5000元为上限。",
)
def edu_intl_class(c: Case) -> Outcome:
    per = c.value("EDU-INTL-CLASS.per_student")
    students = c["international_class_students"]
    if students == 0:
        return c.not_eligible(N_("当年国际课程班在校生人数为0。"))
    ceiling = per * Decimal(students)
    c.step(N_("在校生人数 × 每人每学年标准"), parameter="EDU-INTL-CLASS.per_student", result=ceiling)
    on_cost = c.value("EDU-INTL-CLASS.cap_on_actual_cost")
    if on_cost and c["actual_cost"] is not None:
        amount = min(c["actual_cost"], ceiling)
        c.step(N_("实际所需费用与上限取低"), parameter="EDU-INTL-CLASS.cap_on_actual_cost", result=amount)
        c.reason(
            N_(
                "按实际所需费用 %(cost)s 元申请，上限 %(students)s 人 × %(per)s 元 = %(ceiling)s 元，补贴 %(amount)s 元。"
            ),
            cost=yuan(c["actual_cost"]),
            students=students,
            per=yuan(per),
            ceiling=yuan(ceiling),
            amount=yuan(amount),
        )
        return c.cap(amount, ceiling)
    if on_cost:
        # Catalog §2: without an actual cost the amount is students × 5000 (the cap itself).
        c.step(
            N_("未填实际费用：按人数 × 标准"), parameter="EDU-INTL-CLASS.cap_on_actual_cost", result=ceiling
        )
        c.reason(
            N_(
                "未提供实际所需费用；按 %(students)s 人 × %(per)s 元 = %(ceiling)s 元（上限），核定时按实际费用取低。"
            ),
            students=students,
            per=yuan(per),
            ceiling=yuan(ceiling),
        )
        return c.cap(ceiling, ceiling)
    c.step(
        N_("按人数定额（D002 标准，当时无实际费用上限规定）"), parameter="EDU-INTL-CLASS.cap_on_actual_cost"
    )
    if c["actual_cost"] is not None:
        c.reason(N_("该日期适用 D002 按人数定额的规定，实际费用不影响金额。"))
    c.reason(
        N_("%(students)s 人 × %(per)s 元 = %(ceiling)s 元。"),
        students=students,
        per=yuan(per),
        ceiling=yuan(ceiling),
    )
    return c.fixed(ceiling)


@rule(
    "EDU-INTL-CERT",
    title="国际职业技能证书考证补贴",
    facts=(Fact("obtained_international_certificate", BOOL, "已考取国际职业技能证书"),),
    requires=("EDU-INTL-CERT.per_student",),
    payee="student",
    summary="考取国际职业技能证书的学生每人5000元。",
)
def edu_intl_cert(c: Case) -> Outcome:
    amount = c.value("EDU-INTL-CERT.per_student")
    if not c["obtained_international_certificate"]:
        return c.not_eligible(N_("尚未考取国际职业技能证书。"))
    c.step(N_("每人考证补贴"), parameter="EDU-INTL-CERT.per_student", result=amount)
    c.reason(N_("考取国际职业技能证书，补贴学生 %(amount)s 元。"), amount=yuan(amount))
    return c.fixed(amount)


INDUSTRY_FIT = (
    ("strategic_emerging", "符合市战略性新兴产业需求"),
    ("five_pillars_four_specialties", "符合“五支四特”产业需求"),
    ("none", "均不符合"),
)


@rule(
    "EDU-MAJOR-BUILD",
    title="专业建设经费",
    facts=(
        Fact("industry_fit", CHOICE, "专业对接的产业", choices=INDUSTRY_FIT),
        Fact("requested", MONEY, "申请金额（元）"),
        Fact("already_funded", BOOL, "该专业已获得过专业建设经费"),
    ),
    requires=("EDU-MAJOR-BUILD.strategic_emerging", "EDU-MAJOR-BUILD.five_pillars_four_specialties"),
    payee="school",
    summary="一次性给予：战略性新兴产业专业最高50万元，“五支四特”产业专业最高30万元。",
)
def edu_major_build(c: Case) -> Outcome:
    fit = c["industry_fit"]
    if fit == "none":
        return c.not_eligible(N_("专业不符合市战略性新兴产业或“五支四特”产业需求。"))
    name = f"EDU-MAJOR-BUILD.{fit}"
    cap = c.value(name)
    if c["already_funded"]:
        c.step(N_("一次性支持：该专业已获得过"), parameter=name, result=False)
        return c.not_eligible(N_("该专业已获得过专业建设经费，属一次性支持，不再给予。"))
    amount = min(c["requested"], cap)
    c.step(N_("申请金额与上限取低"), parameter=name, result=amount)
    c.reason(
        N_("%(fit_label)s，一次性最高 %(cap)s 元；申请 %(requested)s 元，可给予 %(amount)s 元。"),
        fit_label=dict(INDUSTRY_FIT)[fit],
        cap=yuan(cap),
        requested=yuan(c["requested"]),
        amount=yuan(amount),
    )
    return c.cap(amount, cap)


@rule(
    "EDU-GRAD-RETENTION",
    title="民办院校毕业生留莞就业奖励",
    facts=(
        Fact("school_is_private", BOOL, "民办职业院校"),
        Fact("major_fits_industry", BOOL, "专业符合战略性新兴产业或“五支四特”产业需求"),
        Fact("graduation_date", DATE, "毕业日期"),
        Fact("employment_start", DATE, "在本市该企业就业开始日期"),
        Fact("employer_in_dongguan", BOOL, "用人单位在东莞"),
        Fact("same_employer_continuous_insured_months", INT, "在同一企业连续缴纳社会保险月数", minimum=0),
    ),
    requires=(
        "EDU-GRAD-RETENTION.per_graduate",
        "EDU-GRAD-RETENTION.window_years",
        "EDU-GRAD-RETENTION.min_insured_months",
    ),
    payee="school",
    summary="应届毕业生毕业后1年内在本市同一企业就业且连续缴纳社保满半年，每人1000元奖励院校。",
)
def edu_grad_retention(c: Case) -> Outcome:
    amount = c.value("EDU-GRAD-RETENTION.per_graduate")
    years = c.value("EDU-GRAD-RETENTION.window_years")
    months = c.value("EDU-GRAD-RETENTION.min_insured_months")
    failures: list[dict[str, Any]] = []  # messages, listed in one reason
    if not c["school_is_private"]:
        failures.append(message(N_("该奖励只面向民办职业院校")))
    if not c["major_fits_industry"]:
        failures.append(message(N_("专业不符合市战略性新兴产业或“五支四特”产业需求")))
    # 毕业后1年内: the employment begins in the month of graduation or later, and no later than a year
    # after it. A job held since before graduation is not employment found after it (issue 19 §3).
    earliest = c["graduation_date"].replace(day=1)
    c.step(
        N_("就业开始日不早于毕业当月（%(earliest)s）"),
        result=c["employment_start"] >= earliest,
        earliest=earliest.isoformat(),
    )
    if c["employment_start"] < earliest:
        failures.append(
            message(
                N_("就业开始日 %(start)s 早于毕业当月（%(earliest)s），不属于毕业后就业"),
                start=c["employment_start"].isoformat(),
                earliest=earliest.isoformat(),
            )
        )
    deadline = add_years(c["graduation_date"], years)
    c.step(
        N_("就业开始日不晚于 %(deadline)s"),
        parameter="EDU-GRAD-RETENTION.window_years",
        result=c["employment_start"] <= deadline,
        deadline=deadline.isoformat(),
    )
    if c["employment_start"] > deadline:
        failures.append(
            message(
                N_("就业开始日 %(start)s 超过毕业后%(years)s年（%(deadline)s）"),
                start=c["employment_start"].isoformat(),
                years=years,
                deadline=deadline.isoformat(),
            )
        )
    if not c["employer_in_dongguan"]:
        failures.append(message(N_("用人单位不在东莞")))
    insured = c["same_employer_continuous_insured_months"]
    c.step(
        N_("同一企业连续参保月数达到要求"),
        parameter="EDU-GRAD-RETENTION.min_insured_months",
        result=insured >= months,
    )
    if insured < months:
        failures.append(
            message(
                N_("同一企业连续参保 %(insured)s 个月，未满 %(months)s 个月"), insured=insured, months=months
            )
        )
    if failures:
        return c.not_eligible(N_("不符合条件：%(failures)s。"), failures=failures)
    c.step(N_("每名毕业生奖励院校"), parameter="EDU-GRAD-RETENTION.per_graduate", result=amount)
    c.reason(
        N_("毕业后%(years)s年内在本市同一企业就业并连续参保 %(insured)s 个月，奖励院校 %(amount)s 元。"),
        years=years,
        insured=insured,
        amount=yuan(amount),
    )
    return c.fixed(amount)


@rule(
    "EDU-BASE",
    title="市级高水平校企合作基地经费",
    facts=(Fact("recognised", BOOL, "已认定为市级高水平校企合作基地"),),
    requires=("EDU-BASE.per_base",),
    optional=("EDU-BASE.fund",),
    payee="school_enterprise_base",
    summary="每个认定的基地100万元（D002第4条），受2500万元专项资金余额约束（D003，申请流程检查预算）。",
)
def edu_base(c: Case) -> Outcome:
    amount = c.value("EDU-BASE.per_base")
    if not c["recognised"]:
        return c.not_eligible(N_("尚未认定为市级高水平校企合作基地。"))
    c.step(N_("每个基地经费"), parameter="EDU-BASE.per_base", result=amount)
    c.reason(N_("认定的市级高水平校企合作基地给予 %(amount)s 元经费。"), amount=yuan(amount))
    if c.has("EDU-BASE.fund"):
        fund = c.value("EDU-BASE.fund")
        c.step(N_("专项资金总额：核准时由补贴申报检查余额"), parameter="EDU-BASE.fund", result=fund)
        c.reason(N_("全部基地共用 %(fund)s 元专项资金，核准时不得超出其余额。"), fund=yuan(fund))
    return c.fixed(amount)


@rule(
    "EDU-SOCIAL-TRAINING",
    title="公办院校社会化培训收入提取绩效工资",
    facts=(Fact("income", MONEY, "社会化培训收入（元）"), Fact("costs", MONEY, "合理成本（元）")),
    requires=("EDU-SOCIAL-TRAINING.performance_share",),
    payee="school",
    summary="收入全额返还学校；扣除合理成本后按60%提取用于绩效工资（在核定总量之外）。",
)
def edu_social_training(c: Case) -> Outcome:
    share = c.value("EDU-SOCIAL-TRAINING.performance_share")
    net = c["income"] - c["costs"]
    c.step(N_("收入 − 合理成本"), result=net)
    if net <= 0:
        c.reason(N_("扣除合理成本后没有结余，没有可提取的绩效工资。"))
        return c.cap(Decimal("0"), Decimal("0"))
    amount = net * share
    c.step(N_("结余 × 提取比例"), parameter="EDU-SOCIAL-TRAINING.performance_share", result=amount)
    c.reason(
        N_(
            "结余 %(net)s 元 × %(share)s = 最多 %(amount)s 元可用于补充绩效工资，在核定的绩效工资总量之外单列管理。"
        ),
        net=yuan(net),
        share=str(share),
        amount=yuan(amount),
    )
    return c.cap(amount, amount)


@rule(
    "EDU-UPGRADE",
    title="院校升级或获评荣誉奖励",
    facts=(
        Fact(
            "achievement",
            CHOICE,
            "成就",
            choices=(
                ("level_up", "提升办学层次"),
                ("national_title", "获国家级荣誉称号"),
                ("provincial_title", "获省级荣誉称号"),
                ("none", "无"),
            ),
        ),
    ),
    requires=("EDU-UPGRADE.reward",),
    payee="school",
    summary="职业院校提升办学层次或获得国家、省级荣誉称号的，给予资金奖励（金额文件未定，逐案决定）。",
)
def edu_upgrade(c: Case) -> Outcome:
    c.step(N_("奖励金额未由文件规定"), parameter="EDU-UPGRADE.reward")
    if c["achievement"] == "none":
        return c.not_eligible(N_("院校未提升办学层次，也未获得国家或省级荣誉称号。"))
    c.reason(N_("符合奖励情形；文件未规定金额，由市人社局会同财政逐案决定。"))
    return c.case_by_case()


@rule(
    "EDU-EQUIV",
    title="技工院校毕业生学历待遇对应",
    facts=(
        Fact(
            "class_type",
            CHOICE,
            "毕业班级",
            choices=(
                ("intermediate", "中级工班"),
                ("advanced", "高级工班"),
                ("preparatory_technician", "预备技师（技师）班"),
            ),
        ),
    ),
    requires=("EDU-EQUIV.table",),
    summary="中级工班、高级工班、预备技师（技师）班毕业生分别按中专、大专、本科学历落实待遇。",
)
def edu_equiv(c: Case) -> Outcome:
    table = c.value("EDU-EQUIV.table")
    equivalent = table[c["class_type"]]
    c.step(N_("查学历对应表"), parameter="EDU-EQUIV.table", result=equivalent)
    c.extra["equivalent"] = equivalent
    c.reason(
        N_(
            "按相当于%(equivalent_label)s学历落实相关待遇（应征入伍、落户、就业、工资起点、机关事业单位招聘、"
            "职称评审、职级晋升等）。"
        ),
        equivalent_label=equivalent,
    )
    return c.no_money(True)
