"""core.bounds: the one place that bounds every number and date the platform accepts."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from skillcity.core import bounds
from skillcity.core.money import MONEY_MAX


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2600", Decimal("2600.00")),
        ("0.5", Decimal("0.50")),
        ("-0", Decimal("0.00")),
        (" 12 ", Decimal("12.00")),
    ],
)
def test_it_reads_money_as_exact_yuan(raw, expected):
    value = bounds.parse_money(raw)
    assert value == expected and str(value) == str(expected)


@pytest.mark.parametrize(
    "raw", ["1e20", "1e25", "NaN", "Infinity", "1,000", "0.005", "-1", "1000000000.01", "", "abc"]
)
def test_it_refuses_money_that_is_not_plain_yuan_within_the_ceiling(raw):
    with pytest.raises(ValueError):
        bounds.parse_money(raw)


def test_the_ceiling_itself_is_accepted():
    assert bounds.parse_money(str(MONEY_MAX)) == MONEY_MAX


@pytest.mark.parametrize("raw", ["1e20", "100.1", "-0.1", "99.95", "nan"])
def test_it_refuses_a_score_outside_0_to_100_with_one_decimal(raw):
    with pytest.raises(ValueError):
        bounds.parse_score(raw)


@pytest.mark.parametrize(
    "raw", ["20240501", "2024-W18-3", "2024-5-1", "2024-02-30", "0001-01-01", "9999-12-31", "1714521600"]
)
def test_it_refuses_a_date_that_is_not_yyyy_mm_dd_in_range(raw):
    with pytest.raises(ValueError):
        bounds.parse_iso_date(raw)


def test_it_reads_an_iso_date():
    assert bounds.parse_iso_date(" 2024-05-01 ") == datetime.date(2024, 5, 1)


@pytest.mark.parametrize("raw", ["x", "99999999999999999999", "0", "-1", "1.5", "²"])
def test_an_id_filter_is_a_key_or_nothing(raw):
    with pytest.raises(ValueError):
        bounds.parse_optional_id(raw)
    assert bounds.parse_optional_id("") is None and bounds.parse_optional_id("42") == 42


def test_every_money_bound_fits_its_column():
    """A DecimalField's bound is what its max_digits hold, capped at MONEY_MAX: never more."""
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.DecimalField) and f.decimal_places == 2:
                held = Decimal(10) ** (f.max_digits - 2) - Decimal("0.01")
                assert bounds.column_money_max(f) == min(held, MONEY_MAX), f


def _numbers(schema: Any, spec: dict[str, Any], where: str) -> list[tuple[str, dict[str, Any]]]:
    """Every integer and number in a parameter or request body schema, with where it is."""
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    found: list[tuple[str, dict[str, Any]]] = []
    if schema.get("type") in ("integer", "number"):
        found.append((where, schema))
    for key in ("anyOf", "oneOf", "allOf"):
        for part in schema.get(key, []):
            found += _numbers(part, spec, where)
    for name, part in schema.get("properties", {}).items():
        found += _numbers(part, spec, f"{where}.{name}")
    if "items" in schema:
        found += _numbers(schema["items"], spec, f"{where}[]")
    return found


@pytest.mark.django_db
def test_every_number_the_api_accepts_has_a_lower_and_an_upper_bound():
    spec = Client().get("/api/v1/openapi.json").json()
    unbounded = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            places = [(f"{method.upper()} {path} {p['name']}", p["schema"]) for p in op.get("parameters", [])]
            for media in op.get("requestBody", {}).get("content", {}).values():
                places.append((f"{method.upper()} {path} body", media["schema"]))
            for where, schema in places:
                for at, number in _numbers(schema, spec, where):
                    if "maximum" not in number or "minimum" not in number:
                        unbounded.append(at)
    assert not unbounded, "\n".join(unbounded)
