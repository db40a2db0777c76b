"""Policy packs: finding them, loading one on top of its base, and refusing every clash.

A pack is a folder with a `pack.yaml` manifest (docs/policy-engine.md §"Policy packs"). Packs are found
in the shipped folder `skillcity/policy/packs/` and in the folders of the setting `POLICY_PACK_DIRS`
(env SKILLCITY_POLICY_PACK_DIRS), so another city brings its pack without a fork. The setting
`POLICY_PACK` (env SKILLCITY_POLICY_PACK, default `dongguan`) selects the active one.

Loading is the same validation as `skillcity policy check-pack`: a bad pack fails with the same
`file:line: problem` messages, never half-loaded.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from skillcity.core.errors import DomainError
from skillcity.policy import params as P
from skillcity.policy.pack.files import MANIFEST, Placed, check_dates, read_folder, read_manifest
from skillcity.policy.pack.schema import Problem

SHIPPED = Path(__file__).resolve().parent.parent / "packs"
DEFAULT_PACK = "dongguan"


class PackError(ValueError):
    """A pack that cannot be used: every problem, one `file:line: problem` a line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class UnknownPack(DomainError):
    status = 422

    def __init__(self, name: Any):
        known = "、".join(sorted(discover())) or "无"
        super().__init__(
            "unknown_pack",
            f"未知的政策包“{name}”；可用的政策包：{known}（skillcity policy packs）",
            {"pack": f"“{name}”不是已知的政策包"},
        )


@dataclasses.dataclass(frozen=True)
class LoadedPack:
    name: str
    title: str
    jurisdiction: dict[str, str]
    base: str | None
    folder: Path
    documents: dict[str, P.Document]
    parameters: dict[str, P.Parameter]
    targets: dict[str, dict[str, Any]]
    rules: tuple[str, ...]  # every rule enabled, its base's included
    # The file each parameter's latest definition is in (`dongguan/training.yaml`), for clash messages.
    origins: dict[str, str] = dataclasses.field(default_factory=dict, compare=False)

    def summary(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "jurisdiction": dict(self.jurisdiction),
            "base": self.base,
            "documents": len(self.documents),
            "parameters": len(self.parameters),
            "targets": len(self.targets),
            "rules": len(self.rules),
        }


def _settings(name: str, default: Any) -> Any:
    try:
        from django.conf import settings

        return getattr(settings, name, default)
    except Exception:  # settings not configured (a script without Django): the environment decides
        return default


def active_name() -> str:
    return str(_settings("POLICY_PACK", os.environ.get("SKILLCITY_POLICY_PACK") or DEFAULT_PACK))


def pack_dirs() -> tuple[str, ...]:
    extra = _settings("POLICY_PACK_DIRS", None)
    if extra is None:
        extra = [d for d in os.environ.get("SKILLCITY_POLICY_PACK_DIRS", "").split(",") if d.strip()]
    return (str(SHIPPED), *(str(Path(d).expanduser()) for d in extra))


def discover(dirs: tuple[str, ...] | None = None) -> dict[str, Path]:
    """Every pack by name: each sub-folder with a pack.yaml; two packs of one name are refused."""
    return dict(_discover(dirs or pack_dirs()))


