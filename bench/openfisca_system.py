"""TRN-PROJECT and TRN-UPSKILL written as an OpenFisca tax-benefit system, for bench/policy only.

OpenFisca is a benchmark-only tool here (decision D-27): it is never a dependency of the platform, and
nothing outside bench/ imports this module. Install it into a separate virtual environment:

    python3 -m venv .venv-bench
    .venv-bench/bin/pip install --require-hashes -r requirements.lock
    .venv-bench/bin/pip install --no-deps --no-build-isolation -e .
    .venv-bench/bin/pip install -e '.[bench]'

The system is the two rules as SkillCity computes them (skillcity/policy/rules/training.py):

- TRN-PROJECT: a completed trainee's project standard, capped at `TRN-PROJECT.cap`; nothing otherwise.
- TRN-UPSKILL: a base amount by certificate kind (and level for skill-level certificates); for a
  skill-level certificate of level ≤ `shortage_max_level` in the shortage catalogue, the base × the
  `shortage_uplift` ratio, rounded to the fen.

Its parameters are not copied by hand: `build_system` turns SkillCity's own parameter set (every dated
version of the parameters the two rules read) into an OpenFisca `ParameterNode`, a version's end
becoming a null value from the next day, as in OpenFisca's YAML. Amounts are yuan as floats (OpenFisca's
`float` variables are float32), which is OpenFisca's way; SkillCity's are integer fen.

OpenFisca evaluates a variable for one period per simulation: a formula reads `parameters(period)`,
the parameters at the period's first day. Cases dated over several years are therefore evaluated as
one simulation per period (see `period_unit` for the grain and `evaluate_by_period`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import numpy as np
from openfisca_core.entities import build_entity
from openfisca_core.indexed_enums import Enum
from openfisca_core.model_api import DAY, MONTH, YEAR, Variable, min_, round_, select, where
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import DateUnit
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

PROJECT_PARAMETERS = ("TRN-PROJECT.cap",)
UPSKILL_PARAMETERS = (
    "TRN-UPSKILL.level1",
    "TRN-UPSKILL.level2",
    "TRN-UPSKILL.level3",
    "TRN-UPSKILL.level4",
    "TRN-UPSKILL.level5",
    "TRN-UPSKILL.special_ability",
    "TRN-UPSKILL.special_operation",
    "TRN-UPSKILL.shortage_uplift",
    "TRN-UPSKILL.shortage_max_level",
)
PARAMETERS = PROJECT_PARAMETERS + UPSKILL_PARAMETERS


class CertificateKind(Enum):
    skill_level = "职业技能等级证书"
    special_ability = "专项职业能力证书"
    special_operation = "特种作业操作证书"


KIND_CODES = {name: i for i, name in enumerate(CertificateKind.__members__)}


def _node_key(name: str) -> tuple[str, str]:
    rule, leaf = name.split(".", 1)
    return rule.lower().replace("-", "_"), leaf


def parameter_data(parameter_set: Mapping[str, Any], names: Iterable[str] = PARAMETERS) -> dict[str, Any]:
    """SkillCity's dated versions as OpenFisca parameter data: {"trn_project": {"cap": {"values": …}}}."""
    data: dict[str, dict[str, Any]] = {}
    for name in names:
        parameter = parameter_set[name]
        values: dict[str, dict[str, Any]] = {}
        for version in parameter.versions:  # sorted by effective_from; they never overlap
            value = version.value
            number = float(value) if isinstance(value, Decimal) else value
            values[version.effective_from.isoformat()] = {"value": number}
            if version.effective_to is not None:
                after = (version.effective_to + datetime.timedelta(days=1)).isoformat()
                values.setdefault(after, {"value": None})  # expired, unless a successor starts that day
        rule, leaf = _node_key(name)
        data.setdefault(rule, {})[leaf] = {"description": parameter.title, "values": values}
    return data


def boundaries(parameter_set: Mapping[str, Any], names: Iterable[str] = PARAMETERS) -> list[datetime.date]:
    """Every day on which one of the parameters changes (a version starts, or the day after one ends)."""
    days: set[datetime.date] = set()
    for name in names:
        for version in parameter_set[name].versions:
            days.add(version.effective_from)
            if version.effective_to is not None:
                days.add(version.effective_to + datetime.timedelta(days=1))
    return sorted(days)


def period_unit(parameter_set: Mapping[str, Any], names: Iterable[str] = PARAMETERS) -> str:
    """The coarsest OpenFisca period (year, month, day) inside which none of the parameters changes, so
    that `parameters(period)` at a period's first day is the version in force on every day of it."""
    days = boundaries(parameter_set, names)
    if all(d.month == 1 and d.day == 1 for d in days):
        return YEAR
    if all(d.day == 1 for d in days):
        return MONTH
    return DAY


