"""Talents and honours: policy-catalog §6."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_noop as N_

from skillcity.core.money import round_fen
from skillcity.policy.display import message, message_text
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
# The three subsidies of TAL-LEADING: given `item`, the rule bounds that one subsidy (a grants application
# for a living, home-purchase or monthly rent subsidy is decided within its own range).
LEADING_ITEMS = (("living", "生活补贴"), ("home_purchase", "购房补贴"), ("monthly_rent", "租房补贴（每月）"))


@rule(
    "TAL-LEADING",
    title="技能领军人才配套补贴",
    facts=(
        Fact(
            "item",
            CHOICE,
            "补贴项目（不填则列出三项）",
            required=False,
            nullable=True,
            choices=LEADING_ITEMS,
        ),
    ),
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
        c.step(N_("%(item_label)s下限"), parameter=f"TAL-LEADING.{key}_min", result=low, item_label=label)
        c.step(N_("%(item_label)s上限"), parameter=f"TAL-LEADING.{key}_max", result=high, item_label=label)
        ranges[key] = {"min": str(round_fen(low)), "max": str(round_fen(high))}
        c.reason(
            N_("%(item_label)s：%(low)s–%(high)s 元，由认定时核定。"),
            item_label=label,
            low=yuan(low),
            high=yuan(high),
        )
    c.extra["ranges"] = ranges
    item = c["item"]
    if item:
        c.step(N_("本申请的补贴项目：%(item_label)s"), result=item, item_label=dict(LEADING_ITEMS)[item])
        c.extra["item"] = item
        return c.range(Decimal(ranges[item]["min"]), Decimal(ranges[item]["max"]), payee="talent")
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
    c.step(N_("本年度剩余额度 = 每年上限 − 已获得"), parameter="TAL-LEADING-EMPLOYER.cap", result=remaining)
    if remaining == 0:
        return c.not_eligible(
            N_("本单位本年度已获得 %(received)s 元，达到每年最高 %(cap)s 元。"),
            received=yuan(c["already_received_this_year"]),
            cap=yuan(cap),
        )
    amount = min(c["requested"], remaining)
    c.step(N_("申请金额与剩余额度取低"), result=amount)
    c.reason(
        N_(
            "每个单位每年最高 %(cap)s 元，本年度剩余 %(remaining)s 元；申请 %(requested)s 元，可给予 %(amount)s 元。"
        ),
        cap=yuan(cap),
        remaining=yuan(remaining),
        requested=yuan(c["requested"]),
        amount=yuan(amount),
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
    c.step(N_("持有可申领优才卡的称号"), parameter="TAL-CARD.titles", result=held)
    grounds: list[dict[str, Any]] = [
        message(N_("持有“%(title_label)s”称号"), title_label=names[t]) for t in held
    ]
    if c["studio_lead_level"]:
        grounds.append(
            message(
                N_("为%(level_label)s技能大师工作室（技师工作站）领办人"),
                level_label=dict(STUDIO_LEVELS)[c["studio_lead_level"]],
            )
        )
    max_level = c.value("TAL-CARD.max_level")
    level = c["highest_skill_level"]
    level_ok = level is not None and level <= max_level
    c.step(N_("技能等级为技师或高级技师"), parameter="TAL-CARD.max_level", result=level_ok)
    if level_ok:
        grounds.append(
            message(N_("取得高级技师职业技能等级证书") if level == 1 else N_("取得技师职业技能等级证书"))
        )
    if not grounds:
        return c.not_eligible(
            N_("未持有规定称号、未领办技能大师工作室，且技能等级低于技师，不能申领东莞市优才卡。")
        )
    for g in grounds:
        c.reason(N_("可申领东莞市优才卡：%(ground)s。"), ground=g)
    # The grounds as Chinese (the API's field) and as messages, for a page in the reader's language.
    c.extra["grounds"] = [message_text(g["msgid"], g["params"], translate=False) for g in grounds]
    c.extra["grounds_messages"] = grounds
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
    c.step(
        N_("技能人才占比 %(share)s%% ≥ %(needed)s%%"),
        parameter="TAL-HONOUR-SHARE.min_percent",
        result=met,
        share=str(share),
        needed=needed,
    )
    c.extra["share_percent"] = str(share)
    c.reason(
        N_("获得者 %(total)s 人中技能人才 %(skilled)s 人，占 %(share)s%%，达到不低于 %(needed)s%% 的要求。")
        if met
        else N_(
            "获得者 %(total)s 人中技能人才 %(skilled)s 人，占 %(share)s%%，未达到不低于 %(needed)s%% 的要求。"
        ),
        total=total,
        skilled=skilled,
        share=str(share),
        needed=needed,
    )
    return c.no_money(met)
