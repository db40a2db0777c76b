"""JSON Schema validation for the export test: `jsonschema` when installed, else this small
validator of the draft-07 keywords xapi_statement.schema.json uses (type, required, properties,
additionalProperties, propertyNames, minProperties, items, pattern, const, minimum, maximum,
minLength, oneOf, $ref to #/definitions). It fails loudly on a keyword it does not know."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).with_name("xapi_statement.schema.json")
_KNOWN = {
    "$schema", "$id", "title", "description", "definitions", "type", "required", "properties",
    "additionalProperties", "propertyNames", "minProperties", "items", "pattern", "const", "minimum",
    "maximum", "minLength", "oneOf", "$ref",
}  # fmt: skip
_TYPES: dict[str, Any] = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "number": (int, float),
    "integer": int,
}


def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text())


def errors(instance: Any, root: dict[str, Any] | None = None) -> list[str]:
    """Every way `instance` breaks the statement schema ([] if it conforms)."""
    root = root or schema()
    try:
        import jsonschema  # type: ignore[import-untyped]
    except ImportError:
        found: list[str] = []
        _check(instance, root, root, "$", found)
        return found
    return [
        f"{list(e.absolute_path)}: {e.message}"
        for e in jsonschema.Draft7Validator(root).iter_errors(instance)
    ]


def _check(value: Any, node: dict[str, Any], root: dict[str, Any], where: str, found: list[str]) -> None:
    unknown = set(node) - _KNOWN
    assert not unknown, f"schema keyword(s) this validator does not know: {unknown}"
    if "$ref" in node:
        name = node["$ref"].removeprefix("#/definitions/")
        _check(value, root["definitions"][name], root, where, found)
    kind = node.get("type")
    if kind is not None:
        ok = isinstance(value, _TYPES[kind]) and not (
            kind in ("number", "integer") and isinstance(value, bool)
        )
        if not ok:
            found.append(f"{where}: not {kind}")
            return
    if "const" in node and value != node["const"]:
        found.append(f"{where}: not {node['const']!r}")
    if isinstance(value, str):
        if "pattern" in node and not re.search(node["pattern"], value):
            found.append(f"{where}: {value!r} does not match {node['pattern']}")
        if len(value) < node.get("minLength", 0):
            found.append(f"{where}: too short")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in node and value < node["minimum"]:
            found.append(f"{where}: below {node['minimum']}")
        if "maximum" in node and value > node["maximum"]:
            found.append(f"{where}: above {node['maximum']}")
    if isinstance(value, dict):
        for name in node.get("required", []):
            if name not in value:
                found.append(f"{where}: {name} is required")
        if len(value) < node.get("minProperties", 0):
            found.append(f"{where}: empty")
        properties = node.get("properties", {})
        extra = node.get("additionalProperties", True)
        for name, item in value.items():
            if "propertyNames" in node:
                _check(name, node["propertyNames"], root, f"{where}[{name!r}] (name)", found)
            if name in properties:
                _check(item, properties[name], root, f"{where}.{name}", found)
            elif extra is False:
                found.append(f"{where}: {name} is not allowed")
            elif isinstance(extra, dict):
                _check(item, extra, root, f"{where}.{name}", found)
    if isinstance(value, list) and "items" in node:
        for index, item in enumerate(value):
            _check(item, node["items"], root, f"{where}[{index}]", found)
    if "oneOf" in node:
        matching = 0
        for option in node["oneOf"]:
            trial: list[str] = []
            _check(value, option, root, where, trial)
            matching += not trial
        if matching != 1:
            found.append(f"{where}: matches {matching} of oneOf, not exactly 1")
