"""requirements.lock pins what pyproject.toml asks for, every pin with its hashes (`dev.py lock`)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
# One pinned requirement: the name==version line, its marker, and the --hash lines that follow.
PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>\S+)(?: ; (?P<marker>[^\\]+?))? \\\n(?P<hashes>(?:    --hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)",
    re.M,
)


def _pins() -> dict[str, list[re.Match[str]]]:
    pins: dict[str, list[re.Match[str]]] = {}
    for match in PIN.finditer((ROOT / "requirements.lock").read_text(encoding="utf-8")):
        pins.setdefault(canonicalize_name(match["name"]), []).append(match)
    return pins


def _wanted() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    names = [
        *project["project"]["dependencies"],
        *project["project"]["optional-dependencies"]["dev"],
        *project["build-system"]["requires"],
    ]
    return [Requirement(name) for name in names]


def test_every_dependency_in_pyproject_is_pinned_in_the_lock_within_its_range():
    pins = _pins()
    problems = []
    for requirement in _wanted():
        found = pins.get(canonicalize_name(requirement.name), [])
        if not found:
            problems.append(f"{requirement.name}: not in requirements.lock")
        for pin in found:
            if not requirement.specifier.contains(pin["version"], prereleases=True):
                problems.append(f"{requirement.name}=={pin['version']}: outside {requirement.specifier}")
        for extra in requirement.extras:  # psycopg[binary] brings psycopg-binary
            if extra == "binary" and canonicalize_name(f"{requirement.name}-binary") not in pins:
                problems.append(f"{requirement.name}[{extra}]: the extra's package is not pinned")
    assert not problems, "run `python3 dev.py lock` and review the change:\n" + "\n".join(problems)


def test_every_pin_in_the_lock_carries_hashes():
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pinned = [line for line in text.splitlines() if re.match(r"^[A-Za-z0-9._-]+==", line)]
    assert pinned and len(pinned) == sum(len(v) for v in _pins().values())
    assert "python3 dev.py lock" in text  # made by the one command the docs give


def test_openfisca_is_a_bench_extra_only_never_a_platform_or_dev_dependency():
    """bench/policy.py's OpenFisca half installs into a separate venv (D-27); CI and .venv never get it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {canonicalize_name(Requirement(r).name) for r in project["dependencies"]}
    names |= {canonicalize_name(Requirement(r).name) for r in project["optional-dependencies"]["dev"]}
    bench = [Requirement(r) for r in project["optional-dependencies"]["bench"]]
    assert [canonicalize_name(r.name) for r in bench] == ["openfisca-core"]
    assert str(bench[0].specifier).startswith("==")  # pinned: the figures in bench/RESULTS.md name it
    assert "openfisca-core" not in names
    assert "openfisca-core" not in _pins()
