"""Strict settings from the environment: a bad value stops start-up, naming the variable."""

import pytest

from skillcity.core.env import SettingError, env_bool, env_choice, env_int, env_list, env_str


@pytest.mark.parametrize(
    "raw, expected", [("1", True), ("TRUE", True), (" yes ", True), ("off", False), ("0", False)]
)
def test_booleans_accept_the_usual_spellings(raw, expected):
    assert env_bool("SKILLCITY_DEBUG", not expected, environ={"SKILLCITY_DEBUG": raw}) is expected


def test_a_missing_or_empty_value_gives_the_default():
    assert env_bool("SKILLCITY_DEBUG", True, environ={}) is True
    assert env_bool("SKILLCITY_DEBUG", False, environ={"SKILLCITY_DEBUG": ""}) is False
    assert env_int("SKILLCITY_PORT", 8000, environ={}) == 8000
    assert env_str("SKILLCITY_NAME", "x", environ={"SKILLCITY_NAME": ""}) == "x"
    assert env_list("SKILLCITY_HOSTS", ["a"], environ={"SKILLCITY_HOSTS": " "}) == ["a"]


def test_a_bad_boolean_names_the_variable():
    with pytest.raises(SettingError, match="SKILLCITY_DEBUG='maybe'"):
        env_bool("SKILLCITY_DEBUG", False, environ={"SKILLCITY_DEBUG": "maybe"})


@pytest.mark.parametrize("raw", ["80a", "1.5", "eight"])
def test_a_bad_integer_names_the_variable(raw):
    with pytest.raises(SettingError, match="SKILLCITY_PORT"):
        env_int("SKILLCITY_PORT", 8000, environ={"SKILLCITY_PORT": raw})


def test_an_integer_out_of_range_names_the_variable_and_the_bound():
    with pytest.raises(SettingError, match="SKILLCITY_PAGE_SIZE=2: must be at least 5"):
        env_int("SKILLCITY_PAGE_SIZE", 25, minimum=5, environ={"SKILLCITY_PAGE_SIZE": "2"})
    with pytest.raises(SettingError, match="at most 500"):
        env_int("SKILLCITY_PAGE_SIZE", 25, maximum=500, environ={"SKILLCITY_PAGE_SIZE": "501"})
    assert env_int("SKILLCITY_PAGE_SIZE", 25, minimum=5, environ={"SKILLCITY_PAGE_SIZE": " 50 "}) == 50


def test_lists_are_split_on_commas():
    assert env_list("SKILLCITY_HOSTS", [], environ={"SKILLCITY_HOSTS": "a.gov.cn, b.gov.cn,,"}) == [
        "a.gov.cn",
        "b.gov.cn",
    ]


def test_a_choice_outside_the_set_names_the_variable():
    with pytest.raises(SettingError, match="SKILLCITY_LOG_FORMAT"):
        env_choice("SKILLCITY_LOG_FORMAT", "text", {"text", "json"}, environ={"SKILLCITY_LOG_FORMAT": "xml"})
    assert env_choice("SKILLCITY_LOG_FORMAT", "text", {"text", "json"}, environ={}) == "text"


def test_a_bad_setting_stops_the_platform_at_start_up(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "skillcity.cli", "check"],
        capture_output=True,
        text=True,
        env={
            "SKILLCITY_DATA_DIR": str(tmp_path),
            "SKILLCITY_LOGIN_MAX_FAILURES": "five",
            "PATH": "/usr/bin:/bin",
        },
        check=False,
    )
    assert result.returncode != 0
    assert "SKILLCITY_LOGIN_MAX_FAILURES" in result.stderr
