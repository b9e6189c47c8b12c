"""The `site` fixture: a separate Madang installation for the process-level tests."""

from tests.reliability.processes import site  # noqa: F401
