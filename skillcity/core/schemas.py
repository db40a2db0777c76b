"""The base of every API request body: a JSON object with the schema's fields and no others.

Django Ninja's Schema reads a body's fields as attributes, so a JSON array (or a string) as a body
passed as "no fields given", and an unknown or unchangeable field (a worker's `id_number` on PATCH)
was silently dropped. With `extra="forbid"` pydantic refuses both: 422 naming the field.
"""

from __future__ import annotations

from ninja import Schema
from pydantic import ConfigDict


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid")
