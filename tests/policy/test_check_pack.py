"""`skillcity policy check-pack`: every problem of a pack file reported as `file:line: problem`.

Each test writes a small pack (or a pack and its base) to tmp_path with one thing wrong, and expects
the problem on the line of the YAML node that is wrong.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from skillcity.policy.pack import loader

MANIFEST = """name: small
jurisdiction: {code: "449902", name: 小城}
documents: documents.yaml
parameters:
  - training.yaml
rules:
  - TRN-PROJECT
"""
DOCUMENTS = """S001:
  title: 小城职业培训补贴办法
  issuer: 小城人力资源和社会保障局
  effective_from: 2026-01-01
  effective_to: 2030-12-31
"""
TRAINING = """TRN-PROJECT.cap:
  title: 项目制培训补贴每人每项目上限
  unit: yuan
  versions:
    - value: 2000
      source: {document: S001, clause: 第二条, text: 每个项目每人最高2000元。}
"""


def write_pack(root: Path, name: str = "small", **files: str) -> Path:
    """A pack folder: the small pack's files, with `files` (file name → text) replacing or adding some."""
    folder = root / name
    folder.mkdir()
    texts = {"pack.yaml": MANIFEST, "documents.yaml": DOCUMENTS, "training.yaml": TRAINING}
    texts.update({k.replace("_yaml", ".yaml"): v for k, v in files.items()})
    for file_name, text in texts.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    return folder


