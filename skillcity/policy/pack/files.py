"""Reading one pack folder's own files into documents, parameters and targets, every problem by line.

What the folder says on its own; `loader` then puts it on top of its base pack.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import re
from pathlib import Path
from typing import Any

from skillcity.policy import params as P
from skillcity.policy.pack.schema import (
    DocumentEntry,
    Manifest,
    ParameterEntry,
    Problem,
    TargetEntry,
    YamlFile,
    validate,
)

MANIFEST = "pack.yaml"
DOCUMENT_KEY = re.compile(r"^[A-Z][A-Za-z0-9_-]*$")
PARAMETER_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*\.[a-z0-9_]+$")
_RANGE_TEXT = re.compile(r"^\s*\d[\d.,]*\s*万?\s*[-–—~～至到]\s*\d[\d.,]*\s*(?:万元|万|元)?\s*$")
_UNIT_WANTS = {
    "yuan": "一个金额（带引号的小数或整数，≥ 0；不写浮点数）",
    "ratio": "一个比率（带引号的小数或整数，≥ 0；不写浮点数）",
    "count": "一个 ≥ 0 的整数",
    "months": "一个 ≥ 0 的整数（月）",
    "years": "一个 ≥ 0 的整数（年）",
    "percent": "一个 ≥ 0 的整数（百分比）",
    "bool": "true 或 false",
    "list": "一个列表",
    "map": "一个映射（键: 值）",
}


@dataclasses.dataclass
class Placed:
    """A version with the file and line it was written on (clash messages name both files)."""

    version: P.Version
    file: str
    line: int


@dataclasses.dataclass
class FolderContent:
    folder: Path
    manifest: Manifest | None
    manifest_file: YamlFile
    documents: dict[str, P.Document] = dataclasses.field(default_factory=dict)
    document_entries: dict[str, Any] = dataclasses.field(default_factory=dict)  # key -> (file, line)
    documents_file: YamlFile | None = None
    parameters: dict[str, tuple[P.Parameter, list[Placed]]] = dataclasses.field(default_factory=dict)
    parameter_files: dict[str, YamlFile] = dataclasses.field(default_factory=dict)  # parameter -> file
    targets: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    target_lines: dict[str, tuple[str, int]] = dataclasses.field(default_factory=dict)
    files: list[YamlFile] = dataclasses.field(default_factory=list)
    extra_problems: list[Problem] = dataclasses.field(default_factory=list)
    # Parameters written but refused (their problems are reported): not "missing" on top of that.
    refused: set[str] = dataclasses.field(default_factory=set)

    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems] + self.extra_problems


def shown_name(folder: Path, path: Path) -> str:
    return f"{folder.name}/{path.relative_to(folder).as_posix()}"


def read_manifest(folder: Path) -> tuple[Manifest | None, YamlFile]:
    path = folder / MANIFEST
    file = YamlFile(path, shown_name(folder, path))
    if file.problems:
        return None, file
    if not isinstance(file.data, dict):
        file.problem((), "pack.yaml 应为映射（name、jurisdiction、documents、parameters、rules …）")
        return None, file
    manifest = validate(Manifest, file.data, file)
    return manifest if isinstance(manifest, Manifest) else None, file


def read_folder(folder: Path, base_documents: dict[str, P.Document]) -> FolderContent:
    """The folder's own files; `base_documents` are the documents its parameters may also cite."""
    manifest, manifest_file = read_manifest(folder)
    content = FolderContent(folder, manifest, manifest_file, files=[manifest_file])
    if manifest is None:
        return content
    named: set[Path] = {folder / MANIFEST}

    def listed(key: str, index: int | None, relative: str) -> Path | None:
        path = folder / relative
        at = (key,) if index is None else (key, index)
        if path.resolve().parent != folder.resolve() and folder.resolve() not in path.resolve().parents:
            manifest_file.problem(at, f"“{relative}”不在本包文件夹内")
            return None
        if path in named:
            manifest_file.problem(at, f"“{relative}”列出了两次")
            return None
        named.add(path)
        if not path.is_file():
            manifest_file.problem(at, f"列出的文件“{relative}”不存在")
            return None
        return path

    doc_path = listed("documents", None, manifest.documents)
    if doc_path is not None:
        _read_documents(content, doc_path)
    known = {**base_documents, **content.documents}
    for i, relative in enumerate(manifest.parameters):
        path = listed("parameters", i, relative)
        if path is not None:
            _read_parameters(content, path, known)
    if manifest.targets:
        path = listed("targets", None, manifest.targets)
        if path is not None:
            _read_targets(content, path, known)
    # A YAML file in the folder that the manifest does not name would never be read: say so.
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".yaml", ".yml") and path.is_file() and path not in named:
            content.extra_problems.append(
                Problem(
                    shown_name(folder, path),
                    1,
                    "此文件未在 pack.yaml 中列出（documents、parameters 或 targets），不会被读取；"
                    "请在 pack.yaml 中列出或删除它",
                )
            )
    return content