@functools.cache
def _discover(dirs: tuple[str, ...]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for root in dirs:
        base = Path(root)
        if not base.is_dir():
            continue
        for folder in sorted(p for p in base.iterdir() if (p / MANIFEST).is_file()):
            manifest, _file = read_manifest(folder)
            name = manifest.name if manifest is not None else folder.name
            if name in found and found[name].resolve() != folder.resolve():
                raise PackError(
                    [Problem(f"{folder.name}/{MANIFEST}", 1, f"政策包“{name}”已由 {found[name]} 定义")]
                )
            found[name] = folder.resolve()
    return found


def check(folder: Path, dirs: tuple[str, ...] | None = None) -> tuple[LoadedPack | None, list[Problem]]:
    """Load the pack in `folder` (and its bases) and every problem found; what check-pack prints."""
    return _build(folder.resolve(), dirs or pack_dirs(), ())


@functools.cache
def _load_folder(folder: str, dirs: tuple[str, ...]) -> LoadedPack:
    pack, problems = _build(Path(folder), dirs, ())
    if problems or pack is None:
        raise PackError(problems)
    return pack


def load_folder(folder: Path) -> LoadedPack:
    return _load_folder(str(folder.resolve()), pack_dirs())


def load(name: str | None = None) -> LoadedPack:
    """The pack named (None: the active one), loaded once per name and pack folders."""
    name = active_name() if name is None else name
    if not isinstance(name, str):
        raise UnknownPack(name)
    return _load_named(name, pack_dirs())


@functools.cache
def _load_named(name: str, dirs: tuple[str, ...]) -> LoadedPack:
    packs = _discover(dirs)
    if name not in packs:
        raise UnknownPack(name)
    return _load_folder(str(packs[name]), dirs)


def clear_cache() -> None:
    """Forget every pack read (a test that rewrites a pack folder in place)."""
    _discover.cache_clear()
    _load_named.cache_clear()
    _load_folder.cache_clear()


def _find_base(name: str, folder: Path, dirs: tuple[str, ...]) -> Path | None:
    # A sibling folder first (a pack and its base side by side, as check-pack is given them), then the
    # pack folders.
    for root in (str(folder.parent), *dirs):
        try:
            found = _discover((root,))
        except PackError:
            continue
        if name in found:
            return found[name].resolve()
    return None


def _build(
    folder: Path, dirs: tuple[str, ...], stack: tuple[Path, ...]
) -> tuple[LoadedPack | None, list[Problem]]:
    manifest, manifest_file = read_manifest(folder)
    if manifest is None:
        return None, manifest_file.problems
    problems: list[Problem] = []
    base: LoadedPack | None = None
    if manifest.base:
        base_folder = _find_base(manifest.base, folder, dirs)
        at = manifest_file.line(("base",))
        # Without its base every citation of the base's documents would fail too: this one problem says it.
        if base_folder is None:
            return None, [Problem(manifest_file.shown, at, f"找不到基础包“{manifest.base}”")]
        if base_folder in (*stack, folder):
            return None, [Problem(manifest_file.shown, at, "基础包循环引用")]
        base, base_problems = _build(base_folder, dirs, (*stack, folder))
        if base is None:  # the base's own problems first: this pack's would only echo them
            return None, base_problems
    base_documents = dict(base.documents) if base else {}
    content = read_folder(folder, base_documents)
    problems += content.problems()
    mf = content.manifest_file
    documents = dict(base_documents)
    for key, doc in content.documents.items():
        if key in documents and documents[key] != doc:
            shown, line = content.document_entries[key]
            problems.append(
                Problem(
                    shown,
                    line,
                    f"文件 {key} 在基础包 {base.name if base else ''} 的文件清单中已有不同的定义；"
                    "同一编号只能定义一次（新文件请用新编号）",
                )
            )
        documents[key] = doc
    for key in content.targets:
        if base and key in base.targets and base.targets[key] != content.targets[key]:
            shown, line = content.target_lines[key]
            problems.append(Problem(shown, line, f"目标 {key} 在基础包 {base.name} 中已有不同的定义"))
    parameters = _merge(content, base, manifest.relations, documents, problems)
    origins = {**(base.origins if base else {}), **{n: f.shown for n, f in content.parameter_files.items()}}
    known = set(parameters) | content.refused
    rules = _rules(manifest.rules, base, manifest.inherit_rules, known, mf, problems)
    if problems:
        return None, problems
    return (
        LoadedPack(
            name=manifest.name,
            title=manifest.title or manifest.jurisdiction.name,
            jurisdiction=manifest.jurisdiction.model_dump(),
            base=manifest.base,
            folder=folder,
            documents=documents,
            parameters=parameters,
            targets={**(base.targets if base else {}), **content.targets},
            rules=rules,
            origins=origins,
        ),
        [],
    )


def _merge(
    content: Any,
    base: LoadedPack | None,
    relations: Mapping[str, str],
    documents: dict[str, P.Document],
    problems: list[Problem],
) -> dict[str, P.Parameter]:
    """The base's parameters with this pack's on top, by the relation the manifest declares for each."""
    mf = content.manifest_file
    inherited = dict(base.parameters) if base else {}
    base_files = dict(base.origins) if base else {}
    result = dict(inherited)
    for name, relation in relations.items():
        at = mf.line(("relations", name))
        if name not in inherited:
            problems.append(Problem(mf.shown, at, f"relations 声明了 {name}，但基础包没有这个参数"))
        elif relation in ("override", "extend") and name not in content.parameters:
            problems.append(
                Problem(mf.shown, at, f"relations 声明 {name} 为 {relation}，但本包的参数文件没有定义它")
            )
    for name, (parameter, placed) in content.parameters.items():
        file = content.parameter_files[name]
        line = file.line((name,))
        if name not in inherited:
            result[name] = parameter
            continue
        declared = relations.get(name)
        theirs = base_files.get(name, base.name if base else "")
        if declared is None:
            problems.append(
                Problem(
                    file.shown,
                    line,
                    f"参数 {name} 在基础包 {theirs} 与 {file.shown} 中都有定义，但 pack.yaml 的 relations "
                    "没有声明 override（替换）、extend（追加版本）或 leave（沿用基础包）",
                )
            )
        elif declared == "leave":
            problems.append(
                Problem(
                    file.shown,
                    line,
                    f"参数 {name} 在 pack.yaml 中声明为 leave（沿用 {theirs}），本包却又定义了它",
                )
            )
        elif inherited[name].unit != parameter.unit:
            problems.append(
                Problem(
                    file.shown,
                    line,
                    f"参数 {name} 的单位 {parameter.unit} 与基础包 {theirs} 的 {inherited[name].unit} 不同",
                )
            )
        elif declared == "override":
            result[name] = parameter
        else:  # extend: the base's versions and this pack's, which must not overlap or leave a gap
            merged = [Placed(v, theirs, 0) for v in inherited[name].versions] + placed
            merged.sort(key=lambda p: p.version.effective_from)
            clashes = check_dates(name, merged, documents)
            for _file, clash_line, message in clashes:
                problems.append(
                    Problem(
                        file.shown,
                        clash_line or line,
                        f"{message}；合并基础包 {theirs} 与 {file.shown} 后出现",
                    )
                )
            if not clashes:
                result[name] = dataclasses.replace(parameter, versions=tuple(p.version for p in merged))
    return result


def _rules(
    own: list[str],
    base: LoadedPack | None,
    inherit: bool,
    parameters: set[str],
    mf: Any,
    problems: list[Problem],
) -> tuple[str, ...]:
    from skillcity.policy.engine import load_rules

    library = load_rules()
    enabled: dict[str, int] = {}
    if base and inherit:
        enabled.update({r: mf.line(("base",)) for r in base.rules})
    seen: set[str] = set()
    for i, rule_id in enumerate(own):
        line = mf.line(("rules", i))
        if rule_id in seen:
            problems.append(Problem(mf.shown, line, f"规则 {rule_id} 列出了两次"))
        seen.add(rule_id)
        if rule_id not in library:
            problems.append(
                Problem(mf.shown, line, f"规则 {rule_id} 不在共享规则库中（skillcity policy list）")
            )
            continue
        enabled[rule_id] = line
    for rule_id, line in enabled.items():
        missing = [n for n in library[rule_id].parameter_names() if n not in parameters]
        if missing:
            problems.append(
                Problem(
                    mf.shown,
                    line,
                    f"规则 {rule_id} 已启用，但本包及其基础包没有它的参数：{'、'.join(missing)}",
                )
            )
    return tuple(sorted(enabled))