def line_of(text: str, marker: str) -> int:
    """The 1-based line of the first line holding `marker` (so a test names the line it broke)."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if marker in line)


def problems(folder: Path) -> list[str]:
    _pack, found = loader.check(folder)
    return [str(p) for p in found]


def test_the_small_pack_is_clean(tmp_path: Path) -> None:
    assert problems(write_pack(tmp_path)) == []


def test_an_unknown_key_in_a_version_is_named_on_its_line(tmp_path: Path) -> None:
    text = TRAINING.replace("    - value: 2000\n", "    - value: 2000\n      amout: 3\n")
    found = problems(write_pack(tmp_path, training_yaml=text))
    assert found == [f"small/training.yaml:{line_of(text, 'amout')}: 未知的键“amout”"]


def test_an_unknown_key_in_the_manifest_and_in_a_document(tmp_path: Path) -> None:
    manifest = MANIFEST + "enabled: [TRN-UPSKILL]\n"
    documents = DOCUMENTS.replace("  issuer:", "  isuer:")
    found = problems(write_pack(tmp_path, pack_yaml=manifest))
    assert found == [f"small/pack.yaml:{line_of(manifest, 'enabled')}: 未知的键“enabled”"]
    other = problems(write_pack(tmp_path, "other", documents_yaml=documents))
    assert f"other/documents.yaml:{line_of(documents, 'isuer')}: 未知的键“isuer”" in other


def test_a_version_without_a_citation_is_refused(tmp_path: Path) -> None:
    no_source = TRAINING.replace(
        "      source: {document: S001, clause: 第二条, text: 每个项目每人最高2000元。}\n", ""
    )
    found = problems(write_pack(tmp_path, training_yaml=no_source))
    assert len(found) == 1
    assert found[0].startswith(f"small/training.yaml:{line_of(no_source, '- value')}: 缺少引用")

    no_clause = TRAINING.replace("clause: 第二条, ", "")
    found = problems(write_pack(tmp_path, "other", training_yaml=no_clause))
    assert len(found) == 1
    assert found[0].startswith(f"other/training.yaml:{line_of(no_clause, 'source:')}: 缺少引用")
    assert "source.clause" in found[0]


def test_overlapping_versions_are_refused_on_the_later_version(tmp_path: Path) -> None:
    text = TRAINING + (
        "    - value: 2500\n"
        "      effective_from: 2028-01-01\n"
        "      source: {document: S001, clause: 第二条, text: 每个项目每人最高2500元。}\n"
    )
    found = problems(write_pack(tmp_path, training_yaml=text))
    assert len(found) == 1
    assert found[0].startswith(
        f"small/training.yaml:{line_of(text, 'value: 2500')}: TRN-PROJECT.cap 的版本重叠"
    )


def test_a_gap_inside_a_documents_validity_is_refused(tmp_path: Path) -> None:
    text = TRAINING.replace("    - value: 2000\n", "    - value: 2000\n      effective_to: 2026-06-30\n") + (
        "    - value: 2500\n"
        "      effective_from: 2027-01-01\n"
        "      source: {document: S001, clause: 第二条, text: 每个项目每人最高2500元。}\n"
    )
    found = problems(write_pack(tmp_path, training_yaml=text))
    assert found == [
        f"small/training.yaml:{line_of(text, 'value: 2500')}: TRN-PROJECT.cap 在 2026-07-01 至 2026-12-31 "
        "没有版本，但这段时间在文件 S001 的适用期（2026-01-01 至 2030-12-31）之内"
    ]


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ('"2000-5000"', "是一个区间"),
        ("[2000, 5000]", "是一个区间"),
        ("{min: 2000, max: 5000}", "是一个区间"),
        ("2000.5", "不对"),
        ("true", "不对"),
        ("两千", "不对"),
    ],
)
def test_a_value_of_the_wrong_kind_for_its_unit_is_refused(tmp_path: Path, value: str, words: str) -> None:
    text = TRAINING.replace("value: 2000", f"value: {value}")
    found = problems(write_pack(tmp_path, training_yaml=text))
    assert len(found) == 1
    assert found[0].startswith(f"small/training.yaml:{line_of(text, '- value')}: TRN-PROJECT.cap 的值")
    assert words in found[0] and "yuan" in found[0]


def test_a_rule_enabled_with_no_parameters_is_refused_on_its_manifest_line(tmp_path: Path) -> None:
    manifest = MANIFEST + "  - TRN-UPSKILL\n"
    found = problems(write_pack(tmp_path, pack_yaml=manifest))
    assert len(found) == 1
    assert found[0].startswith(f"small/pack.yaml:{line_of(manifest, 'TRN-UPSKILL')}: 规则 TRN-UPSKILL 已启用")
    assert "TRN-UPSKILL.level5" in found[0]


def test_a_rule_not_in_the_shared_library_is_refused(tmp_path: Path) -> None:
    manifest = MANIFEST + "  - TRN-NOTHING\n"
    found = problems(write_pack(tmp_path, pack_yaml=manifest))
    assert found == [
        f"small/pack.yaml:{line_of(manifest, 'TRN-NOTHING')}: 规则 TRN-NOTHING 不在共享规则库中（skillcity policy list）"
    ]


def test_a_parameter_file_the_manifest_does_not_name_is_never_silently_ignored(tmp_path: Path) -> None:
    folder = write_pack(tmp_path, extra_yaml=TRAINING)
    (folder / "more").mkdir()
    (folder / "more" / "talents.yml").write_text("{}\n", encoding="utf-8")
    found = problems(folder)
    assert [p.split(": ")[0] for p in found] == ["small/extra.yaml:1", "small/more/talents.yml:1"]
    assert all("未在 pack.yaml 中列出" in p for p in found)


def test_a_file_the_manifest_names_but_the_folder_lacks(tmp_path: Path) -> None:
    manifest = MANIFEST.replace("  - training.yaml\n", "  - training.yaml\n  - talents.yaml\n")
    found = problems(write_pack(tmp_path, pack_yaml=manifest))
    assert found == [f"small/pack.yaml:{line_of(manifest, 'talents.yaml')}: 列出的文件“talents.yaml”不存在"]


def test_a_parameter_naming_an_unknown_document_is_refused(tmp_path: Path) -> None:
    text = TRAINING.replace("document: S001", "document: S999")
    found = problems(write_pack(tmp_path, training_yaml=text))
    assert len(found) == 1
    assert found[0].startswith(
        f"small/training.yaml:{line_of(text, 'S999')}: TRN-PROJECT.cap 第 1 个版本引用的文件“S999”"
    )


def test_a_key_written_twice_in_one_file_is_refused(tmp_path: Path) -> None:
    text = TRAINING + TRAINING
    found = problems(write_pack(tmp_path, training_yaml=text))
    assert (
        f"small/training.yaml:{len(TRAINING.splitlines()) + 1}: 键“TRN-PROJECT.cap”重复（第 1 行已有）"
        in found
    )


def test_a_value_of_the_wrong_type_in_the_manifest_and_documents(tmp_path: Path) -> None:
    manifest = MANIFEST.replace('code: "449902"', "code: 449902")
    documents = DOCUMENTS.replace("effective_from: 2026-01-01", "effective_from: 2026年1月1日")
    found = problems(write_pack(tmp_path, pack_yaml=manifest))
    assert found[0].startswith(
        f"small/pack.yaml:{line_of(manifest, 'jurisdiction')}: “jurisdiction.code”应为文本"
    )
    found = problems(write_pack(tmp_path, "other", documents_yaml=documents))
    assert found[0].startswith(
        f"other/documents.yaml:{line_of(documents, 'effective_from')}: “S001.effective_from”应为日期"
    )


def test_check_pack_exits_2_with_every_problem_and_0_with_a_summary(tmp_path: Path) -> None:
    text = TRAINING.replace("value: 2000", 'value: "2000-5000"').replace("clause: 第二条, ", "")
    broken = write_pack(tmp_path, training_yaml=text, extra_yaml="{}\n")
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("policy", "check-pack", str(broken), stderr=err)
    assert exc.value.returncode == 2
    lines = err.getvalue().strip().splitlines()
    assert lines[0].startswith(f"small/training.yaml:{line_of(text, 'source:')}: 缺少引用")
    assert lines[1].startswith("small/extra.yaml:1: ")
    assert "共 2 个问题" in str(exc.value)

    out = io.StringIO()
    call_command("policy", "check-pack", str(write_pack(tmp_path, "clean")), stdout=out)
    assert out.getvalue().startswith("clean: 通过 — 449902 小城，基础包 无，1 个文件，1 个参数，1 条规则")


def test_check_pack_on_a_folder_without_a_manifest_exits_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as exc:
        call_command("policy", "check-pack", str(tmp_path), stderr=io.StringIO())
    assert exc.value.returncode == 2


def test_the_runtime_loader_refuses_a_bad_pack_with_the_same_messages(tmp_path: Path) -> None:
    text = TRAINING.replace("value: 2000", 'value: "2000-5000"')
    folder = write_pack(tmp_path, training_yaml=text)
    expected = problems(folder)
    with override_settings(POLICY_PACK_DIRS=[str(tmp_path)]), pytest.raises(loader.PackError) as exc:
        loader.load("small")
    assert str(exc.value).splitlines() == expected


# ---- a pack on top of a base: relations and clashes ---------------------------------------------------

CHILD = """name: child
jurisdiction: {code: "449903", name: 子城}
base: small
documents: documents.yaml
parameters:
  - training.yaml