def _read_documents(content: FolderContent, path: Path) -> None:
    file = YamlFile(path, shown_name(content.folder, path))
    content.files.append(file)
    content.documents_file = file
    if file.data is None:
        return
    if not isinstance(file.data, dict):
        file.problem((), "文件清单应为映射：文件编号 → 标题、发文单位、适用期 …")
        return
    for key, entry in file.data.items():
        key = str(key)
        if not DOCUMENT_KEY.match(key):
            file.problem((key,), f"文件编号“{key}”格式不对（如 D002、GD2026-1）")
            continue
        doc = validate(DocumentEntry, entry, file, (key,))
        if not isinstance(doc, DocumentEntry):
            continue
        if doc.effective_to is not None and doc.effective_to < doc.effective_from:
            file.problem((key, "effective_to"), f"文件 {key} 的 effective_to 早于 effective_from")
            continue
        content.documents[key] = P.Document(
            id=key,
            title=doc.title,
            issuer=doc.issuer,
            effective_from=doc.effective_from,
            effective_to=doc.effective_to,
            assumption=doc.assumption,
            number=doc.number or "",
            issued=doc.issued,
        )
        content.document_entries[key] = (file.shown, file.line((key,)))


def _looks_like_range(value: Any) -> bool:
    if isinstance(value, list) and len(value) == 2:
        return True
    if isinstance(value, dict) and set(value) & {"min", "max", "low", "high", "from", "to"}:
        return True
    return isinstance(value, str) and bool(_RANGE_TEXT.match(value))


def _read_parameters(content: FolderContent, path: Path, documents: dict[str, P.Document]) -> None:
    file = YamlFile(path, shown_name(content.folder, path))
    content.files.append(file)
    if file.data is None:
        return
    if not isinstance(file.data, dict):
        file.problem((), "参数文件应为映射：参数名 → title、unit、versions")
        return
    for name, raw in file.data.items():
        name = str(name)
        if not PARAMETER_NAME.match(name):
            file.problem((name,), f"参数名“{name}”格式不对（规则编号.参数，如 TRN-PROJECT.cap）")
            continue
        entry = validate(ParameterEntry, raw, file, (name,))
        if not isinstance(entry, ParameterEntry):
            content.refused.add(name)
            continue
        if name in content.parameters:
            first = content.parameter_files[name]
            file.problem((name,), f"参数 {name} 在 {first.shown} 第 {first.line((name,))} 行已有定义")
            continue
        placed = _versions(name, entry, file, documents)
        if placed is None:
            content.refused.add(name)
            continue
        parameter = P.Parameter(
            name=name,
            title=entry.title,
            unit=entry.unit,
            area=path.stem,
            versions=tuple(p.version for p in placed),
        )
        content.parameters[name] = (parameter, placed)
        content.parameter_files[name] = file


