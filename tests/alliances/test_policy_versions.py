"""D000 governs periods up to 2021H2; later periods name D000's expiry and the successor kept as data."""

from __future__ import annotations

import datetime

import pytest

from skillcity.alliances.policy_versions import (
    VERSIONS_FILE,
    label_for_period,
    load_versions,
    version_for_period,
)
from skillcity.core.periods import HalfYear


@pytest.mark.parametrize("period", ["2019H2", "2020H1", "2021H2"])
def test_d000_governs_its_own_periods(period):
    half_year = HalfYear.parse(period)
    assert version_for_period(half_year).id == "D000"
    assert label_for_period(half_year).startswith(
        "本期适用 D000《东莞市人力资源和社会保障局关于加强东莞市职业培训联盟建设的实施意见》"
    )


@pytest.mark.parametrize("period", ["2022H1", "2025H2", "2030H1"])
def test_later_periods_say_d000_expired_and_name_the_successor(period):
    half_year = HalfYear.parse(period)
    version = version_for_period(half_year)
    assert version.id == "D000-CONTINUED" and version.assumption
    assert label_for_period(half_year) == "D000 已于2021-12-31失效；本期按 沿用D000做法（假设） 执行"


def test_periods_before_d000_have_no_version():
    assert version_for_period(HalfYear(2019, 1)) is None
    assert "无在施" in label_for_period(HalfYear(2019, 1))


def test_a_successor_is_a_data_change(tmp_path):
    text = VERSIONS_FILE.read_text(encoding="utf-8") + (
        "- id: D099\n  title: 东莞市职业培训联盟管理办法（示例）\n  effective_from: 2024-01-01\n  effective_to: null\n"
        "  source: example\n  assumption: false\n"
    )
    path = tmp_path / "versions.yaml"
    path.write_text(text, encoding="utf-8")
    versions = load_versions(path)
    assert [v.id for v in versions] == ["D000", "D000-CONTINUED", "D099"]
    in_force = [v.id for v in reversed(versions) if v.in_force_on(datetime.date(2024, 6, 30))]
    assert in_force[0] == "D099"


def test_a_bad_date_in_the_data_is_refused(tmp_path):
    path = tmp_path / "versions.yaml"
    path.write_text("- id: X\n  title: x\n  effective_from: 2024-02-30\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"versions\.yaml: day is out of range"):
        load_versions(path)
    path.write_text("- id: X\n  title: x\n  effective_from: soon\n", encoding="utf-8")
    with pytest.raises(ValueError, match="effective_from is not a date"):
        load_versions(path)