"""
CHILD_DOCUMENTS = """C001:
  title: 子城职业培训补贴办法
  issuer: 子城人力资源和社会保障局
  effective_from: 2031-01-01
"""
CHILD_TRAINING = """TRN-PROJECT.cap:
  title: 项目制培训补贴每人每项目上限
  unit: yuan
  versions:
    - value: 1800
      source: {document: C001, clause: 第一条, text: 每个项目每人最高1800元。}
"""


def _child(tmp_path: Path, manifest: str = CHILD, **files: str) -> Path:
    write_pack(tmp_path)
    texts = {"pack_yaml": manifest, "documents_yaml": CHILD_DOCUMENTS, "training_yaml": CHILD_TRAINING}
    texts.update(files)
    return write_pack(tmp_path, "child", **texts)


def test_a_parameter_defined_in_the_base_and_the_pack_without_a_relation_is_refused_naming_both(
    tmp_path: Path,
) -> None:
    found = problems(_child(tmp_path))
    assert len(found) == 1
    assert found[0].startswith(
        "child/training.yaml:1: 参数 TRN-PROJECT.cap 在基础包 small/training.yaml 与 child/training.yaml"
    )


def test_extend_adds_the_packs_versions_after_the_bases(tmp_path: Path) -> None:
    child = _child(tmp_path, CHILD + "relations:\n  TRN-PROJECT.cap: extend\n")
    pack, found = loader.check(child)
    assert found == [] and pack is not None
    versions = pack.parameters["TRN-PROJECT.cap"].versions
    assert [(str(v.value), v.document) for v in versions] == [("2000", "S001"), ("1800", "C001")]
    assert pack.rules == ("TRN-PROJECT",)  # inherited from the base
    assert set(pack.documents) == {"S001", "C001"}


def test_override_replaces_the_bases_versions(tmp_path: Path) -> None:
    pack, found = loader.check(_child(tmp_path, CHILD + "relations:\n  TRN-PROJECT.cap: override\n"))
    assert found == [] and pack is not None
    assert [v.document for v in pack.parameters["TRN-PROJECT.cap"].versions] == ["C001"]


def test_extend_with_versions_overlapping_the_bases_is_refused_naming_both_files(tmp_path: Path) -> None:
    documents = CHILD_DOCUMENTS.replace("2031-01-01", "2029-01-01")
    found = problems(
        _child(tmp_path, CHILD + "relations:\n  TRN-PROJECT.cap: extend\n", documents_yaml=documents)
    )
    assert len(found) == 1
    assert found[0].startswith(
        f"child/training.yaml:{line_of(CHILD_TRAINING, '- value')}: TRN-PROJECT.cap 的版本重叠"
    )
    assert "small/training.yaml" in found[0] and "child/training.yaml" in found[0]


def test_leave_with_the_parameter_defined_again_is_refused(tmp_path: Path) -> None:
    found = problems(_child(tmp_path, CHILD + "relations:\n  TRN-PROJECT.cap: leave\n"))
    assert len(found) == 1 and "声明为 leave" in found[0]


def test_a_relation_for_a_parameter_the_base_lacks_is_refused(tmp_path: Path) -> None:
    manifest = CHILD + "relations:\n  TRN-PROJECT.cap: override\n  TRN-UPSKILL.level5: extend\n"
    found = problems(_child(tmp_path, manifest))
    assert found == [
        f"child/pack.yaml:{line_of(manifest, 'TRN-UPSKILL.level5')}: relations 声明了 TRN-UPSKILL.level5，但基础包没有这个参数"
    ]


def test_a_document_key_defined_again_differently_is_refused(tmp_path: Path) -> None:
    documents = CHILD_DOCUMENTS + DOCUMENTS.replace("小城职业培训补贴办法", "另一份文件")
    found = problems(
        _child(tmp_path, CHILD + "relations:\n  TRN-PROJECT.cap: extend\n", documents_yaml=documents)
    )
    assert found == [
        f"child/documents.yaml:{line_of(documents, 'S001')}: 文件 S001 在基础包 small 的文件清单中已有不同的定义；"
        "同一编号只能定义一次（新文件请用新编号）"
    ]


def test_a_missing_base_is_named(tmp_path: Path) -> None:
    manifest = CHILD.replace("base: small", "base: nowhere")
    folder = write_pack(tmp_path, "child", pack_yaml=manifest, documents_yaml=CHILD_DOCUMENTS)
    found = problems(folder)
    assert found == [f"child/pack.yaml:{line_of(manifest, 'base')}: 找不到基础包“nowhere”"]


def test_targets_are_checked_and_a_target_redefined_differently_is_refused(tmp_path: Path) -> None:
    targets = """T-SMALL:
  title: 每年培训1000人次
  value: 1000
  unit: person_times
  per: year
  effective_from: 2026-01-01
  source: {document: S001, clause: 第一条, text: 每年培训1000人次。}
