import pytest
from stdnum.cn import uscc as stdnum_uscc

from skillcity.core.validators import (
    parse_resident_id,
    resident_id_check_char,
    uscc_check_char,
    validate_phone,
    validate_uscc,
)


def _id(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


def _uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


@pytest.mark.parametrize(
    "number, gender, birth",
    [
        ("11010519491231002X", "F", "1949-12-31"),  # the GB 11643-1999 example
        ("11010519491231002x", "F", "1949-12-31"),  # a lowercase x is accepted and normalised
        (_id("44190019900517003"), "M", "1990-05-17"),
        (_id("43052119880229004"), "F", "1988-02-29"),  # leap day
    ],
)
def test_it_accepts_valid_resident_ids_and_reads_gender_and_birth(number, gender, birth):
    parsed = parse_resident_id(number)
    assert parsed.number == number.upper()
    assert parsed.gender == gender
    assert str(parsed.birth_date) == birth


@pytest.mark.parametrize(
    "number, message",
    [
        ("110105194912310021", "校验位错误"),
        (_id("44190019900230003"), "出生日期无效"),  # 30 February
        (_id("44190020990101003"), "晚于今天"),
        ("441900900517003", "18位"),  # the old 15-digit format
        ("44190019900517003A", "末位为数字或X"),
        (_id("99190019900517003"), "地区码"),
    ],
)
def test_it_refuses_bad_resident_ids_saying_why(number, message):
    with pytest.raises(ValueError, match=message):
        parse_resident_id(number)


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # a published enterprise example (GB 32100-2015 annex style)
        _uscc("91441900MA4UXXXX1"),
        _uscc("12441900007265130"),
        _uscc("51441900MJL123450"),
        _uscc("A1100000MB0P12345"),
        _uscc("N2441900MF1234567"),
        _uscc("Y1441900MC1234567"),
    ],
)
def test_it_accepts_valid_usccs(code):
    assert validate_uscc(code) == code


@pytest.mark.parametrize("first17", ["A1100000MB0P12345", "N2441900MF1234567", "Y1441900MC1234567"])
def test_stdnum_rejects_valid_a_n_y_codes_that_we_accept(first17):
    code = _uscc(first17)
    assert not stdnum_uscc.is_valid(code)
    assert validate_uscc(code) == code


@pytest.mark.parametrize(
    "code, message",
    [
        ("91350100M000100Y44", "校验位错误"),
        ("91350100M000I00Y43", "不允许的字符"),
        ("9135010", "18位"),
        (_uscc("Z1441900MA4UXXXX1".replace("Z", "B")), "登记管理部门"),
        (_uscc("97441900MA4UXXXX1"), "机构类别"),
    ],
)
def test_it_refuses_bad_usccs_saying_why(code, message):
    with pytest.raises(ValueError, match=message):
        validate_uscc(code)


@pytest.mark.parametrize("phone", ["13800138000", "+8619912345678", "0769-22223333", "076922223333"])
def test_it_accepts_phone_numbers(phone):
    assert validate_phone(phone)


@pytest.mark.parametrize("phone", ["12345678901", "1380013800", "abc"])
def test_it_refuses_bad_phone_numbers(phone):
    with pytest.raises(ValueError):
        validate_phone(phone)


def test_a_landline_is_not_a_mobile():
    with pytest.raises(ValueError, match="11位"):
        validate_phone("0769-22223333", mobile_only=True)


@pytest.mark.parametrize(
    "code",
    [
        "914403001922038216",  # published enterprise codes from business-licence notices (Shenzhen)
        "9144030071526726XG",
        "91440300708461136T",
        "91330100716105852F",  # Hangzhou
        "91110000802100433B",  # Beijing
    ],
)
def test_it_accepts_published_codes_as_stdnum_does(code):
    assert stdnum_uscc.is_valid(code)
    assert validate_uscc(code) == code


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_it_refuses_the_letters_gb_32100_leaves_out(letter):
    code = "91441900MA4U" + letter + "XXX1X"
    with pytest.raises(ValueError, match=f"不允许的字符：{letter}"):
        validate_uscc(code)


def test_it_normalises_lowercase_and_spaces_in_a_uscc():
    assert validate_uscc(" 9144030071526726xg ") == "9144030071526726XG"


@pytest.mark.parametrize("first17", ["91441900MA4UXXXX1", "12441900007265130", "51441900MJL123450"])
def test_a_wrong_check_character_is_refused_for_every_authority(first17):
    right = uscc_check_char(first17)
    wrong = "0" if right != "0" else "1"
    with pytest.raises(ValueError, match="校验位错误"):
        validate_uscc(first17 + wrong)


def test_a_resident_id_with_spaces_is_normalised():
    assert parse_resident_id(" 110105 19491231 002x ").number == "11010519491231002X"


def test_an_empty_resident_id_says_18_digits():
    with pytest.raises(ValueError, match="18位"):
        parse_resident_id("")
