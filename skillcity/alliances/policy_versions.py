"""Which policy document governs an alliance's half-year report (data: data/policy_versions.yaml).

D000 was in force from 2019-07-10 to 2021-12-31; the platform keeps running for later periods and
says so on every report and download, naming the successor recorded as data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from django.utils.translation import gettext

from skillcity.core.periods import HalfYear

VERSIONS_FILE = Path(__file__).resolve().parent / "data" / "policy_versions.yaml"
ORIGINAL_ID = "D000"


@dataclass(frozen=True)
class PolicyVersion:
    id: str
    title: str
    reference: str
    effective_from: datetime.date
    effective_to: datetime.date | None
    source: str
    assumption: bool

    def in_force_on(self, day: datetime.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


def _date(value: object, where: str) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{VERSIONS_FILE.name}: {where} is not a date: {value!r}") from None


def load_versions(path: Path = VERSIONS_FILE) -> list[PolicyVersion]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except ValueError as exc:  # YAML parses dates itself; an impossible one fails here
        raise ValueError(f"{path.name}: {exc}") from None
    versions = []
    for i, entry in enumerate(raw):
        start = _date(entry.get("effective_from"), f"entry {i} effective_from")
        if start is None:
            raise ValueError(f"{path.name}: entry {i} has no effective_from")
        versions.append(
            PolicyVersion(
                id=str(entry["id"]),
                title=str(entry["title"]),
                reference=str(entry.get("reference") or ""),
                effective_from=start,
                effective_to=_date(entry.get("effective_to"), f"entry {i} effective_to"),
                source=str(entry.get("source") or ""),
                assumption=bool(entry.get("assumption", False)),
            )
        )
    return sorted(versions, key=lambda v: v.effective_from)


@lru_cache(maxsize=1)
def _versions() -> tuple[PolicyVersion, ...]:
    return tuple(load_versions())


def version_for_period(period: HalfYear) -> PolicyVersion | None:
    """The version in force on the last day of the half year (2019H2 is D000's first period)."""
    for version in reversed(_versions()):
        if version.in_force_on(period.end):
            return version
    return None


def version_by_id(version_id: str) -> PolicyVersion | None:
    return next((v for v in _versions() if v.id == version_id), None)


def label_for_period(period: HalfYear, version_id: str = "") -> str:
    """The sentence shown on a report: D000 itself, or D000's expiry and the successor this period follows.

    In the active language: the sentences and the versions' titles are msgids of the message catalog."""
    version = version_by_id(version_id) if version_id else version_for_period(period)
    original = version_by_id(ORIGINAL_ID)
    if version is None:
        return gettext("%(period)s 无在施的职业培训联盟政策版本") % {"period": period}
    if version.id == ORIGINAL_ID or original is None or original.effective_to is None:
        return gettext("本期适用 %(id)s《%(title)s》") % {"id": version.id, "title": gettext(version.title)}
    return gettext("%(original)s 已于%(ended)s失效；本期按 %(title)s 执行") % {
        "original": ORIGINAL_ID,
        "ended": original.effective_to.isoformat(),
        "title": gettext(version.title),
    }
