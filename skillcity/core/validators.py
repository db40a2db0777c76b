"""Validators for the identifiers the registry holds.

Resident ID: GB 11643-1999 via python-stdnum. USCC: GB 32100-2015 with our own check, because
stdnum refuses valid codes whose registration-authority character is A, N or Y.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

# --- Resident ID (居民身份证号码) -------------------------------------------------------------------


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: datetime.date
    gender: str  # "M" | "F": the 17th digit, odd for men (GB 11643-1999 §4.4)
    region_code: str


_PROVINCES = {
    "11",
    "12",
    "13",
    "14",
    "15",
    "21",
    "22",
    "23",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "50",
    "51",
    "52",
    "53",
    "54",
    "61",
    "62",
    "63",
    "64",
    "65",
    "71",
    "81",
    "82",
    "83",
}


def parse_resident_id(value: str) -> ResidentId:
    """Return the normalised ID and what it encodes, or raise ValueError saying what is wrong."""
    raw = (value or "").strip().upper().replace(" ", "")
    if len(raw) != 18:
        raise ValueError("身份证号码应为18位")
    if not re.fullmatch(r"\d{17}[\dX]", raw):
        raise ValueError("身份证号码前17位应为数字，末位为数字或X")
    # stdnum's checksum and birth-date checks; the birth place is checked by province only, because
    # stdnum's county list is a snapshot and real numbers keep the county code of their year of issue.
    number = ric.compact(raw)
    if ric.calc_check_digit(number) != number[17]:
        raise ValueError("身份证号码校验位错误")
    if number[:2] not in _PROVINCES:
        raise ValueError("身份证号码前6位（地区码）无效")
    try:
        birth = ric.get_birth_date(number)
    except StdnumError:
        raise ValueError("身份证号码中的出生日期无效") from None
    if birth > datetime.date.today():
        raise ValueError("身份证号码中的出生日期晚于今天")
    if birth.year < 1900:
        raise ValueError("身份证号码中的出生日期无效")
    return ResidentId(
        number=number, birth_date=birth, gender="M" if int(number[16]) % 2 else "F", region_code=number[:6]
    )


def resident_id_check_char(first17: str) -> str:
    """The GB 11643-1999 check character (ISO 7064 MOD 11-2) for 17 digits."""
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    return "10X98765432"[total % 11]


# --- USCC (统一社会信用代码) ----------------------------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015 table: no I, O, Z, S, V
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Registration authority (first character) and the organisation kinds it allows (second character).
USCC_AUTHORITY_KINDS = {
    "1": "1239",  # 机构编制
    "2": "19",  # 外交
    "3": "123459",  # 司法行政
    "4": "19",  # 文化
    "5": "1239",  # 民政
    "6": "129",  # 旅游
    "7": "129",  # 宗教
    "8": "19",  # 工会
    "9": "123",  # 工商（市场监管）
    "A": "19",  # 中央军委改革和编制办公室
    "N": "12349",  # 农业
    "Y": "1",  # 其他
}


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    """Return the normalised 18-character USCC or raise ValueError saying what is wrong."""
    code = (value or "").strip().upper().replace(" ", "")
    if len(code) != 18:
        raise ValueError("统一社会信用代码应为18位")
    bad = sorted({c for c in code if c not in USCC_ALPHABET})
    if bad:
        raise ValueError(f"统一社会信用代码含有不允许的字符：{''.join(bad)}")
    if code[0] not in USCC_AUTHORITY_KINDS:
        raise ValueError(f"统一社会信用代码第1位（登记管理部门）“{code[0]}”无效")
    if code[1] not in USCC_AUTHORITY_KINDS[code[0]]:
        raise ValueError(f"统一社会信用代码第2位（机构类别）“{code[1]}”与登记管理部门不符")
    if not code[2:8].isdigit():
        raise ValueError("统一社会信用代码第3-8位（行政区划码）应为数字")
    if uscc_check_char(code[:17]) != code[17]:
        raise ValueError("统一社会信用代码校验位错误")
    return code


# --- Phone numbers ---------------------------------------------------------------------------------

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def validate_phone(value: str, *, mobile_only: bool = False) -> str:
    """Mainland mobile (11 digits from 13–19) or, unless mobile_only, a landline with area code."""
    phone = (value or "").strip().replace(" ", "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if _MOBILE.match(phone):
        return phone
    if not mobile_only and _LANDLINE.match(phone):
        return phone
    raise ValueError(
        "手机号码应为以1开头的11位数字" if mobile_only else "电话号码格式无效（手机11位或带区号的固定电话）"
    )
