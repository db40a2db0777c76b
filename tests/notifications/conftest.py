"""The grants workflow stand-ins (fake engine, finance officer) serve the notification tests too."""

from tests.grants.conftest import fake_engine, finance_officer  # noqa: F401
