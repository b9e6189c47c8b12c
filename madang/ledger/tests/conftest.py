import pytest

from madang.ledger import kinds

TEST_KINDS = (
    kinds.Kind("test.entry", "test", "an entry the log tests write", {"i": "a number"}),
    kinds.Kind("test.reason", "test", "an entry with a committed text", {}, {"reason": "a reason"}),
)


@pytest.fixture(autouse=True)
def _test_kinds():
    """Kinds of entry only these tests write (the registry refuses undeclared kinds)."""
    kinds.register("tests", TEST_KINDS)
    yield
    kinds.unregister("tests")
