"""`skillcity policy export-pack DIR`: the effective documents and parameters as a self-contained pack
that check-pack accepts and that loads back to the same objects."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.test import override_settings

from skillcity.policy import params as P
from skillcity.policy.pack import loader

TEST_PACKS = str(Path(__file__).resolve().parent.parent / "packs")


def test_export_then_load_gives_the_same_documents_and_parameters(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("policy", "export-pack", str(tmp_path / "export"), stdout=out)
    assert "dongguan-export" in out.getvalue()
    exported = loader.load_folder(tmp_path / "export")
    assert exported.parameters == P.parameters()
    assert exported.documents == P.documents()
    assert exported.rules == loader.load().rules
    assert exported.targets == loader.load().targets
    assert exported.base is None  # flattened: it needs no other pack
    manifest = yaml.safe_load((tmp_path / "export" / "pack.yaml").read_text(encoding="utf-8"))
    assert manifest["jurisdiction"] == {"code": "441900", "name": "东莞市"}


def test_check_pack_passes_on_the_export(tmp_path: Path) -> None:
    call_command("policy", "export-pack", str(tmp_path / "export"), stdout=io.StringIO())
    _pack, problems = loader.check(tmp_path / "export")
    assert problems == []
    out = io.StringIO()
    call_command("policy", "check-pack", str(tmp_path / "export"), stdout=out)
    assert "export: 通过" in out.getvalue()


def test_amounts_are_written_as_quoted_decimals_never_floats(tmp_path: Path) -> None:
    call_command("policy", "export-pack", str(tmp_path / "export"), stdout=io.StringIO())
    text = (tmp_path / "export" / "training.yaml").read_text(encoding="utf-8")
    assert "value: '1.3'" in text and "value: '3000'" in text
    assert "&id" not in text  # every value written out, no YAML anchors


@override_settings(POLICY_PACK_DIRS=[TEST_PACKS])
def test_a_named_pack_exports_under_its_own_name(tmp_path: Path) -> None:
    call_command(
        "policy",
        "export-pack",
        str(tmp_path / "city"),
        "--pack",
        "testcity",
        "--name",
        "city2026",
        stdout=io.StringIO(),
    )
    exported = loader.load_folder(tmp_path / "city")
    assert exported.name == "city2026"
    assert exported.parameters == P.parameters("testcity")
    assert exported.documents == P.documents("testcity")
    assert exported.rules == ("TRN-PAYEE", "TRN-PROJECT", "TRN-SUBBASE-COURSE", "TRN-UPSKILL")


def test_export_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("policy", "export-pack", str(tmp_path), stdout=io.StringIO())
    assert exc.value.returncode == 2
    assert (tmp_path / "keep.txt").exists() and not (tmp_path / "pack.yaml").exists()
