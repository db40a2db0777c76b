"""`skillcity policy export-pack DIR`: the effective documents and parameters as a pack folder.

What params.documents() and params.parameters() return for the pack (its base merged in, and whatever
is laid over the files there) is written flattened: a self-contained pack with no base, every version
with its dates written out, one parameter file per area. `check-pack` accepts it and loading it gives
the same documents and parameters (docs/policy-engine.md §"Export").
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from skillcity.policy import params as P
from skillcity.policy.pack import loader


class _Dumper(yaml.SafeDumper):
    """Block style, Chinese as written, keys in the order given, no anchors (a reviewer reads each value)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    # Amounts are written quoted: a YAML float would lose the exact fen (params.parse_value refuses them).
    return dumper.represent_str(str(value))


_Dumper.add_representer(Decimal, _decimal)


def _dump(path: Path, header: str, data: Any) -> None:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(f"# {header}\n{text}", encoding="utf-8")


def _value(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return value


def _document(doc: P.Document) -> dict[str, Any]:
    entry: dict[str, Any] = {"title": doc.title}
    if doc.number:
        entry["number"] = doc.number
    entry["issuer"] = doc.issuer
    if doc.issued:
        entry["issued"] = doc.issued
    entry["effective_from"] = doc.effective_from
    entry["effective_to"] = doc.effective_to
    if doc.assumption:
        entry["assumption"] = doc.assumption
    return entry


def _version(v: P.Version) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "value": _value(v.value),
        "effective_from": v.effective_from,
        "effective_to": v.effective_to,
    }
    if v.assumption:
        entry["assumption"] = v.assumption
    if v.demo_value:
        entry["demo_value"] = True
    entry["source"] = {"document": v.document, "clause": v.clause, "text": v.text}
    return entry


def export_pack(folder: Path, *, pack: str | None = None, name: str | None = None) -> dict[str, Any]:
    """Write the pack's effective documents and parameters to `folder` (created; must be empty)."""
    source = loader.load(pack)
    documents = P.documents(pack)
    parameters = P.parameters(pack)
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise FileExistsError(f"{folder} 不是空文件夹")
    by_area: dict[str, dict[str, Any]] = defaultdict(dict)
    for pname, parameter in sorted(parameters.items()):
        by_area[parameter.area][pname] = {
            "title": parameter.title,
            "unit": parameter.unit,
            "versions": [_version(v) for v in parameter.versions],
        }
    today = datetime.date.today().isoformat()
    origin = f"导出自政策包 {source.name}（{today}）"
    _dump(
        folder / "documents.yaml",
        f"{origin}：各依据文件及其适用期。",
        {key: _document(doc) for key, doc in sorted(documents.items())},
    )
    files = []
    for area, entries in sorted(by_area.items()):
        _dump(folder / f"{area}.yaml", f"{origin}：{area} 参数，每个版本写明起止日期与出处。", entries)
        files.append(f"{area}.yaml")
    manifest: dict[str, Any] = {
        "name": name or f"{source.name}-export",
        "title": source.title,
        "jurisdiction": dict(source.jurisdiction),
        "documents": "documents.yaml",
        "parameters": files,
    }
    if source.targets:
        _dump(folder / "targets.yaml", f"{origin}：目标。", dict(sorted(source.targets.items())))
        manifest["targets"] = "targets.yaml"
    manifest["rules"] = list(source.rules)
    _dump(folder / "pack.yaml", f"{origin}；已展开基础包，不再依赖其他政策包。", manifest)
    return {
        "name": manifest["name"],
        "documents": len(documents),
        "parameters": len(parameters),
        "files": files,
    }
