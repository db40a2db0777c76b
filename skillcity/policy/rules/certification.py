"""Enterprise self-certification rewards (CRT-ENT): policy-catalog §5, D002 item 21, D003 §一(四)四."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_noop as N_

from skillcity.core.money import round_fen
from skillcity.policy.display import message, message_text
from skillcity.policy.engine import Case, Outcome, rule, yuan
from skillcity.policy.facts import BOOL, CHOICES, INT, MONEY, Fact

ZERO = Decimal("0")
# D002 第21条: filing, question bank, shortage certification and the social-organisation award are
# "一次性" — once per enterprise, whatever the year; the annual volume award is once per qualifying year.
ONE_TIME = (
    ("filing", "备案并开展认定"),
    ("qbank", "题（卷）库"),
    ("shortage", "紧缺急需职业（工种）认定"),
    ("social_org", "省备案社会培训评价组织"),
)


def component_code(component_id: str) -> str:
    """ "CRT-ENT-SOCIAL-ORG" → "social_org": a component's code among `ONE_TIME` (and "volume")."""
    return component_id.removeprefix("CRT-ENT-").lower().replace("-", "_")


@rule(
    "CRT-ENT",
    title="企业职业技能等级认定奖补",
    facts=(
        Fact("filed_and_certifying", BOOL, "已备案并开展等级认定"),
        Fact("qbank_filed", BOOL, "开发的题（卷）库已通过备案"),
        Fact("shortage_certification", BOOL, "开展紧缺急需职业（工种）等级认定"),
        Fact("year_new_certificates", INT, "一个自然年度新增持证人次", minimum=0),
        Fact("year_new_certificates_level2_or_higher", INT, "其中技师及以上等级持证人次", minimum=0),
        Fact("provincial_social_org", BOOL, "通过省厅备案成为社会培训评价组织的龙头企业"),
        Fact("already_received", MONEY, "已获得的认定奖补金额（元）"),
        Fact(
            "one_time_received",
            CHOICES,
            "此前已获得的一次性奖补项目",
            required=False,
            nullable=True,
            choices=ONE_TIME,
            help="由平台的支付记录给出（补贴申报）",
        ),
    ),
    requires=(
        "CRT-ENT.filing",
        "CRT-ENT.qbank_min",
        "CRT-ENT.qbank_max",
        "CRT-ENT.shortage_min",
        "CRT-ENT.shortage_max",
        "CRT-ENT.volume",
        "CRT-ENT.volume_certificates",
        "CRT-ENT.volume_level2_certificates",
        "CRT-ENT.social_org",
    ),
    optional=("CRT-ENT.total_cap",),
    payee="enterprise",
    check=lambda f: (
        {"year_new_certificates_level2_or_higher": "不能大于 year_new_certificates"}
        if f["year_new_certificates_level2_or_higher"] > f["year_new_certificates"]
        else {}
    ),
    summary="备案5万；题库2–10万；紧缺工种认定2–10万；年度新增1000人次且技师以上100人次10万；省备案社会评价组织50万；2023年起合计最高85万。",
)
def crt_ent(c: Case) -> Outcome:
    components: list[dict[str, Any]] = []

    received = set(c["one_time_received"] or ())

    def component(
        cid: str, title: str, ok: bool, basis: str, low: Decimal, high: Decimal, why: dict[str, Any]
    ) -> None:
        # `why` is a message (display.message); the entry keeps its Chinese as "reason" and the message
        # as "reason_message", and the reasons list it inside their own message.
        if ok and component_code(cid) in received:
            ok, why = False, message(N_("%(why)s，但此前已获得（一次性奖补，每家企业一次）"), why=why)
        entry = {
            "id": cid,
            "title": title,
            "eligible": ok,
            "basis": basis if ok else "none",
            "reason": message_text(why["msgid"], why["params"], translate=False, context=why.get("context")),
            "reason_message": why,
        }
        if ok and basis == "fixed":
            entry.update(amount=round_fen(low), min=None, max=None)
        elif ok:
            entry.update(amount=None, min=round_fen(low), max=round_fen(high))
        else:
            entry.update(amount=None, min=None, max=None)
        components.append(entry)

    filing = c.value("CRT-ENT.filing")
    c.step(N_("备案并开展认定：一次性补贴"), parameter="CRT-ENT.filing", result=c["filed_and_certifying"])
    component(
        "CRT-ENT-FILING",
        "备案并开展认定",
        c["filed_and_certifying"],
        "fixed",
        filing,
        filing,
        message(N_("已备案并开展认定") if c["filed_and_certifying"] else N_("未备案或未开展认定")),
    )

    qlow, qhigh = c.value("CRT-ENT.qbank_min"), c.value("CRT-ENT.qbank_max")
    c.step(N_("题（卷）库通过备案：区间下限"), parameter="CRT-ENT.qbank_min", result=c["qbank_filed"])
    c.step(N_("题（卷）库通过备案：区间上限"), parameter="CRT-ENT.qbank_max", result=c["qbank_filed"])
    component(
        "CRT-ENT-QBANK",
        "开发题（卷）库并通过备案",
        c["qbank_filed"],
        "range",
        qlow,
        qhigh,
        # The form label "题（卷）库已通过备案" reads as a heading in English; here it is a clause.
        message(N_("题（卷）库已通过备案"), context="policy reason")
        if c["qbank_filed"]
        else message(N_("题（卷）库未备案")),
    )

    slow, shigh = c.value("CRT-ENT.shortage_min"), c.value("CRT-ENT.shortage_max")
    c.step(
        N_("紧缺急需工种认定：区间下限"), parameter="CRT-ENT.shortage_min", result=c["shortage_certification"]
    )
    c.step(
        N_("紧缺急需工种认定：区间上限"), parameter="CRT-ENT.shortage_max", result=c["shortage_certification"]
    )
    component(
        "CRT-ENT-SHORTAGE",
        "开展紧缺急需职业（工种）等级认定",
        c["shortage_certification"],
        "range",
        slow,
        shigh,
        message(
            N_("开展了紧缺急需工种认定") if c["shortage_certification"] else N_("未开展紧缺急需工种认定")
        ),
    )

    need_total = c.value("CRT-ENT.volume_certificates")
    need_high = c.value("CRT-ENT.volume_level2_certificates")
    volume = c.value("CRT-ENT.volume")
    total, high = c["year_new_certificates"], c["year_new_certificates_level2_or_higher"]
    volume_ok = total >= need_total and high >= need_high
    c.step(
        N_("年度新增持证 %(total)s 人次 ≥ %(need)s"),
        parameter="CRT-ENT.volume_certificates",
        result=total >= need_total,
        total=total,
        need=need_total,
    )
    c.step(
        N_("技师及以上 %(high)s 人次 ≥ %(need)s"),
        parameter="CRT-ENT.volume_level2_certificates",
        result=high >= need_high,
        high=high,
        need=need_high,
    )
    c.step(N_("年度持证达标奖励"), parameter="CRT-ENT.volume", result=volume if volume_ok else ZERO)
    component(
        "CRT-ENT-VOLUME",
        "自然年度新增持证达标",
        volume_ok,
        "fixed",
        volume,
        volume,
        message(
            N_("年度新增 %(total)s 人次（须≥%(need_total)s），技师及以上 %(high)s 人次（须≥%(need_high)s）"),
            total=total,
            need_total=need_total,
            high=high,
            need_high=need_high,
        ),
    )

    social = c.value("CRT-ENT.social_org")
    c.step(
        N_("省备案社会培训评价组织：一次性奖励"),
        parameter="CRT-ENT.social_org",
        result=c["provincial_social_org"],
    )
    component(
        "CRT-ENT-SOCIAL-ORG",
        "通过省厅备案成为社会培训评价组织",
        c["provincial_social_org"],
        "fixed",
        social,
        social,
        message(N_("已通过省厅备案") if c["provincial_social_org"] else N_("未通过省厅备案")),
    )

    c.extra["components"] = components
    granted = [x for x in components if x["eligible"]]
    for x in components:
        c.reason(
            N_("✔ %(title_label)s：%(why)s。") if x["eligible"] else N_("✘ %(title_label)s：%(why)s。"),
            title_label=x["title"],
            why=x["reason_message"],
        )
    if not granted:
        c.reason(N_("没有符合条件的奖补项目。"))
        return c.no_money(False)
    low = sum((x["amount"] if x["basis"] == "fixed" else x["min"] for x in granted), ZERO)
    high_sum = sum((x["amount"] if x["basis"] == "fixed" else x["max"] for x in granted), ZERO)
    has_range = any(x["basis"] == "range" for x in granted)
    if c.has("CRT-ENT.total_cap"):
        cap = c.value("CRT-ENT.total_cap")
        remaining = max(cap - c["already_received"], ZERO)
        received_yuan = yuan(c["already_received"])
        c.step(
            N_("合计上限 − 已获得 %(received)s 元"),
            parameter="CRT-ENT.total_cap",
            result=remaining,
            received=received_yuan,
        )
        if remaining == 0:
            c.reason(
                N_("已获得 %(received)s 元，达到每家企业合计最高 %(cap)s 元，不再给予。"),
                received=received_yuan,
                cap=yuan(cap),
            )
            return c.no_money(False)
        if high_sum > remaining:
            # The cap trims the total: the basis says so (cap), with the bounds left.
            c.reason(
                N_(
                    "各项合计 %(total)s 元超过剩余额度 %(remaining)s 元（合计最高 %(cap)s 元，"
                    "已获得 %(received)s 元），按剩余额度封顶。"
                ),
                total=yuan(high_sum),
                remaining=yuan(remaining),
                cap=yuan(cap),
                received=received_yuan,
            )
            low = min(low, remaining)
            if has_range:
                c.reason(
                    N_("本次奖补在 %(low)s–%(high)s 元之间，由审核人按区间项目核定。"),
                    low=yuan(low),
                    high=yuan(remaining),
                )
                return c.cap(None, remaining, low=low)
            c.reason(N_("本次奖补 %(amount)s 元（封顶）。"), amount=yuan(remaining))
            return c.cap(remaining, remaining, low=remaining)
    if not has_range:
        c.reason(N_("本次奖补合计 %(amount)s 元。"), amount=yuan(high_sum))
        # Every component fixed: min and max are the amount, so the bounds are always given.
        return c.fixed(high_sum, bounds=True)
    c.reason(
        N_("本次奖补在 %(low)s–%(high)s 元之间，由审核人按区间项目核定。"), low=yuan(low), high=yuan(high_sum)
    )
    return c.range(low, high_sum)
