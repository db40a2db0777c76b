"""Training subsidies and vouchers: policy-catalog §1."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_noop as N_

from skillcity.core.money import round_fen
from skillcity.policy.engine import Case, Outcome, rule, yuan
from skillcity.policy.facts import BOOL, CHOICE, INT, LEVEL, MONEY, TEXT, TEXTS, Fact

LEVEL_NAMES = {1: "一级/高级技师", 2: "二级/技师", 3: "三级/高级工", 4: "四级/中级工", 5: "五级/初级工"}
CERTIFICATE_KINDS = (
    ("skill_level", "职业技能等级证书"),
    ("special_ability", "专项职业能力证书"),
    ("special_operation", "特种作业操作证书"),
)


@rule(
    "TRN-PROJECT",
    title="项目制培训补贴",
    facts=(
        Fact("project_standard", MONEY, "项目每人补贴标准（元）"),
        Fact("completed", BOOL, "学员已完成培训项目"),
    ),
    requires=("TRN-PROJECT.cap",),
    payee="training_provider",
    summary="按项目标准给予培训单位补贴，每人每项目最高3000元。",
)
def trn_project(c: Case) -> Outcome:
    cap = c.value("TRN-PROJECT.cap")
    if not c["completed"]:
        c.step(N_("学员未完成培训项目"), result=False)
        return c.not_eligible(N_("学员未完成培训项目，不予项目制培训补贴。"))
    amount = min(c["project_standard"], cap)
    c.step(N_("项目标准与每人每项目上限取低"), parameter="TRN-PROJECT.cap", result=amount)
    if c["project_standard"] > cap:
        c.reason(
            N_("项目标准 %(standard)s 元超过每人每项目上限 %(cap)s 元，按上限 %(cap)s 元补贴培训单位。"),
            standard=yuan(c["project_standard"]),
            cap=yuan(cap),
        )
    else:
        c.reason(
            N_("学员完成项目，按项目标准 %(amount)s 元补贴培训单位（上限 %(cap)s 元）。"),
            amount=yuan(amount),
            cap=yuan(cap),
        )
    return c.cap(amount, cap)


def upskill_level_check(facts: dict[str, Any]) -> dict[str, str]:
    """The level belongs to skill-level certificates, and only to them."""
    if facts["certificate_kind"] == "skill_level" and facts["level"] is None:
        return {"level": "缺少此事实（职业技能等级证书须给出等级 1–5）"}
    if facts["certificate_kind"] != "skill_level" and facts["level"] is not None:
        return {"level": "此证书类别不分等级"}
    return {}


def upskill_base_parameter(kind: str, level: int | None) -> str:
    return f"TRN-UPSKILL.level{level}" if kind == "skill_level" else f"TRN-UPSKILL.{kind}"


@rule(
    "TRN-UPSKILL",
    title="劳动力职业技能提升培训补贴",
    facts=(
        Fact("certificate_kind", CHOICE, "证书类别", choices=CERTIFICATE_KINDS),
        Fact("level", LEVEL, "技能等级（1–5，仅职业技能等级证书）", required=False, nullable=True),
        Fact("in_shortage_catalog", BOOL, "工种在当期紧缺急需工种目录内"),
        Fact("occupation_code", TEXT, "职业（工种）代码（可不填，仅作记录）", required=False, nullable=True),
    ),
    requires=(
        "TRN-UPSKILL.level1",
        "TRN-UPSKILL.level2",
        "TRN-UPSKILL.level3",
        "TRN-UPSKILL.level4",
        "TRN-UPSKILL.level5",
        "TRN-UPSKILL.special_ability",
        "TRN-UPSKILL.special_operation",
        "TRN-UPSKILL.shortage_uplift",
        "TRN-UPSKILL.shortage_max_level",
    ),
    payee="worker",
    summary="取得证书按级别给予补贴；紧缺急需工种且高级工及以上上浮30%。",
    check=upskill_level_check,
)
def trn_upskill(c: Case) -> Outcome:
    kind, level = c["certificate_kind"], c["level"]
    base_name = upskill_base_parameter(kind, level)
    base = c.value(base_name)
    label = LEVEL_NAMES[level] if level else dict(CERTIFICATE_KINDS)[kind]
    c.step(
        N_("按证书类别与等级取基准额（%(kind_label)s）"), parameter=base_name, result=base, kind_label=label
    )
    max_level = c.value("TRN-UPSKILL.shortage_max_level")
    if c["in_shortage_catalog"] and kind == "skill_level" and level is not None and level <= max_level:
        uplift = c.value("TRN-UPSKILL.shortage_uplift")
        amount = round_fen(base * uplift)
        c.step(N_("紧缺急需工种且高级工及以上，上浮"), parameter="TRN-UPSKILL.shortage_uplift", result=amount)
        c.reason(
            N_(
                "取得%(kind_label)s证书，基准额 %(base)s 元；工种在紧缺急需目录内且为高级工及以上，上浮至 %(amount)s 元。"
            ),
            kind_label=label,
            base=yuan(base),
            amount=yuan(amount),
        )
        return c.fixed(amount)
    if c["in_shortage_catalog"]:
        c.step(
            N_("紧缺急需工种，但等级低于高级工或非等级证书，不上浮"),
            parameter="TRN-UPSKILL.shortage_max_level",
        )
        c.reason(
            N_("取得%(kind_label)s证书，补贴 %(base)s 元；紧缺工种上浮只适用于高级工（三级）及以上。"),
            kind_label=label,
            base=yuan(base),
        )
    else:
        c.reason(N_("取得%(kind_label)s证书，补贴 %(base)s 元。"), kind_label=label, base=yuan(base))
    return c.fixed(base)


@rule(
    "TRN-PAYEE",
    title="培训评价补贴发放对象",
    facts=(
        Fact(
            "provider_kind",
            CHOICE,
            "培训评价主体",
            choices=(("enterprise", "企业"), ("institution", "培训机构")),
        ),
        Fact("trainee_is_provider_employee", BOOL, "学员是该主体的在职职工"),
    ),
    requires=("TRN-PAYEE.employer_trains_own_staff",),
    payee=("enterprise", "worker"),
    summary="企业面向职工的培训评价，资金直补企业；机构面向社会人员的培训评价，资金补贴到个人。",
)
def trn_payee(c: Case) -> Outcome:
    direct = c.value("TRN-PAYEE.employer_trains_own_staff")
    kind, employee = c["provider_kind"], c["trainee_is_provider_employee"]
    if employee and direct:
        payee = "enterprise"
        c.step(
            N_("单位培训评价本单位职工：资金直补到单位"),
            parameter="TRN-PAYEE.employer_trains_own_staff",
            result=payee,
        )
        if kind == "enterprise":
            c.reason(N_("企业开展面向本企业职工的培训评价，补贴资金直补到企业。"))
        else:
            c.reason(N_("机构培训的是本机构职工，按“面向职工”的情形，补贴资金直补到该单位（本平台的读法）。"))
    else:
        payee = "worker"
        c.step(
            N_("面向社会人员的培训评价：资金补贴到个人"),
            parameter="TRN-PAYEE.employer_trains_own_staff",
            result=payee,
        )
        if kind == "institution":
            c.reason(N_("培训机构面向社会人员开展培训评价，补贴资金发放到个人。"))
        else:
            c.reason(
                N_("企业培训的不是本企业职工，按“面向社会人员”的情形，补贴资金发放到个人（本平台的读法）。")
            )
    # The other rule by its title, in the reader's language (a page shows no rule ID outside its slot).
    c.reason(N_("注：%(rule_label)s无论何种情形均拨付培训单位（D002第8条）。"), rule_label="项目制培训补贴")
    return c.no_money(True, payee=payee)


@rule(
    "TRN-VOUCHER",
    title="职业培训券（电子社保卡）",
    facts=(
        Fact("course_cost", MONEY, "课程费用（元）"),
        Fact("voucher_valid", BOOL, "培训券在有效期内且未核销、未撤销，课程可用券"),
    ),
    requires=("TRN-VOUCHER.face_value", "TRN-VOUCHER.validity_days"),
    payee="training_provider",
    summary="依托电子社保卡发放职业培训券；报名时核销，结业后结算，抵扣额不超过面值。",
)
def trn_voucher(c: Case) -> Outcome:
    face = c.value("TRN-VOUCHER.face_value")
    days = c.value("TRN-VOUCHER.validity_days")
    c.step(N_("培训券有效期（自发放日起）"), parameter="TRN-VOUCHER.validity_days", result=days)
    if not c["voucher_valid"]:
        return c.not_eligible(N_("培训券已过期、已核销、已撤销或课程不接受此券，不能抵扣。"))
    amount = min(c["course_cost"], face)
    c.step(N_("课程费用与培训券面值取低"), parameter="TRN-VOUCHER.face_value", result=amount)
    c.reason(
        N_("培训券面值 %(face)s 元，课程费用 %(cost)s 元，抵扣 %(amount)s 元，结业后与培训机构结算。"),
        face=yuan(face),
        cost=yuan(c["course_cost"]),
        amount=yuan(amount),
    )
    return c.cap(amount, face)


@rule(
    "TRN-SHORTAGE",
    title="紧缺急需职业（工种）目录查询",
    facts=(
        Fact("occupation_code", TEXT, "职业（工种）代码"),
        Fact("catalog_occupation_codes", TEXTS, "当年目录内的职业（工种）代码"),
    ),
    requires=("TRN-SHORTAGE.catalog",),
    summary="目录每年由第三方制定、人社局发布，用于技能提升补贴上浮和企业认定奖补。",
)
def trn_shortage(c: Case) -> Outcome:
    c.step(N_("紧缺急需工种目录（按年度发布）"), parameter="TRN-SHORTAGE.catalog")
    listed = c["occupation_code"] in c["catalog_occupation_codes"]
    c.step(N_("查目录"), result=listed)
    if listed:
        c.reason(N_("工种 %(occupation)s 在当年紧缺急需工种目录内。"), occupation=c["occupation_code"])
    else:
        c.reason(N_("工种 %(occupation)s 不在当年紧缺急需工种目录内。"), occupation=c["occupation_code"])
    return c.no_money(listed)


@rule(
    "TRN-SUBBASE-COURSE",
    title="高技能公共实训分基地课程购买费用",
    facts=(
        Fact("course_category", CHOICE, "课程类别", choices=(("A", "A类（1500元）"), ("B", "B类（2000元）"))),
        Fact("accepted", BOOL, "课程已完成并通过验收"),
        Fact("trainees", INT, "学员人数", minimum=0),
    ),
    requires=("TRN-SUBBASE-COURSE.category_a", "TRN-SUBBASE-COURSE.category_b"),
    payee="public_training_sub_base",
    summary="分基地完成课程并通过验收，按1500、2000元两类支付课程购买费用。",
)
def trn_subbase_course(c: Case) -> Outcome:
    name = "TRN-SUBBASE-COURSE.category_a" if c["course_category"] == "A" else "TRN-SUBBASE-COURSE.category_b"
    per = c.value(name)
    if not c["accepted"]:
        return c.not_eligible(N_("课程未通过验收，不支付课程购买费用。"))
    if c["trainees"] == 0:
        return c.not_eligible(N_("学员人数为0，没有可支付的课程购买费用。"))
    amount = per * Decimal(c["trainees"])
    category = c["course_category"]
    c.step(N_("%(category)s类课程每人标准 × 学员人数"), parameter=name, result=amount, category=category)
    c.reason(
        N_("%(category)s类课程通过验收，每人 %(per)s 元 × %(trainees)s 人 = %(amount)s 元。"),
        category=category,
        per=yuan(per),
        trainees=c["trainees"],
        amount=yuan(amount),
    )
    return c.fixed(amount)
