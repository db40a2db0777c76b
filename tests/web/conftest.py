"""The grants workflow stand-in engine serves the worker home tests."""

from tests.grants.conftest import fake_engine  # noqa: F401
