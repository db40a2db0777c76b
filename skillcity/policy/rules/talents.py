"""Talents and honours: policy-catalog §6."""

from __future__ import annotations

from decimal import Decimal

from skillcity.core.money import round_fen
from skillcity.policy.engine import Case, Outcome, rule, yuan
from skillcity.policy.facts import CHOICE, CHOICES, INT, LEVEL, MONEY, Fact

TITLES = (
    ("china_skills_award", "中华技能大奖"),
    ("national_technical_expert", "全国技术能手"),
    ("nanyue_technical_expert", "南粤技术能手"),
    ("guangdong_technical_expert", "广东省技术能手"),
    ("dongguan_technical_expert", "东莞市技术能手"),
    ("dongguan_leading_talent", "东莞市技能领军人才"),
    ("dongguan_craftsman", "莞邑工匠"),
    ("chief_technician", "首席技师"),
)
STUDIO_LEVELS = (("city", "市级"), ("provincial", "省级"), ("national", "国家级"))


@rule(
    "TAL-LEADING",
    title="技能领军人才配套补贴",
    facts=(),
    requires=(
        "TAL-LEADING.living_min",
        "TAL-LEADING.living_max",
        "TAL-LEADING.home_purchase_min",
        "TAL-LEADING.home_purchase_max",
        "TAL-LEADING.monthly_rent_min",
        "TAL-LEADING.monthly_rent_max",
    ),
    payee="talent",
    summary="每名技能领军人才享受15–30万元生活补贴、100–600万元购房补贴、每月2000–5000元租房补贴。",
)
def tal_leading(c: Case) -> Outcome:
    ranges = {}
    for key, label in (
        ("living", "生活补贴"),
        ("home_purchase", "购房补贴"),
        ("monthly_rent", "租房补贴（每月）"),
    ):
        low = c.value(f"TAL-LEADING.{key}_min")
        high = c.value(f"TAL-LEADING.{key}_max")
        c.step(f"{label}下限", parameter=f"TAL-LEADING.{key}_min", result=low)
        c.step(f"{label}上限", parameter=f"TAL-LEADING.{key}_max", result=high)
        ranges[key] = {"min": str(round_fen(low)), "max": str(round_fen(high))}
        c.reason(f"{label}：{yuan(low)}–{yuan(high)} 元，由认定时核定。")
    c.extra["ranges"] = ranges
    return c.range(
        Decimal(ranges["living"]["min"]) + Decimal(ranges["home_purchase"]["min"]),
        Decimal(ranges["living"]["max"]) + Decimal(ranges["home_purchase"]["max"]),
    )


@rule(
    "TAL-LEADING-EMPLOYER",
    title="引进技能领军人才的单位引才奖励",
    facts=(
        Fact("requested", MONEY, "申请金额（元）"),
        Fact("already_received_this_year", MONEY, "本单位本年度已获得的引才奖励（元）"),
    ),
    requires=("TAL-LEADING-EMPLOYER.cap",),
    payee="unit",
    summary="引进技能领军人才的单位，每个单位每年最高100万元。",
)
def tal_leading_employer(c: Case) -> Outcome:
    cap = c.value("TAL-LEADING-EMPLOYER.cap")
    remaining = max(cap - c["already_received_this_year"], Decimal("0"))
    c.step("本年度剩余额度 = 每年上限 − 已获得", parameter="TAL-LEADING-EMPLOYER.cap", result=remaining)
    if remaining == 0:
        return c.not_eligible(
            f"本单位本年度已获得 {yuan(c['already_received_this_year'])} 元，达到每年最高 {yuan(cap)} 元。"
        )
    amount = min(c["requested"], remaining)
    c.step("申请金额与剩余额度取低", result=amount)
    c.reason(
        f"每个单位每年最高 {yuan(cap)} 元，本年度剩余 {yuan(remaining)} 元；申请 {yuan(c['requested'])} 元，可给予 {yuan(amount)} 元。"
    )
    return c.cap(amount, remaining)


@rule(
    "TAL-CARD",
    title="东莞市优才卡申领资格",
    facts=(
        Fact("titles", CHOICES, "持有的称号", choices=TITLES),
        Fact(
            "studio_lead_level",
            CHOICE,
            "领办的技能大师工作室（技师工作站）级别",
            required=False,
            nullable=True,
            choices=STUDIO_LEVELS,
        ),
        Fact("highest_skill_level", LEVEL, "最高职业技能等级（1–5）", required=False, nullable=True),
    ),
    requires=("TAL-CARD.titles", "TAL-CARD.max_level"),
    payee="worker",
    summary="持有规定称号、领办国家/省/市技能大师工作室，或取得技师、高级技师证书的，可申领东莞市优才卡。",
)
def tal_card(c: Case) -> Outcome:
    qualifying = set(c.value("TAL-CARD.titles"))
    names = dict(TITLES)
    held = [t for t in c["titles"] if t in qualifying]
    c.step("持有可申领优才卡的称号", parameter="TAL-CARD.titles", result=held)
    grounds = [f"持有“{names[t]}”称号" for t in held]
    if c["studio_lead_level"]:
        grounds.append(f"为{dict(STUDIO_LEVELS)[c['studio_lead_level']]}技能大师工作室（技师工作站）领办人")
    max_level = c.value("TAL-CARD.max_level")
    level = c["highest_skill_level"]
    level_ok = level is not None and level <= max_level
    c.step("技能等级为技师或高级技师", parameter="TAL-CARD.max_level", result=level_ok)
    if level_ok:
        grounds.append("取得" + ("高级技师" if level == 1 else "技师") + "职业技能等级证书")
    if not grounds:
        return c.not_eligible(
            "未持有规定称号、未领办技能大师工作室，且技能等级低于技师，不能申领东莞市优才卡。"
        )
    for g in grounds:
        c.reason(f"可申领东莞市优才卡：{g}。")
    c.extra["grounds"] = grounds
    return c.no_money(True)


@rule(
    "TAL-HONOUR-SHARE",
    title="市级荣誉评选中技能人才比例",
    facts=(
        Fact("winners_total", INT, "评选获得者总数", minimum=1),
        Fact("skilled_winners", INT, "其中技能人才人数", minimum=0),
    ),
    requires=("TAL-HONOUR-SHARE.min_percent",),
    check=lambda f: (
        {"skilled_winners": "不能大于 winners_total"} if f["skilled_winners"] > f["winners_total"] else {}
    ),
    summary="市级“五一劳动奖章”“三八红旗手”等评选获得者中，技能人才比例不低于20%。",
)
def tal_honour_share(c: Case) -> Outcome:
    total, skilled = c["winners_total"], c["skilled_winners"]
    needed = c.value("TAL-HONOUR-SHARE.min_percent")
    met = skilled * 100 >= needed * total
    share = round_fen(Decimal(skilled) * 100 / Decimal(total))
    c.step(f"技能人才占比 {share}% ≥ {needed}%", parameter="TAL-HONOUR-SHARE.min_percent", result=met)
    c.extra["share_percent"] = str(share)
    c.reason(
        f"获得者 {total} 人中技能人才 {skilled} 人，占 {share}%，"
        + ("达到" if met else "未达到")
        + f"不低于 {needed}% 的要求。"
    )
    return c.no_money(met)
