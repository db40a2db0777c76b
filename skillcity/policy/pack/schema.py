"""The schema of a policy pack's files, and where in a YAML file each value sits.

The schema is pydantic models (extra keys forbidden, strict types): pydantic already ships with the
platform (django-ninja), and its errors carry the path of the bad value, which `YamlFile.line` turns
into the line of the YAML node (docs/decisions.md D-29 "Policy packs").
"""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

UNITS = ("yuan", "ratio", "count", "months", "years", "percent", "bool", "list", "map")
RELATIONS = ("override", "extend", "leave")
PackPath = tuple[str | int, ...]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Jurisdiction(_Strict):
    code: str = Field(pattern=r"^\d{6}$")  # GB/T 2260 administrative division code
    name: str = Field(min_length=1)


class Manifest(_Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    title: str | None = None
    jurisdiction: Jurisdiction
    base: str | None = None
    documents: str = "documents.yaml"
    parameters: list[str] = []
    targets: str | None = None
    # Rules this pack enables from the shared rule library; with `inherit_rules` (the default) also
    # every rule its base enables.
    rules: list[str] = []
    inherit_rules: bool = True
    # Per base parameter this pack also names: override (its versions replace the base's), extend (its
    # versions are added to the base's), leave (the base's stand; the pack must not define it).
    relations: dict[str, Literal["override", "extend", "leave"]] = {}


class DocumentEntry(_Strict):
    title: str = Field(min_length=1)
    number: str | None = None  # 文号
    issuer: str = ""
    issued: datetime.date | None = None
    effective_from: datetime.date
    effective_to: datetime.date | None = None
    assumption: str | None = None


class Source(_Strict):
    document: str = Field(min_length=1)
    clause: str = Field(min_length=1)
    text: str = ""


class VersionEntry(_Strict):
    value: Any
    effective_from: datetime.date | None = None
    effective_to: datetime.date | None = None
    source: Source
    assumption: str | None = None
    demo_value: bool = False


class ParameterEntry(_Strict):
    title: str = Field(min_length=1)
    unit: Literal[UNITS] = "yuan"  # type: ignore[valid-type]
    versions: list[VersionEntry] = Field(min_length=1)


class TargetEntry(_Strict):
    title: str = Field(min_length=1)
    value: int | str
    unit: str = Field(min_length=1)
    per: Literal["year", "period"] = "period"
    effective_from: datetime.date
    effective_to: datetime.date | None = None
    source: Source


@dataclasses.dataclass(frozen=True)
class Problem:
    """One problem of a pack file, printed as `file:line: problem`."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class _FirstKeyLoader(yaml.SafeLoader):
    """SafeLoader keeping the first of two equal keys of a mapping (PyYAML keeps the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen: set[Any] = set()
            kept = []
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                if isinstance(key, list | dict):
                    kept.append((key_node, value_node))  # unhashable: the constructor refuses it
                elif key not in seen:
                    seen.add(key)
                    kept.append((key_node, value_node))
            node.value = kept
        return super().construct_mapping(node, deep=deep)


class YamlFile:
    """A YAML file read once: its data, and the line of every key and value by its path."""

    def __init__(self, path: Path, shown: str):
        self.path = path
        self.shown = shown  # the name problems use: `<pack folder>/<file>`
        self.lines: dict[PackPath, int] = {}
        self.problems: list[Problem] = []
        self.data: Any = None
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            self.problems.append(Problem(shown, 1, "无法读取（文件不存在或不是 UTF-8 文本）"))
            return
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            # Of a key written twice the first definition is kept (the duplicate is reported in `_walk`), so
            # a broken second copy does not drop the key and flood the report with its dangling references.
            self.data = yaml.load(text, Loader=_FirstKeyLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 1
            self.problems.append(Problem(shown, line, f"不是有效的 YAML（{getattr(exc, 'problem', exc)}）"))
            return
        if node is not None:
            self._walk(node, ())

    def _walk(self, node: yaml.Node, path: PackPath) -> None:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key, value in node.value:
                name = key.value
                line = key.start_mark.line + 1
                if name in seen:
                    # PyYAML keeps the last of two equal keys without a word: never silently.
                    self.problems.append(
                        Problem(self.shown, line, f"键“{name}”重复（第 {seen[name]} 行已有）")
                    )
                seen[name] = line
                self.lines[(*path, name)] = line
                self._walk(value, (*path, name))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._walk(item, (*path, i))

    def line(self, path: PackPath) -> int:
        """The line of the deepest node of `path` the file has (the key, for a mapping entry)."""
        for end in range(len(path), -1, -1):
            key = tuple(path[:end])
            if key in self.lines:
                return self.lines[key]
        return 1

    def problem(self, path: PackPath, message: str) -> Problem:
        found = Problem(self.shown, self.line(path), message)
        self.problems.append(found)
        return found


_TYPE_WORDS = {
    "string_type": "应为文本",
    "int_type": "应为整数",
    "bool_type": "应为 true 或 false",
    "date_type": "应为日期 YYYY-MM-DD",
    "list_type": "应为列表",
    "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）",
    "string_pattern_mismatch": "格式不对",
    "string_too_short": "不能为空",
    "too_short": "至少要有一项",
}


def _dotted(loc: PackPath) -> str:
    return ".".join(str(p) for p in loc if not isinstance(p, int)) or "（整个文件）"


def validate(model: type[BaseModel], data: Any, file: YamlFile, prefix: PackPath = ()) -> BaseModel | None:
    """The entry as `model`, or None with every problem of it recorded on `file`."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            path = (*prefix, *loc)
            loc = path  # messages name the entry too: `TRN-PROJECT.cap.versions.source.clause`
            kind = error["type"]
            key = str(loc[-1]) if loc else ""
            if kind == "extra_forbidden":
                message = f"未知的键“{key}”"
            elif kind == "missing" and ("source" in loc or key == "source"):
                message = (
                    f"缺少引用：{_dotted(loc)}（每个版本须注明 source.document 文件与 source.clause 条款）"
                )
            elif kind == "missing":
                message = f"缺少必填项“{_dotted(loc)}”"
            elif kind == "literal_error":
                expected = error.get("ctx", {}).get("expected", "")
                message = f"“{_dotted(loc)}”的值 {error.get('input')!r} 不在可选值之内（{expected}）"
            elif kind == "string_too_short" and "source" in loc:
                message = f"缺少引用：{_dotted(loc)} 为空"
            else:
                word = _TYPE_WORDS.get(kind, error["msg"])
                message = f"“{_dotted(loc)}”{word}（现为 {error.get('input')!r}）"
            file.problem(path, message)
        return None