def _versions(
    name: str, entry: ParameterEntry, file: YamlFile, documents: dict[str, P.Document]
) -> list[Placed] | None:
    placed: list[Placed] = []
    ok = True
    for i, v in enumerate(entry.versions):
        at = (name, "versions", i)
        doc = documents.get(v.source.document)
        if doc is None:
            file.problem(
                (*at, "source", "document"),
                f"{name} 第 {i + 1} 个版本引用的文件“{v.source.document}”不在本包或基础包的文件清单中",
            )
            ok = False
            continue
        if _looks_like_range(v.value) and entry.unit not in ("list", "map"):
            file.problem(
                (*at, "value"),
                f"{name} 的值 {v.value!r} 是一个区间，而单位 {entry.unit} 要求{_UNIT_WANTS[entry.unit]}；"
                "区间请写成两个参数（如 …_min 与 …_max）",
            )
            ok = False
            continue
        try:
            value = P.parse_value(v.value, entry.unit, name)
        except P.ParameterFileError:
            file.problem(
                (*at, "value"),
                f"{name} 的值 {v.value!r} 不对：单位 {entry.unit} 要求{_UNIT_WANTS[entry.unit]}",
            )
            ok = False
            continue
        start = v.effective_from or doc.effective_from
        end = v.effective_to if "effective_to" in v.model_fields_set else doc.effective_to
        if end is not None and end < start:
            file.problem(
                (*at, "effective_to"), f"{name} 第 {i + 1} 个版本的 effective_to 早于 effective_from"
            )
            ok = False
            continue
        version = P.Version(
            value=value,
            effective_from=start,
            effective_to=end,
            document=v.source.document,
            clause=v.source.clause,
            text=v.source.text,
            assumption=v.assumption,
            demo_value=v.demo_value,
        )
        placed.append(Placed(version, file.shown, file.line(at)))
    if not ok:
        return None
    placed.sort(key=lambda p: p.version.effective_from)
    problems = check_dates(name, placed, documents)
    for line_file, line, message in problems:
        file.problems.append(Problem(line_file, line, message))
    return None if problems else placed


def _span(v: P.Version) -> str:
    return f"{v.effective_from} 至 {v.effective_to or '长期'}"


def check_dates(
    name: str, placed: list[Placed], documents: dict[str, P.Document]
) -> list[tuple[str, int, str]]:
    """Overlapping versions, and a gap between two versions inside a cited document's validity."""
    problems = []
    for a, b in itertools.pairwise(placed):
        va, vb = a.version, b.version
        if (va.effective_to or P.FAR_FUTURE) >= vb.effective_from:
            if a.file == b.file:
                where = f"（第 {a.line} 行）"
            else:  # a version of the base pack (line 0: its file is named, the line is its own pack's)
                where = f"（{a.file} 第 {a.line} 行）" if a.line else f"（{a.file}）"
            problems.append((b.file, b.line, f"{name} 的版本重叠：{_span(vb)} 与 {_span(va)}{where}重叠"))
            continue
        if va.effective_to is None:
            continue
        gap_start = va.effective_to + datetime.timedelta(days=1)
        gap_end = vb.effective_from - datetime.timedelta(days=1)
        if gap_start > gap_end:
            continue
        for doc_id in dict.fromkeys((va.document, vb.document)):
            doc = documents[doc_id]
            if doc.effective_from <= gap_end and gap_start <= (doc.effective_to or P.FAR_FUTURE):
                problems.append(
                    (
                        b.file,
                        b.line,
                        f"{name} 在 {gap_start} 至 {gap_end} 没有版本，但这段时间在文件 {doc_id} 的适用期"
                        f"（{doc.effective_from} 至 {doc.effective_to or '长期'}）之内",
                    )
                )
                break
    return problems


def _read_targets(content: FolderContent, path: Path, documents: dict[str, P.Document]) -> None:
    file = YamlFile(path, shown_name(content.folder, path))
    content.files.append(file)
    if file.data is None:
        return
    if not isinstance(file.data, dict):
        file.problem((), "目标文件应为映射：目标编号 → title、value、unit、source …")
        return
    for key, raw in file.data.items():
        key = str(key)
        target = validate(TargetEntry, raw, file, (key,))
        if not isinstance(target, TargetEntry):
            continue
        if target.source.document not in documents:
            file.problem(
                (key, "source", "document"), f"目标 {key} 引用的文件“{target.source.document}”不在文件清单中"
            )
            continue
        content.targets[key] = target.model_dump()
        content.target_lines[key] = (file.shown, file.line((key,)))