def build_system(parameter_set: Mapping[str, Any], unit: str = YEAR) -> TaxBenefitSystem:
    """The OpenFisca tax-benefit system: one person entity (a case), the inputs, the two rules."""
    unit = DateUnit(unit)  # "year", "month" or "day"
    case_entity = build_entity(key="case", plural="cases", label="一个案件（一人一项补贴）", is_person=True)

    class project_standard(Variable):
        value_type = float
        entity = case_entity
        definition_period = unit
        label = "项目每人补贴标准（元）"

    class completed(Variable):
        value_type = bool
        entity = case_entity
        definition_period = unit
        label = "学员已完成培训项目"

    class trn_project(Variable):
        value_type = float
        entity = case_entity
        definition_period = unit
        label = "项目制培训补贴（元）；未完成为 0"

        def formula(case, period, parameters):
            cap = parameters(period).trn_project.cap
            return where(case("completed", period), min_(case("project_standard", period), cap), 0)

    class certificate_kind(Variable):
        value_type = Enum
        possible_values = CertificateKind
        default_value = CertificateKind.skill_level
        entity = case_entity
        definition_period = unit
        label = "证书类别"

    class level(Variable):
        value_type = int
        entity = case_entity
        definition_period = unit
        label = "技能等级（1–5；非等级证书为 0）"

    class in_shortage_catalog(Variable):
        value_type = bool
        entity = case_entity
        definition_period = unit
        label = "工种在紧缺急需工种目录内"

    class trn_upskill(Variable):
        value_type = float
        entity = case_entity
        definition_period = unit
        label = "劳动力职业技能提升培训补贴（元）"

        def formula(case, period, parameters):
            p = parameters(period).trn_upskill
            kind = case("certificate_kind", period)
            lvl = case("level", period)
            base = select(
                [
                    kind == CertificateKind.special_ability,
                    kind == CertificateKind.special_operation,
                    lvl == 1,
                    lvl == 2,
                    lvl == 3,
                    lvl == 4,
                    lvl == 5,
                ],
                [p.special_ability, p.special_operation, p.level1, p.level2, p.level3, p.level4, p.level5],
                0,
            )
            uplift = (
                case("in_shortage_catalog", period)
                * (kind == CertificateKind.skill_level)
                * (lvl <= p.shortage_max_level)
            )
            return where(uplift, round_(base * p.shortage_uplift, 2), base)

    system = TaxBenefitSystem([case_entity])
    system.parameters = ParameterNode("", data=parameter_data(parameter_set))
    system.add_variables(
        project_standard,
        completed,
        trn_project,
        certificate_kind,
        level,
        in_shortage_catalog,
        trn_upskill,
    )
    return system


def period_keys(days: np.ndarray, unit: str) -> tuple[np.ndarray, list[str]]:
    """Each case's period as a small integer, and the OpenFisca period string of each integer."""
    as_date = days.astype("datetime64[D]")
    coarse = as_date if unit == DAY else as_date.astype("datetime64[Y]" if unit == YEAR else "datetime64[M]")
    number = coarse.astype(np.int64)
    low = int(number.min())
    key = number - low
    labels = [str(np.datetime64(low + i, coarse.dtype.name[-3:])) for i in range(int(key.max()) + 1)]
    # "2024", "2024-03" or "2024-03-05": OpenFisca's period strings for a year, a month, a day.
    return key.astype(np.int32), labels


def simulate(system: TaxBenefitSystem, period: str, inputs: Mapping[str, np.ndarray], variable: str) -> Any:
    """One OpenFisca simulation of len(inputs) cases over one period: set the inputs, calculate."""
    count = len(next(iter(inputs.values())))
    simulation = SimulationBuilder().build_default_simulation(system, count)
    for name, values in inputs.items():
        simulation.set_input(name, period, values)
    return simulation.calculate(variable, period)


def evaluate_by_period(
    system: TaxBenefitSystem, unit: str, days: np.ndarray, inputs: Mapping[str, np.ndarray], variable: str
) -> tuple[np.ndarray, int]:
    """`variable` for every case, one simulation per period the cases fall in; (amounts, simulations)."""
    key, periods = period_keys(days, unit)
    out = np.zeros(len(days), dtype=np.float32)
    if len(periods) <= 16:  # a few periods: one pass over the keys for each
        groups = [np.flatnonzero(key == i) for i in range(len(periods))]
    else:  # many (months, days): one sort (a radix sort for 16-bit keys), then split
        order = np.argsort(key.astype(np.int16) if len(periods) < 2**15 else key, kind="stable")
        groups = np.split(order, np.cumsum(np.bincount(key, minlength=len(periods)))[:-1])
    simulations = 0
    for period, rows in zip(periods, groups, strict=True):
        if len(rows):
            out[rows] = simulate(system, period, {k: v[rows] for k, v in inputs.items()}, variable)
            simulations += 1
    return out, simulations