"""
    write_pack(tmp_path, pack_yaml=MANIFEST + "targets: targets.yaml\n", targets_yaml=targets)
    assert problems(tmp_path / "small") == []
    bad = targets.replace("per: year", "per: month")
    found = problems(
        write_pack(tmp_path, "other", pack_yaml=MANIFEST + "targets: targets.yaml\n", targets_yaml=bad)
    )
    assert len(found) == 1 and found[0].startswith(
        f"other/targets.yaml:{line_of(bad, 'per:')}: “T-SMALL.per”的值"
    )
    child_targets = targets.replace("1000", "2000").replace("S001", "C001")
    family = tmp_path / "family"  # a base and its child side by side, no other pack named small
    family.mkdir()
    write_pack(family, pack_yaml=MANIFEST + "targets: targets.yaml\n", targets_yaml=targets)
    child = write_pack(
        family,
        "child",
        pack_yaml=CHILD + "relations:\n  TRN-PROJECT.cap: extend\ntargets: targets.yaml\n",
        documents_yaml=CHILD_DOCUMENTS,
        training_yaml=CHILD_TRAINING,
        targets_yaml=child_targets,
    )
    assert problems(child) == ["child/targets.yaml:1: 目标 T-SMALL 在基础包 small 中已有不同的定义"]


def test_a_duplicated_document_keeps_its_first_definition(tmp_path: Path) -> None:
    """A broken second copy of S001 is reported once; the first copy stands, so the parameters citing
    S001 are not each reported as citing a document the pack lacks."""
    broken = DOCUMENTS.replace("  title: 小城职业培训补贴办法\n", "")
    text = DOCUMENTS + broken
    found = problems(write_pack(tmp_path, documents_yaml=text))
    assert found == [f"small/documents.yaml:{len(DOCUMENTS.splitlines()) + 1}: 键“S001”重复（第 1 行已有）"]
