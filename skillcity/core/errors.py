"""One domain error, raised once and turned into one API error shape and one UI message at the edge."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal a person can understand.

    `code` is stable (API clients branch on it); `message` is for people (Chinese by default, lazily
    translated); `fields` maps a field name to what is wrong with it.
    """

    status = 400

    def __init__(
        self, code: str, message: Any, fields: dict[str, Any] | None = None, *, status: int | None = None
    ):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.fields = fields or {}
        if status is not None:
            self.status = status

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": str(self.message),
            "fields": {
                k: [str(m) for m in (v if isinstance(v, list | tuple) else [v])]
                for k, v in self.fields.items()
            },
        }


class NotFound(DomainError):
    status = 404

    def __init__(self, message: Any = "not found"):
        super().__init__("not_found", message)


class PermissionDenied(DomainError):
    status = 403

    def __init__(self, message: Any = "permission denied"):
        super().__init__("permission_denied", message)


class Conflict(DomainError):
    status = 409
