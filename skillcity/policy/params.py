"""Policy parameters: dated values read from a policy pack's YAML, each with its source clause and marks.

A parameter (`TRN-PROJECT.cap`) has versions; a version applies to events dated within
[effective_from, effective_to]. A version that gives no dates takes its document's (the pack's
documents.yaml). Changing an amount or adding a successor policy is a data change: a new version in the
YAML. The packs (skillcity/policy/packs/, docs/policy-engine.md) are read by skillcity.policy.pack.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from skillcity.policy import published

FAR_PAST = datetime.date(1900, 1, 1)
FAR_FUTURE = datetime.date(9999, 12, 31)


class ParameterFileError(ValueError):
    """A parameter file that does not say what it must; the message names the file and the entry."""


@dataclasses.dataclass(frozen=True)
class Document:
    id: str
    title: str
    issuer: str
    effective_from: datetime.date
    effective_to: datetime.date | None
    assumption: str | None
    number: str = ""  # 文号, where the document has one
    issued: datetime.date | None = None


@dataclasses.dataclass(frozen=True)
class Version:
    value: Any  # Decimal for amounts and ratios, int for counts, str/list for lookups, bool for switches
    effective_from: datetime.date
    effective_to: datetime.date | None
    document: str
    clause: str
    text: str
    assumption: str | None = None
    demo_value: bool = False
    simulated: bool = False

    def applies_on(self, date: datetime.date) -> bool:
        return self.effective_from <= date <= (self.effective_to or FAR_FUTURE)

    def marks(self, documents: Mapping[str, Document]) -> list[str]:
        """Every assumption or demo-value mark a person must see next to this value."""
        marks: list[str] = []
        doc = documents.get(self.document)
        if doc and doc.assumption:
            marks.append(doc.assumption)
        if self.assumption:
            marks.append(self.assumption)
        if self.demo_value:
            marks.append("演示值：文件未规定具体数额")
        if self.simulated:
            marks.append("模拟值：测算时临时替换的参数（what-if）")
        return marks


@dataclasses.dataclass(frozen=True)
class Parameter:
    name: str
    title: str
    unit: str
    area: str
    versions: tuple[Version, ...]

    def version_on(self, date: datetime.date) -> Version | None:
        for version in self.versions:
            if version.applies_on(date):
                return version
        return None


def _date(value: Any, where: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ParameterFileError(f"{where}: {exc}") from None


RANGE_SHAPE = re.compile(r"^\s*\d+(?:\.\d+)?\s*(?:-|~|～|—|–|至|到)\s*\d+(?:\.\d+)?\s*$")


def is_range(value: Any) -> bool:
    """A range written where one number is expected: "1000-3000", "1000至3000", [1000, 3000],
    {min: 1000, max: 3000}. Ranges are two parameters (`….min` and `….max`), never one value."""
    if isinstance(value, str):
        return bool(RANGE_SHAPE.match(value))
    if isinstance(value, list | tuple):
        return len(value) == 2 and all(isinstance(x, int | str) and not isinstance(x, bool) for x in value)
    if isinstance(value, dict):
        return {"min", "max"} <= set(value) or {"low", "high"} <= set(value)
    return False


def parse_value(value: Any, unit: str, where: str) -> Any:
    """Amounts and ratios become Decimal (written as strings or integers in YAML, never floats)."""
    if unit not in ("list", "map") and is_range(value):
        raise ParameterFileError(
            f"{where}: {value!r} is a range; this parameter takes one value (a range is two parameters, min and max)"
        )
    if unit in ("yuan", "ratio"):
        if isinstance(value, bool | float):
            raise ParameterFileError(f"{where}: write {unit} values as a quoted decimal or an integer")
        try:
            result = Decimal(str(value))
        except InvalidOperation:
            raise ParameterFileError(f"{where}: {value!r} is not a decimal number") from None
        if not result.is_finite() or result < 0:
            raise ParameterFileError(f"{where}: {value!r} must be a finite number ≥ 0")
        return result
    if unit in ("count", "months", "years", "percent"):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ParameterFileError(f"{where}: {value!r} must be a whole number ≥ 0")
        return value
    if unit == "bool":
        if not isinstance(value, bool):
            raise ParameterFileError(f"{where}: {value!r} must be true or false")
        return value
    if unit == "list":
        if not isinstance(value, list):
            raise ParameterFileError(f"{where}: {value!r} must be a list")
        return tuple(value)
    if unit == "map":
        if not isinstance(value, dict):
            raise ParameterFileError(f"{where}: {value!r} must be a mapping")
        return dict(value)
    raise ParameterFileError(f"{where}: unknown unit {unit!r}")


def load_documents(pack: str | None = None) -> dict[str, Document]:
    """The pack's own documents as its files hold them (base's included), without the bureau's overlay."""
    from skillcity.policy.pack import loader

    return loader.load(pack).documents


@published.overlay_documents  # the bureau's published documents (skillcity/policy/published.py)
def documents(pack: str | None = None) -> dict[str, Document]:
    """Every source document of the pack (None: the active pack, setting POLICY_PACK), its base's included,
    with the documents the bureau registered laid over the active pack."""
    return load_documents(pack)


@published.overlay_parameters  # the bureau's published versions (skillcity/policy/published.py)
def parameters(pack: str | None = None) -> dict[str, Parameter]:
    """Every parameter of the pack (None: the active pack), by name, after its base's merged in, with the
    versions the bureau published laid over the active pack.

    The one accessor everything reads parameters through (engine, batch, pages, grants, settlement):
    the pack's files are read and checked once per pack (skillcity.policy.pack.loader caches them).
    """
    from skillcity.policy.pack import loader

    return loader.load(pack).parameters


def with_overrides(base: Mapping[str, Parameter], overrides: Mapping[str, Any]) -> dict[str, Parameter]:
    """A what-if parameter set: each overridden parameter gets the new value in every version,
    keeping its dates and sources, marked as simulated."""
    result = dict(base)
    for name, raw in overrides.items():
        if name not in base:
            raise KeyError(name)
        parameter = base[name]
        value = parse_value(raw, parameter.unit, f"--set {name}")
        result[name] = dataclasses.replace(
            parameter,
            versions=tuple(dataclasses.replace(v, value=value, simulated=True) for v in parameter.versions),
        )
    return result
