"""Fixtures shared with the certificates tests: the small two-tier organisation and its lapser."""

from tests.certificates.conftest import lapser, tier_world  # noqa: F401 - fixtures
